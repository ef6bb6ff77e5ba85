import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { summaryColumns } from './orderSearch';
import { members, orders } from './schema';

// The upper bound of a prefix range: '9' < ':' for phones, and U+FFFF sorts after every name character in the BMP.
const phoneEnd = (prefix: string) => `${prefix}:`;
const nameEnd = (prefix: string) => `${prefix}\uffff`;

/** What the agent typed into 搜索客户: the start of a phone (3+ digits) or of a name. */
export type CustomerSearch = { phone: string } | { name: string } | undefined;

// An agent's customers (我的客户): members bound to it, newest binding first by member id, a page at a time through
// members_bound_agent; a search walks members_agent_phone or members_agent_name over the prefix only. Each count
// reads only that member's orders through orders_member.
export function customersPage(
  db: Db,
  agentId: string,
  cursor: string | undefined,
  take: number,
  search?: CustomerSearch,
) {
  const match =
    search && 'phone' in search
      ? and(gte(members.phone, search.phone), lt(members.phone, phoneEnd(search.phone)))
      : search && 'name' in search
        ? and(gte(members.name, search.name), lt(members.name, nameEnd(search.name)))
        : undefined;
  return db
    .select({
      id: members.id,
      name: members.name,
      phone: members.phone,
      boundAt: members.boundAt,
      lastOrderAt: members.lastOrderAt,
      orderCount:
        sql<number>`(SELECT count(*) FROM orders o WHERE o.member_id = "members"."id" AND o.status IN ('paid', 'shipped', 'completed', 'refunded'))`.as(
          'order_count',
        ),
    })
    .from(members)
    .where(and(eq(members.boundAgentId, agentId), match, cursor ? lt(members.id, cursor) : undefined))
    .orderBy(desc(members.id))
    .limit(take);
}

/** One customer, only if it is bound to this agent (anyone else's member reads as missing). */
export function customerOf(db: Db, agentId: string, memberId: string) {
  return db
    .select({ id: members.id, name: members.name, phone: members.phone })
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.boundAgentId, agentId)))
    .limit(1);
}

// The customer's orders sold through this agent (not those another agent sold it before a rebinding), through
// orders_member: at most that member's own orders are read.
export function customerOrdersPage(
  db: Db,
  agentId: string,
  memberId: string,
  cursor: string | undefined,
  take: number,
) {
  return db
    .select(summaryColumns)
    .from(orders)
    .where(
      and(
        eq(orders.memberId, memberId),
        eq(orders.agentId, agentId),
        eq(orders.kind, 'consumer'),
        cursor ? lt(orders.id, cursor) : undefined,
      ),
    )
    .orderBy(desc(orders.id))
    .limit(take);
}
