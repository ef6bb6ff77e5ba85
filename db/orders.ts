import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { agents, orderLines, orderShares, orders, productPrices, products, stock, teamMembers } from './schema';

// Data access for orders: the reads one placement needs (batched by the caller) and the stock moves.

export const agentLink = { id: agents.id, level: agents.level, status: agents.status };

export function agentQuery(db: Db, id: string) {
  return db
    .select({ ...agentLink, name: agents.name, supplierId: agents.supplierId, supplyStoppedAt: agents.supplyStoppedAt })
    .from(agents)
    .where(eq(agents.id, id))
    .limit(1);
}

export function agentByCodeQuery(db: Db, code: string) {
  return db
    .select({ ...agentLink, name: agents.name, supplierId: agents.supplierId, supplyStoppedAt: agents.supplyStoppedAt })
    .from(agents)
    .where(eq(agents.code, code))
    .limit(1);
}

// The agents above `memberId` (nearest first comes from ordering by level, which strictly rises up the chain).
export function aboveQuery(db: Db, memberId: string | ReturnType<typeof sql>) {
  return db
    .select(agentLink)
    .from(teamMembers)
    .innerJoin(agents, eq(agents.id, teamMembers.ancestorId))
    .where(eq(teamMembers.memberId, memberId))
    .orderBy(sql`${agents.level} DESC`);
}

export function productsQuery(db: Db, ids: string[]) {
  return db
    .select({ id: products.id, name: products.name, retailFen: products.retailFen, onSale: products.onSale })
    .from(products)
    .where(inArray(products.id, ids));
}

export function pricesQuery(db: Db, ids: string[]) {
  return db.select().from(productPrices).where(inArray(productPrices.productId, ids));
}

export function stockQuery(db: Db, ownerId: string, ids: string[]) {
  return db
    .select({ productId: stock.productId, qty: stock.qty })
    .from(stock)
    .where(and(eq(stock.ownerId, ownerId), inArray(stock.productId, ids)));
}

// Taking units can never go below zero: the conditional update changes nothing when too few are left, and the
// caller's guard then aborts the batch.
export function takeStock(db: Db, ownerId: string, productId: string, qty: number) {
  return db
    .update(stock)
    .set({ qty: sql`${stock.qty} - ${qty}` })
    .where(and(eq(stock.ownerId, ownerId), eq(stock.productId, productId), sql`${stock.qty} >= ${qty}`));
}

export function putStock(db: Db, ownerId: string, productId: string, qty: number) {
  return db
    .insert(stock)
    .values({ ownerId, productId, qty })
    .onConflictDoUpdate({ target: [stock.ownerId, stock.productId], set: { qty: sql`${stock.qty} + ${qty}` } });
}

export function orderQuery(db: Db, id: string) {
  return db.select().from(orders).where(eq(orders.id, id)).limit(1);
}

export function linesQuery(db: Db, orderId: string) {
  return db
    .select({
      productId: orderLines.productId,
      qty: orderLines.qty,
      unitFen: orderLines.unitFen,
      refundedQty: orderLines.refundedQty,
      name: sql<string>`${products.name}`.as('product_name'),
    })
    .from(orderLines)
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(eq(orderLines.orderId, orderId))
    .orderBy(asc(orderLines.productId));
}

export function sharesQuery(db: Db, orderId: string) {
  return db.select().from(orderShares).where(eq(orderShares.orderId, orderId));
}

export type OrderRow = typeof orders.$inferSelect;
export type LineRow = Awaited<ReturnType<typeof linesQuery>>[number];
export type ShareRow = typeof orderShares.$inferSelect;
