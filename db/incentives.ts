import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import {
  agentProgress,
  agents,
  incentiveSettings,
  pointsEntries,
  recruitCounts,
  rewardGrants,
  rewardRules,
  upgradeRules,
} from './schema';

// Data access for incentives. Reads are small (a few rule rows, the referral line three deep, one progress row per
// agent); writes are returned unexecuted so they join the order's own batch.

export function settingsQuery(db: Db) {
  return db.select().from(incentiveSettings).where(eq(incentiveSettings.id, 1)).limit(1);
}

export function rewardRulesQuery(db: Db) {
  return db.select().from(rewardRules).orderBy(rewardRules.kind, rewardRules.depth, rewardRules.minRecruits).limit(50);
}

export function upgradeRulesQuery(db: Db) {
  return db.select().from(upgradeRules).orderBy(upgradeRules.kind, upgradeRules.targetLevel).limit(50);
}

export function progressQuery(db: Db, agentIds: string[]) {
  return db.select().from(agentProgress).where(inArray(agentProgress.agentId, agentIds)).limit(agentIds.length);
}

export const agentCore = {
  id: agents.id,
  name: agents.name,
  level: agents.level,
  status: agents.status,
  supplierId: agents.supplierId,
  referrerId: agents.referrerId,
};

export function agentCoreQuery(db: Db, id: string) {
  return db.select(agentCore).from(agents).where(eq(agents.id, id)).limit(1);
}

// The referral line above an agent, nearest first, at most three deep (the compliance guard's limit).
export function referralLineQuery(db: Db, agentId: string) {
  return db.all<{ id: string; level: number; status: 'active' | 'suspended' | 'revoked'; depth: number }>(
    sql`WITH RECURSIVE line(id, depth) AS (
        SELECT referrer_id, 1 FROM agents WHERE id = ${agentId} AND referrer_id IS NOT NULL
        UNION ALL SELECT a.referrer_id, line.depth + 1 FROM line JOIN agents a ON a.id = line.id
          WHERE line.depth < 3 AND a.referrer_id IS NOT NULL
      ) SELECT agents.id AS id, agents.level AS level, agents.status AS status, line.depth AS depth
      FROM line JOIN agents ON agents.id = line.id ORDER BY line.depth LIMIT 3`,
  );
}

export function recruitCountQuery(db: Db, agentId: string, period: string) {
  return db
    .select({ count: recruitCounts.count })
    .from(recruitCounts)
    .where(and(eq(recruitCounts.agentId, agentId), eq(recruitCounts.period, period)))
    .limit(1);
}

export function grantsOfOrderQuery(db: Db, orderId: string) {
  return db.select().from(rewardGrants).where(eq(rewardGrants.orderId, orderId)).limit(20);
}

export function pointsOfOrderQuery(db: Db, orderId: string) {
  return db
    .select({ agentId: pointsEntries.agentId, kind: pointsEntries.kind, points: pointsEntries.points })
    .from(pointsEntries)
    .where(eq(pointsEntries.orderId, orderId))
    .limit(50);
}

export function ensureProgress(db: Db, agentId: string) {
  return db.insert(agentProgress).values({ agentId }).onConflictDoNothing();
}

// The recruit qualifies once: the guard after it aborts the batch if a concurrent payment qualified it first.
export function markFirstRestock(db: Db, agentId: string, orderId: string) {
  return db
    .update(agentProgress)
    .set({ firstRestockOrderId: orderId })
    .where(and(eq(agentProgress.agentId, agentId), sql`${agentProgress.firstRestockOrderId} IS NULL`));
}

export function addRestockFen(db: Db, agentId: string, fen: number) {
  return db
    .update(agentProgress)
    .set({ restockFen: sql`max(0, ${agentProgress.restockFen} + ${fen})` })
    .where(eq(agentProgress.agentId, agentId));
}

export function addSameLevelRecruit(db: Db, agentId: string) {
  return db
    .update(agentProgress)
    .set({ sameLevelRecruits: sql`${agentProgress.sameLevelRecruits} + 1` })
    .where(eq(agentProgress.agentId, agentId));
}

export function resetSameLevelRecruits(db: Db, agentId: string) {
  return db.update(agentProgress).set({ sameLevelRecruits: 0 }).where(eq(agentProgress.agentId, agentId));
}

export function addRecruitCount(db: Db, agentId: string, period: string) {
  return db
    .insert(recruitCounts)
    .values({ agentId, period, count: 1 })
    .onConflictDoUpdate({
      target: [recruitCounts.agentId, recruitCounts.period],
      set: { count: sql`${recruitCounts.count} + 1` },
    });
}

export function addPoints(
  db: Db,
  entry: { agentId: string; kind: 'earn' | 'reverse' | 'redeem'; points: number; orderId?: string; giftId?: string },
  at: number,
) {
  return [
    db
      .update(agentProgress)
      .set({ points: sql`${agentProgress.points} + ${entry.points}` })
      .where(eq(agentProgress.agentId, entry.agentId)),
    db.insert(pointsEntries).values({ ...entry, at }),
  ];
}

export function pointsHistoryQuery(db: Db, agentId: string, before: number | null, limit: number) {
  return db
    .select()
    .from(pointsEntries)
    .where(and(eq(pointsEntries.agentId, agentId), before === null ? undefined : sql`${pointsEntries.id} < ${before}`))
    .orderBy(desc(pointsEntries.id))
    .limit(limit);
}

export function grantsHistoryQuery(db: Db, agentId: string, before: string | null, limit: number) {
  return db
    .select()
    .from(rewardGrants)
    .where(and(eq(rewardGrants.agentId, agentId), before === null ? undefined : sql`${rewardGrants.id} < ${before}`))
    .orderBy(desc(rewardGrants.id))
    .limit(limit);
}
