import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { newId } from './ids';
import { agents, auditLog, teamCounts, teamMembers } from './schema';

// Data access for the supply tree: the chain above an agent and the maintained team closure and counts.
// Statements are returned unexecuted so callers put one operation's writes in one batch.

export const BRAND_OWNER = 'brand';

// Inside a write's WHERE: `supplierId` is still an agent that may supply `level` (not revoked, strictly higher), so a
// revocation or downgrade committed after the write's reads aborts it.
export function stillSupplies(supplierId: string, level: number) {
  return sql`EXISTS (SELECT 1 FROM agents sup WHERE sup.id = ${supplierId} AND sup.status <> 'revoked' AND sup.level < ${level})`;
}

export interface ChainAgent {
  id: string;
  name: string;
  level: number;
  status: 'active' | 'suspended' | 'revoked';
}

// The agents above `agentId`, nearest first: at most eight rows through the closure's member index.
export function chainAbove(db: Db, agentId: string): Promise<ChainAgent[]> {
  return db
    .select({ id: agents.id, name: agents.name, level: agents.level, status: agents.status })
    .from(teamMembers)
    .innerJoin(agents, eq(agents.id, teamMembers.ancestorId))
    .where(eq(teamMembers.memberId, agentId))
    .orderBy(desc(agents.level));
}

// drizzle's batch cannot carry db.run(sql) with parameters, so these are query builders with SQL conditions.
const ownersOf = (memberId: string) =>
  sql`(SELECT ancestor_id FROM team_members WHERE member_id = ${memberId} UNION ALL SELECT ${BRAND_OWNER})`;

export function addToCounts(db: Db, memberId: string, level: number) {
  return db
    .insert(teamCounts)
    .select(
      sql`SELECT owner, ${level}, 1 FROM (SELECT ancestor_id AS owner FROM team_members WHERE member_id = ${memberId}
        UNION ALL SELECT ${BRAND_OWNER}) WHERE true`,
    )
    .onConflictDoUpdate({
      target: [teamCounts.ownerId, teamCounts.level],
      set: { count: sql`${teamCounts.count} + 1` },
    });
}

export function removeFromCounts(db: Db, memberId: string, level: number) {
  return db
    .update(teamCounts)
    .set({ count: sql`${teamCounts.count} - 1` })
    .where(and(eq(teamCounts.level, level), sql`${teamCounts.ownerId} IN ${ownersOf(memberId)}`));
}

// A newly approved agent joins the team of its supplier and of everyone above the supplier.
export function joinTeam(db: Db, memberId: string, supplierId: string | null, level: number) {
  const closure = supplierId
    ? [
        db.insert(teamMembers).select(
          sql`SELECT ancestor_id, ${memberId}, ${level}, 'active' FROM team_members WHERE member_id = ${supplierId}
            UNION ALL SELECT ${supplierId}, ${memberId}, ${level}, 'active'`,
        ),
      ]
    : [];
  return [...closure, addToCounts(db, memberId, level)];
}

// The agent and its whole subtree leave the teams of `leftIds` (its upgrade moved it above them).
export function leaveTeams(db: Db, memberId: string, level: number, leftIds: string[]) {
  if (leftIds.length === 0) return [];
  return [
    db
      .update(teamCounts)
      .set({
        count: sql`${teamCounts.count} - coalesce((SELECT own.count FROM team_counts own
          WHERE own.owner_id = ${memberId} AND own.level = ${teamCounts.level}), 0)`,
      })
      .where(inArray(teamCounts.ownerId, leftIds)),
    db
      .update(teamCounts)
      .set({ count: sql`${teamCounts.count} - 1` })
      .where(and(inArray(teamCounts.ownerId, leftIds), eq(teamCounts.level, level))),
    db.delete(teamMembers).where(
      and(
        inArray(teamMembers.ancestorId, leftIds),
        sql`(${teamMembers.memberId} = ${memberId} OR ${teamMembers.memberId} IN
            (SELECT member_id FROM team_members WHERE ancestor_id = ${memberId}))`,
      ),
    ),
  ];
}

export function moveLevelInCounts(db: Db, memberId: string, from: number, to: number) {
  return [
    removeFromCounts(db, memberId, from),
    addToCounts(db, memberId, to),
    db.update(teamMembers).set({ level: to }).where(eq(teamMembers.memberId, memberId)),
  ];
}

export interface AuditInput {
  actorRole: 'admin' | 'agent' | 'member' | 'public' | 'system';
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  detail?: Record<string, unknown>;
  at: number;
}

export function audit(db: Db, entry: AuditInput) {
  return db.insert(auditLog).values({ ...entry, id: newId('aud', entry.at), detail: entry.detail ?? null });
}
