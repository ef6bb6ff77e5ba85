import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { changedGuard, isGuardFailure } from '../db/guard';
import { heldItems } from '../db/held';
import { orderShares, orders } from '../db/schema';
import { heldDeltas, heldFen } from './domain/holds';
import type { Db } from './env';

const BRAND = 'brand';
// Two statements per share and two per agent; a batch of 25 shares stays well inside D1's limits.
const PER_BATCH = 25;

type DueShare = Awaited<ReturnType<typeof dueShares>>[number];

// Through the order_shares_release index, oldest due first; the order tells who holds the money.
function dueShares(db: Db, now: number, limit: number) {
  return db
    .select({
      orderId: orderShares.orderId,
      productId: orderShares.productId,
      partyId: orderShares.partyId,
      buyUnitFen: orderShares.buyUnitFen,
      sellUnitFen: orderShares.sellUnitFen,
      amountFen: orderShares.amountFen,
      refundedQty: orderShares.refundedQty,
      payeeId: orders.payeeId,
    })
    .from(orderShares)
    .innerJoin(orders, eq(orders.id, orderShares.orderId))
    .where(and(sql`${orderShares.status} = 'pending'`, lte(orderShares.releaseAt, now)))
    .orderBy(asc(orderShares.releaseAt))
    .limit(limit);
}

// The flip is conditional on the share being as it was read (still held, no refund since), so a share is never
// released twice and a refund that lands first is never released over; the guard aborts the batch otherwise.
// The payment already credited the share to its party's account: the release writes no ledger entry, it only takes
// what the share still holds off its agent's held counter (never below zero), which makes it withdrawable.
function flipItems(db: Db, share: DueShare): [BatchItem<'sqlite'>, BatchItem<'sqlite'>] {
  return [
    db
      .update(orderShares)
      .set({ status: 'available' })
      .where(
        and(
          eq(orderShares.orderId, share.orderId),
          eq(orderShares.productId, share.productId),
          eq(orderShares.partyId, share.partyId),
          eq(orderShares.status, 'pending'),
          eq(orderShares.refundedQty, share.refundedQty),
        ),
      ),
    changedGuard(db),
  ];
}

async function releaseAll(db: Db, shares: DueShare[]): Promise<boolean> {
  const [first, ...rest] = shares;
  if (!first) return true;
  // Only money the brand collected is held; shares paid straight to an agent were never counted.
  const held = heldDeltas(
    shares.filter((s) => s.payeeId === BRAND).map((s) => ({ partyId: s.partyId, fen: heldFen(s) })),
    -1,
  );
  const [head, guard] = flipItems(db, first);
  try {
    await db.batch([head, guard, ...rest.flatMap((s) => flipItems(db, s)), ...heldItems(db, held)]);
    return true;
  } catch (err) {
    if (isGuardFailure(err)) return false;
    throw err;
  }
}

// Moves shares whose freeze period has ended from pending to available, at most `limit` per run (the cron comes
// back for the rest). Returns how many were released.
export async function releaseDueShares(db: Db, now: number, limit = 1000): Promise<number> {
  const due = await dueShares(db, now, limit);
  let released = 0;
  for (let i = 0; i < due.length; i += PER_BATCH) {
    const chunk = due.slice(i, i + PER_BATCH);
    if (await releaseAll(db, chunk)) {
      released += chunk.length;
      continue;
    }
    // A share changed after it was read (a refund, or an overlapping run): release the others one by one.
    for (const share of chunk) if (await releaseAll(db, [share])) released++;
  }
  return released;
}
