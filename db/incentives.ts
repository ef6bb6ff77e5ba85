import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../worker/env';
import { equalsGuard } from './guard';
import {
  agentProgress,
  agents,
  incentiveSettings,
  orders,
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

export function recruitCountIs(db: Db, agentId: string, period: string, count: number) {
  return equalsGuard(
    db,
    sql`SELECT ${recruitCounts.count} FROM ${recruitCounts} WHERE ${recruitCounts.agentId} = ${agentId} AND ${recruitCounts.period} = ${period}`,
    count,
  );
}

export function sameLevelRecruitsAre(db: Db, agentId: string, count: number) {
  return equalsGuard(
    db,
    sql`SELECT ${agentProgress.sameLevelRecruits} FROM ${agentProgress} WHERE ${agentProgress.agentId} = ${agentId}`,
    count,
  );
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

// What a payment needs to decide its incentives, in one statement of the payment's own read batch (no extra round
// trip): the buyer (the order's agent) with its progress and, for a restock only, its referral line three deep, the
// direct referrer's progress and its count of qualified recruits in `period`.
type Status = 'active' | 'suspended' | 'revoked';

// D1's batch answers rows as objects, so every column of the self-joins needs a name of its own.
export function buyerLineQuery(db: Db, orderId: string, period: string) {
  const r1 = alias(agents, 'r1');
  const r2 = alias(agents, 'r2');
  const r3 = alias(agents, 'r3');
  const bp = alias(agentProgress, 'bp');
  const rp = alias(agentProgress, 'rp');
  const restock = sql`${orders.kind} = 'restock'`;
  const col = <T>(column: unknown, name: string) => sql<T>`${column}`.as(name);
  return db
    .select({
      ...agentCore,
      restockFen: col<number | null>(bp.restockFen, 'bp_restock_fen'),
      firstRestockOrderId: col<string | null>(bp.firstRestockOrderId, 'bp_first_restock'),
      points: col<number | null>(bp.points, 'bp_points'),
      r1Id: col<string | null>(r1.id, 'r1_id'),
      r1Level: col<number | null>(r1.level, 'r1_level'),
      r1Status: col<Status | null>(r1.status, 'r1_status'),
      r1SupplierId: col<string | null>(r1.supplierId, 'r1_supplier_id'),
      r1SameLevel: col<number | null>(rp.sameLevelRecruits, 'r1_same_level'),
      r1Recruits: col<number | null>(recruitCounts.count, 'r1_recruits'),
      r2Id: col<string | null>(r2.id, 'r2_id'),
      r2Level: col<number | null>(r2.level, 'r2_level'),
      r2Status: col<Status | null>(r2.status, 'r2_status'),
      r3Id: col<string | null>(r3.id, 'r3_id'),
      r3Level: col<number | null>(r3.level, 'r3_level'),
      r3Status: col<Status | null>(r3.status, 'r3_status'),
    })
    .from(orders)
    .innerJoin(agents, eq(agents.id, orders.agentId))
    .leftJoin(bp, eq(bp.agentId, agents.id))
    .leftJoin(r1, and(eq(r1.id, agents.referrerId), restock))
    .leftJoin(rp, eq(rp.agentId, r1.id))
    .leftJoin(recruitCounts, and(eq(recruitCounts.agentId, r1.id), eq(recruitCounts.period, period)))
    .leftJoin(r2, eq(r2.id, r1.referrerId))
    .leftJoin(r3, eq(r3.id, r2.referrerId))
    .where(eq(orders.id, orderId))
    .limit(1);
}

export type BuyerLine = Awaited<ReturnType<typeof buyerLineQuery>>[number];

// The referral line above the buyer, nearest first (the first entry also carries what an upgrade needs).
export function referrersOf(row: BuyerLine) {
  const line: { id: string; level: number; status: Status; supplierId: string | null }[] = [];
  const links: [string | null, number | null, Status | null, string | null][] = [
    [row.r1Id, row.r1Level, row.r1Status, row.r1SupplierId],
    [row.r2Id, row.r2Level, row.r2Status, null],
    [row.r3Id, row.r3Level, row.r3Status, null],
  ];
  for (const [id, level, status, supplierId] of links) {
    if (id === null || level === null || status === null) break;
    line.push({ id, level, status, supplierId });
  }
  return line;
}
