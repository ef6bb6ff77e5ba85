import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { agents, orderStatusCounts, orders } from './schema';

// The first line (by product id, as the order page lists them) stands for the order in lists; each subquery reads
// at most the order's own lines (≤ 20) through the order_lines primary key.
const firstLine = (what: string) =>
  sql.raw(
    `(SELECT ${what} FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = "orders"."id" ORDER BY l.product_id LIMIT 1)`,
  );

/** The columns of an order in a list. */
export const summaryColumns = {
  id: orders.id,
  number: sql<string>`coalesce(${orders.orderNo}, ${orders.id})`.as('number'),
  kind: orders.kind,
  status: orders.status,
  agentId: orders.agentId,
  payeeId: orders.payeeId,
  memberId: orders.memberId,
  paymentMethod: orders.paymentMethod,
  amountFen: orders.amountFen,
  refundedFen: orders.refundedFen,
  shipName: orders.shipName,
  trackingNo: orders.trackingNo,
  createdAt: orders.createdAt,
  productName: sql<string | null>`${firstLine('p.name')}`.as('product_name'),
  thumbnail: sql<string | null>`${firstLine(`json_extract(p.images, '$[0]')`)}`.as('thumbnail'),
  lineCount: sql<number>`(SELECT count(*) FROM order_lines c WHERE c.order_id = "orders"."id")`.as('line_count'),
};

// Reads behind the brand's order search: each query walks one index range and stops after `take` rows.

const AGENTS_PER_NAME = 5;

export function agentsNamedQuery(db: Db, name: string) {
  return db.select({ id: agents.id }).from(agents).where(eq(agents.name, name)).limit(AGENTS_PER_NAME);
}

export function statusCountsQuery(db: Db) {
  return db.select().from(orderStatusCounts);
}

export interface SearchPage {
  status?: (typeof orders.$inferSelect)['status'];
  cursor?: string;
  take: number;
}

/** The orders one way of matching finds, newest first, from the index its predicate names. */
export function searchBranch(db: Db, match: SQL, page: SearchPage) {
  return db
    .select(summaryColumns)
    .from(orders)
    .where(
      and(
        match,
        page.status ? eq(orders.status, page.status) : undefined,
        page.cursor ? lt(orders.id, page.cursor) : undefined,
      ),
    )
    .orderBy(desc(orders.id))
    .limit(page.take);
}

export const matchNumber = (number: string) => eq(orders.orderNo, number);
export const matchPhone = (phone: string) => eq(orders.shipPhone, phone);
export const matchConsignee = (name: string) => eq(orders.shipName, name);
export const matchAgent = (agentId: string) => eq(orders.agentId, agentId);
export const matchIdPrefix = (prefix: string, end: string): SQL =>
  and(gte(orders.id, prefix), lt(orders.id, end)) ?? sql`0`;
