import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../worker/env';
import { agents, members } from './schema';

// Data access for a consumer's binding (锁粉): the member row with its bound agent's state (read in the caller's
// batch), and the conditional writes an order or a signup makes to it.

export type MemberKey = { id: string } | { phone: string };

function keyOf(key: MemberKey): SQL {
  return 'id' in key ? eq(members.id, key.id) : eq(members.phone, key.phone);
}

export function memberBindingQuery(db: Db, key: MemberKey) {
  return db
    .select({
      id: members.id,
      phone: members.phone,
      name: members.name,
      hasPassword: sql<number>`${members.passwordHash} <> ''`.as('has_password'),
      boundAgentId: members.boundAgentId,
      boundAt: members.boundAt,
      lastOrderAt: members.lastOrderAt,
      createdAt: members.createdAt,
      boundCode: sql<string | null>`${agents.code}`.as('bound_code'),
      boundName: sql<string | null>`${agents.name}`.as('bound_name'),
      boundLevel: sql<number | null>`${agents.level}`.as('bound_level'),
      boundStatus: sql<'active' | 'suspended' | 'revoked' | null>`${agents.status}`.as('bound_status'),
    })
    .from(members)
    .leftJoin(agents, eq(agents.id, members.boundAgentId))
    .where(keyOf(key))
    .limit(1);
}

export type MemberBindingRow = Awaited<ReturnType<typeof memberBindingQuery>>[number];

/** The bound agent's id as a subquery, so its chain can be read in the same batch as the member. */
export function boundAgentOf(key: MemberKey): SQL {
  return 'id' in key
    ? sql`(SELECT ${members.boundAgentId} FROM ${members} WHERE ${members.id} = ${key.id})`
    : sql`(SELECT ${members.boundAgentId} FROM ${members} WHERE ${members.phone} = ${key.phone})`;
}

function same(column: SQLiteColumn, value: string | number | null): SQL {
  return value === null ? isNull(column) : eq(column, value);
}

/** A guest's first order: its phone becomes a member that cannot sign in (no password) until someone signs up with it. */
export function insertPasswordless(
  db: Db,
  row: { id: string; phone: string; name: string; agentId: string; now: number },
) {
  return db.insert(members).values({
    id: row.id,
    phone: row.phone,
    name: row.name,
    passwordHash: '',
    boundAgentId: row.agentId,
    boundAt: row.now,
    lastOrderAt: row.now,
    createdAt: row.now,
  });
}

/**
 * Records an order on the member; `bindTo` also moves the binding. The update applies only while the binding is as it
 * was read (and, for a move, the last order time too, since that decided the move), so a concurrent order cannot leave
 * this one crediting a stale decision: the caller's changedGuard aborts the batch instead.
 */
export function recordOrder(
  db: Db,
  member: { id: string; boundAgentId: string | null; lastOrderAt: number | null },
  now: number,
  bindTo: string | null,
) {
  const read = and(eq(members.id, member.id), same(members.boundAgentId, member.boundAgentId));
  if (bindTo) {
    return db
      .update(members)
      .set({ boundAgentId: bindTo, boundAt: now, lastOrderAt: now })
      .where(and(read, same(members.lastOrderAt, member.lastOrderAt)));
  }
  return db
    .update(members)
    .set({ lastOrderAt: sql`max(coalesce(${members.lastOrderAt}, 0), ${now})` })
    .where(read);
}

/** A signup claims the passwordless member of its phone: only while it still has no password. */
export function claimPasswordless(
  db: Db,
  id: string,
  values: {
    name: string;
    passwordHash: string;
    boundAgentId: string | null;
    boundAt: number | null;
    boundProof?: 'sms' | null;
    boundProofRef?: string | null;
  },
) {
  return db
    .update(members)
    .set(values)
    .where(and(eq(members.id, id), eq(members.passwordHash, '')));
}
