import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { agents, teamMembers } from '../../db/schema';
import type { AppEnv, Caller } from '../env';
import { AppError } from '../errors';
import { requireCaller } from '../middleware/session';

// The agent ids a caller may read: the brand sees every agent, an agent itself and its subtree.
// Anything else answers 404, so ids outside one's team cannot be probed for existence.
export async function resolveVisibleAgent(
  c: Context<AppEnv>,
  idParam: string,
): Promise<{ caller: Caller; agentId: string }> {
  const caller = requireCaller(c, 'admin', 'agent');
  if (idParam === 'me') {
    if (caller.role !== 'agent') throw notFoundAgent();
    return { caller, agentId: caller.id };
  }
  if (!/^agt_[0-9a-z]{26}$/.test(idParam)) throw notFoundAgent();
  if (idParam === caller.id) return { caller, agentId: idParam };
  const [row] =
    caller.role === 'admin'
      ? await c.var.db.select({ id: agents.id }).from(agents).where(eq(agents.id, idParam)).limit(1)
      : await c.var.db
          .select({ id: teamMembers.memberId })
          .from(teamMembers)
          .where(and(eq(teamMembers.ancestorId, caller.id), eq(teamMembers.memberId, idParam)))
          .limit(1);
  if (!row) throw notFoundAgent();
  return { caller, agentId: idParam };
}

export function notFoundAgent(): AppError {
  return new AppError('NOT_FOUND', { params: { what: 'agent' } });
}
