import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { members } from './schema';

// An agent's customers (我的客户): members bound to it, newest binding first by member id, a page at a time through
// members_bound_agent; each count reads only that member's orders through orders_member.
export function customersPage(db: Db, agentId: string, cursor: string | undefined, take: number) {
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
    .where(and(eq(members.boundAgentId, agentId), cursor ? lt(members.id, cursor) : undefined))
    .orderBy(desc(members.id))
    .limit(take);
}
