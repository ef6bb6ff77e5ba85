import { and, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { RankCursor } from '../worker/domain/board';
import type { Db } from '../worker/env';
import {
  agents,
  agentTeams,
  boardAgents,
  boardTeams,
  buyerTotals,
  dailyStats,
  levels,
  monthBreakdown,
  products,
  teamTargets,
} from './schema';

// Reads of the pre-aggregated leaderboard and dashboard rows. Every ranking walks an index backwards from the top
// (value DESC, key DESC), so a page reads its own rows plus one, whatever the size of the network or its history.

export type BoardMetric = (typeof boardAgents.$inferSelect)['metric'];
export type BreakdownDim = (typeof monthBreakdown.$inferSelect)['dim'];

export function teamOf(db: Db, agentId: string) {
  return db
    .select({ teamId: agentTeams.teamId })
    .from(agentTeams)
    .where(eq(agentTeams.agentId, agentId))
    .limit(1)
    .then((rows) => rows[0]?.teamId ?? null);
}

const below = (value: SQLiteColumn, key: SQLiteColumn, after: RankCursor | null) =>
  after ? sql`(${value}, ${key}) < (${after.value}, ${after.key})` : undefined;

export function agentRanking(
  db: Db,
  q: { month: string; metric: BoardMetric; teamId: string | null; after: RankCursor | null; limit: number },
) {
  return db
    .select({
      agentId: boardAgents.agentId,
      teamId: boardAgents.teamId,
      value: boardAgents.value,
      name: agents.name,
      level: agents.level,
    })
    .from(boardAgents)
    .innerJoin(agents, eq(agents.id, boardAgents.agentId))
    .where(
      and(
        eq(boardAgents.month, q.month),
        eq(boardAgents.metric, q.metric),
        q.teamId ? eq(boardAgents.teamId, q.teamId) : undefined,
        below(boardAgents.value, boardAgents.agentId, q.after),
      ),
    )
    .orderBy(desc(boardAgents.value), desc(boardAgents.agentId))
    .limit(q.limit);
}

export function teamRanking(
  db: Db,
  q: { month: string; metric: BoardMetric; after: RankCursor | null; limit: number },
) {
  return db
    .select({
      teamId: boardTeams.teamId,
      value: boardTeams.value,
      name: agents.name,
      targetFen: teamTargets.salesFen,
    })
    .from(boardTeams)
    .innerJoin(agents, eq(agents.id, boardTeams.teamId))
    .leftJoin(teamTargets, and(eq(teamTargets.month, boardTeams.month), eq(teamTargets.teamId, boardTeams.teamId)))
    .where(
      and(
        eq(boardTeams.month, q.month),
        eq(boardTeams.metric, q.metric),
        below(boardTeams.value, boardTeams.teamId, q.after),
      ),
    )
    .orderBy(desc(boardTeams.value), desc(boardTeams.teamId))
    .limit(q.limit);
}

/** One team's three counters and its target for a month: at most five rows. */
export async function teamMonth(db: Db, teamId: string, month: string) {
  const [head, counters, target] = await db.batch([
    db
      .select({ id: agents.id, name: agents.name, supplierId: agents.supplierId })
      .from(agents)
      .where(eq(agents.id, teamId))
      .limit(1),
    db
      .select({ metric: boardTeams.metric, value: boardTeams.value })
      .from(boardTeams)
      .where(and(eq(boardTeams.month, month), eq(boardTeams.teamId, teamId))),
    db
      .select({ salesFen: teamTargets.salesFen })
      .from(teamTargets)
      .where(and(eq(teamTargets.month, month), eq(teamTargets.teamId, teamId)))
      .limit(1),
  ]);
  const value = (m: BoardMetric) => counters.find((c) => c.metric === m)?.value ?? 0;
  return {
    head: head[0] ?? null,
    sales: value('sales'),
    agents: value('agents'),
    members: value('members'),
    targetFen: target[0]?.salesFen ?? null,
  };
}

export function setTeamTarget(db: Db, month: string, teamId: string, salesFen: number, now: number) {
  return db
    .insert(teamTargets)
    .values({ month, teamId, salesFen, updatedAt: now })
    .onConflictDoUpdate({ target: [teamTargets.month, teamTargets.teamId], set: { salesFen, updatedAt: now } });
}

export function dailyRows(db: Db, from: string, to: string) {
  return db
    .select()
    .from(dailyStats)
    .where(and(gte(dailyStats.day, from), lte(dailyStats.day, to)));
}

export function breakdownRows(
  db: Db,
  q: { month: string; dim: BreakdownDim; after: RankCursor | null; limit: number },
) {
  return db
    .select({ key: monthBreakdown.key, salesFen: monthBreakdown.salesFen, units: monthBreakdown.units })
    .from(monthBreakdown)
    .where(
      and(
        eq(monthBreakdown.month, q.month),
        eq(monthBreakdown.dim, q.dim),
        below(monthBreakdown.salesFen, monthBreakdown.key, q.after),
      ),
    )
    .orderBy(desc(monthBreakdown.salesFen), desc(monthBreakdown.key))
    .limit(q.limit);
}

/** Names for a page of breakdown keys: level names (at most nine rows) or the page's products. */
export async function breakdownLabels(db: Db, dim: BreakdownDim, keys: string[]): Promise<Map<string, string>> {
  if (dim === 'province' || keys.length === 0) return new Map();
  if (dim === 'level') {
    const rows = await db.select({ rank: levels.rank, name: levels.name }).from(levels);
    return new Map(rows.map((r) => [String(r.rank), r.name]));
  }
  const rows = await db
    .select({ id: products.id, name: products.name })
    .from(products)
    .where(inArray(products.id, keys));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function buyerCounts(db: Db) {
  return db
    .select({ buyers: buyerTotals.buyers, repeaters: buyerTotals.repeaters })
    .from(buyerTotals)
    .where(eq(buyerTotals.id, 1))
    .limit(1)
    .then((rows) => rows[0] ?? { buyers: 0, repeaters: 0 });
}
