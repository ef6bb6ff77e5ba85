import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../worker/env';
import { agents, members } from './schema';

// Data access for a consumer's binding (锁粉): the member row with its bound agent's state (read in the caller's
// batch), and the conditional writes an order or a signup makes to it.

export type MemberKey = { id: string } | { phone: string } | { order: string };

// An order's buyer: its member, or for a guest order the member its phone belongs to.
function keyOf(key: MemberKey): SQL {
  if ('order' in key) {
    return eq(
      members.id,
      sql`coalesce((SELECT member_id FROM orders WHERE id = ${key.order}), (SELECT m.id FROM members m WHERE m.phone = (SELECT ship_phone FROM orders WHERE id = ${key.order})))`,
    );
  }
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
export function boundAgentOf(key: { id: string } | { phone: string }): SQL {
  return 'id' in key
    ? sql`(SELECT ${members.boundAgentId} FROM ${members} WHERE ${members.id} = ${key.id})`
    : sql`(SELECT ${members.boundAgentId} FROM ${members} WHERE ${members.phone} = ${key.phone})`;
}

function same(column: SQLiteColumn, value: string | number | null): SQL {
  return value === null ? isNull(column) : eq(column, value);
}

/**
 * A guest's first paid order: its phone becomes a member that cannot sign in (no password) until someone signs up with
 * it, bound with the order as proof. When a concurrent paid order with the phone got there first, this one changes
 * nothing: the first paid order binds.
 */
export function insertPasswordless(
  db: Db,
  row: { id: string; phone: string; name: string; agentId: string; orderId: string; now: number },
) {
  return db
    .insert(members)
    .values({
      id: row.id,
      phone: row.phone,
      name: row.name,
      passwordHash: '',
      boundAgentId: row.agentId,
      boundAt: row.now,
      boundProof: 'order',
      boundProofRef: row.orderId,
      lastOrderAt: row.now,
      createdAt: row.now,
    })
    .onConflictDoNothing({ target: members.phone });
}

/**
 * A paid order recorded on its member; `bindTo` also moves the binding, with the order as its proof. It applies only
 * while the binding is as it was read: a concurrent move wins and this payment still books (no guard), and a guest
 * order never touches a member that signed up.
 */
export function recordPaidOrder(
  db: Db,
  member: { id: string; boundAgentId: string | null },
  byMember: boolean,
  now: number,
  bindTo: { agentId: string; orderId: string } | null,
) {
  const read = and(
    eq(members.id, member.id),
    same(members.boundAgentId, member.boundAgentId),
    byMember ? undefined : eq(members.passwordHash, ''),
  );
  const lastOrderAt = sql`max(coalesce(${members.lastOrderAt}, 0), ${now})`;
  if (bindTo) {
    return db
      .update(members)
      .set({
        boundAgentId: bindTo.agentId,
        boundAt: now,
        boundProof: 'order',
        boundProofRef: bindTo.orderId,
        lastOrderAt,
      })
      .where(read);
  }
  return db.update(members).set({ lastOrderAt }).where(read);
}

/** The brand moves (agentId) or removes (null) a binding; conditional on the binding it decided on. */
export function setBindingByBrand(
  db: Db,
  member: { id: string; boundAgentId: string | null },
  agentId: string | null,
  auditId: string,
  now: number,
) {
  return db
    .update(members)
    .set(
      agentId
        ? { boundAgentId: agentId, boundAt: now, boundProof: 'brand', boundProofRef: auditId }
        : { boundAgentId: null, boundAt: null, boundProof: null, boundProofRef: null },
    )
    .where(and(eq(members.id, member.id), same(members.boundAgentId, member.boundAgentId)));
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
    boundProof?: 'order' | 'sms' | 'openid' | 'brand' | null;
    boundProofRef?: string | null;
  },
) {
  return db
    .update(members)
    .set(values)
    .where(and(eq(members.id, id), eq(members.passwordHash, '')));
}
