import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../db/guard';
import { brand, orderShares, orders } from '../db/schema';
import type { Db } from './env';

// Orders completed per cron run: bounded however many come due at once; the rest wait for the next run.
export const COMPLETE_PER_RUN = 50;
const DAY = 86_400_000;

// Shipped orders whose buyer has not confirmed receipt complete the brand's number of days after shipment, and their
// shares start the freeze period as on a confirmation. Each order in its own batch, its status flip conditional (still
// shipped), so a confirmation or refund meanwhile wins and nothing happens twice.
export async function completeShippedOrders(db: Db, now: number, limit = COMPLETE_PER_RUN): Promise<number> {
  const [settings] = await db
    .select({ days: brand.autoCompleteDays, freezeDays: brand.freezeDays })
    .from(brand)
    .where(eq(brand.id, 1))
    .limit(1);
  if (!settings) return 0;
  const cutoff = now - settings.days * DAY;
  const due = await db
    .select({ id: orders.id })
    .from(orders)
    // Written as the partial index orders_shipped_due is defined, so SQLite reads only due shipped orders.
    .where(and(sql`status = 'shipped'`, lte(orders.shippedAt, cutoff)))
    .orderBy(asc(orders.shippedAt))
    .limit(limit);
  let completed = 0;
  for (const order of due) {
    try {
      await db.batch([
        db
          .update(orders)
          .set({ status: 'completed', completedAt: now })
          .where(and(eq(orders.id, order.id), eq(orders.status, 'shipped'), lte(orders.shippedAt, cutoff))),
        changedGuard(db),
        db
          .update(orderShares)
          .set({ releaseAt: now + settings.freezeDays * DAY })
          .where(and(eq(orderShares.orderId, order.id), eq(orderShares.status, 'pending'))),
      ]);
      completed++;
    } catch (err) {
      if (!isGuardFailure(err)) throw err;
    }
  }
  return completed;
}
