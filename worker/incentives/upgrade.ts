import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { changedGuard } from '../../db/guard';
import { resetSameLevelRecruits } from '../../db/incentives';
import { audit, chainAbove, leaveTeams, moveLevelInCounts } from '../../db/network';
import { agents } from '../../db/schema';
import { supplierAfterLevelChange } from '../domain/placement';
import type { Db } from '../env';

export type UpgradeReason = 'cumulative' | 'single' | 'refer';

// An automatic upgrade, re-parented as DESIGN says (its supplier becomes the nearest strictly-higher agent when the
// old one is no longer higher; its own downline stays under it), logged in the audit log. Guarded on the level as
// read, so a concurrent change aborts the batch instead of moving the team twice.
export async function upgradeWrites(
  db: Db,
  agent: { id: string; level: number; supplierId: string | null },
  to: number,
  reason: UpgradeReason,
  orderId: string,
  now: number,
): Promise<BatchItem<'sqlite'>[]> {
  const change = supplierAfterLevelChange(await chainAbove(db, agent.id), to);
  return [
    db
      .update(agents)
      .set({ level: to, supplierId: change.supplierId, updatedAt: now })
      .where(and(eq(agents.id, agent.id), eq(agents.level, agent.level))),
    changedGuard(db),
    ...leaveTeams(db, agent.id, agent.level, change.leftAncestorIds),
    ...moveLevelInCounts(db, agent.id, agent.level, to),
    resetSameLevelRecruits(db, agent.id),
    audit(db, {
      actorRole: 'system',
      actorId: null,
      action: 'agent.auto_upgrade',
      targetType: 'agent',
      targetId: agent.id,
      detail: { reason, orderId, from: agent.level, to, supplierFrom: agent.supplierId, supplierTo: change.supplierId },
      at: now,
    }),
  ];
}
