import { and, asc, eq, lte } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { changedGuard, isGuardFailure } from '../db/guard';
import { newId } from '../db/ids';
import { postTransaction } from '../db/ledger';
import { orderShares, orders } from '../db/schema';
import { account } from './domain/ledger';
import type { Db } from './env';

const BRAND = 'brand';
// About five statements per share; a batch of 25 stays well inside D1's limits.
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
    .where(and(eq(orderShares.status, 'pending'), lte(orderShares.releaseAt, now)))
    .orderBy(asc(orderShares.releaseAt))
    .limit(limit);
}

// What the payment credited to the party's pending account and no refund has taken back.
function releasableFen(share: Pick<DueShare, 'amountFen' | 'refundedQty' | 'buyUnitFen' | 'sellUnitFen'>) {
  return share.amountFen - share.refundedQty * (share.sellUnitFen - share.buyUnitFen);
}

// The flip is conditional on the share being as it was read (still pending, no refund since), so a share is never
// released twice and a refund that lands first is never released over; the guard aborts the batch otherwise.
// Only money the brand collected was credited to pending, so only that moves; the brand's own part is already revenue.
function releaseItems(db: Db, share: DueShare, now: number): [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]] {
  const credited = share.partyId !== BRAND && share.payeeId === BRAND;
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
    ...(credited
      ? postTransaction(
          db,
          { id: newId('txn', now), kind: 'release', orderId: share.orderId, memo: share.productId, at: now },
          [
            {
              from: account.pending(share.partyId),
              to: account.available(share.partyId),
              amountFen: releasableFen(share),
            },
          ],
        )
      : []),
  ];
}

async function releaseAll(db: Db, shares: DueShare[], now: number): Promise<boolean> {
  const [first, ...rest] = shares.map((s) => releaseItems(db, s, now));
  if (!first) return true;
  const [head, ...tail] = first;
  try {
    await db.batch([head, ...tail, ...rest.flat()]);
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
    if (await releaseAll(db, chunk, now)) {
      released += chunk.length;
      continue;
    }
    // A share changed after it was read (a refund, or an overlapping run): release the others one by one.
    for (const share of chunk) if (await releaseAll(db, [share], now)) released++;
  }
  return released;
}
