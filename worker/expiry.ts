import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../db/guard';
import { putStock } from '../db/orders';
import { orderLines, orderShares, orders } from '../db/schema';
import type { Db } from './env';

// Orders cancelled per cron run: the work of one run stays bounded however many expire at once; the rest wait a minute.
export const EXPIRE_PER_RUN = 50;

// Unpaid orders past their deadline give their units back, each in its own batch. The status flip is conditional
// (still unpaid, still past its deadline), so a payment booked meanwhile wins and nothing is returned twice; a payment
// that arrives after the cancellation takes the late-payment path (booking.ts).
export async function expireUnpaidOrders(db: Db, now: number, limit = EXPIRE_PER_RUN): Promise<number> {
  const due = await db
    .select({ id: orders.id, stockOwnerId: orders.stockOwnerId })
    .from(orders)
    .where(and(sql`${orders.status} = 'pending_payment'`, lte(orders.expiresAt, now)))
    .orderBy(asc(orders.expiresAt))
    .limit(limit);
  if (due.length === 0) return 0;
  const lines = await db
    .select({ orderId: orderLines.orderId, productId: orderLines.productId, qty: orderLines.qty })
    .from(orderLines)
    .where(
      inArray(
        orderLines.orderId,
        due.map((o) => o.id),
      ),
    );
  let cancelled = 0;
  for (const order of due) {
    try {
      await db.batch([
        db
          .update(orders)
          .set({ status: 'cancelled', closedAt: now, expiresAt: null })
          .where(and(eq(orders.id, order.id), eq(orders.status, 'pending_payment'), lte(orders.expiresAt, now))),
        changedGuard(db),
        ...lines.filter((l) => l.orderId === order.id).map((l) => putStock(db, order.stockOwnerId, l.productId, l.qty)),
        db.update(orderShares).set({ status: 'void' }).where(eq(orderShares.orderId, order.id)),
      ]);
      cancelled++;
    } catch (err) {
      if (!isGuardFailure(err)) throw err;
    }
  }
  return cancelled;
}
