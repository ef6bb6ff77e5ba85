import { eq } from 'drizzle-orm';
import { brandInfo } from '../../../db/brandInfo';
import { agents, applications } from '../../../db/schema';
import type { Caller, Db } from '../../env';
import { AppError } from '../../errors';

export async function loadForDecision(db: Db, caller: Caller, id: string) {
  const [row] = await db.select().from(applications).where(eq(applications.id, id)).limit(1);
  // An application addressed to someone else is not found, so ids cannot be probed.
  if (!row || !mayDecide(caller, row.supplierId)) throw new AppError('NOT_FOUND', { params: { what: 'application' } });
  return row;
}

function mayDecide(caller: Caller, supplierId: string | null): boolean {
  return supplierId === null ? caller.role === 'admin' : caller.role === 'agent' && caller.id === supplierId;
}

export async function activeRecruiter(db: Db, code: string) {
  const [recruiter] = await db
    .select({ id: agents.id, name: agents.name, level: agents.level, status: agents.status })
    .from(agents)
    .where(eq(agents.code, code))
    .limit(1);
  if (recruiter?.status !== 'active') throw new AppError('INVITE_INVALID', { field: 'inviteCode' });
  return recruiter;
}

export async function brandName(db: Db): Promise<string> {
  return (await brandInfo(db)).name || '品牌方';
}
