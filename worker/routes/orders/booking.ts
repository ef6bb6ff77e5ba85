import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { changedGuard, isGuardFailure, isUniqueFailure } from '../../../db/guard';
import { heldItems } from '../../../db/held';
import { newId } from '../../../db/ids';
import { postPostings, postTransaction } from '../../../db/ledger';
import { memberBindingQuery } from '../../../db/members';
import { agentLink, linesQuery, orderQuery, sharesQuery } from '../../../db/orders';
import { agents, brand, orderShares, orders, paymentEvents } from '../../../db/schema';
import { heldDeltas, paymentPostings } from '../../domain/holds';
import { account } from '../../domain/ledger';
import { BRAND } from '../../domain/orderFlow';
import type { AppEnv } from '../../env';
import { AppError } from '../../errors';
import { paymentIncentiveReads, paymentIncentiveWrites } from '../../incentives/orderIncentives';
import { type Idem, NO_KEY, replayOf, storeAnswer, storedLookup } from '../../lib/idempotency';
import { formatFen } from '../../lib/money';
import { paidOrderBindingWrites } from './consumerBinding';
import { type OrderViewT, toOrderView } from './shapes';

export interface GatewayEvent {
  eventId: string;
  transactionId: string;
  amountFen: number;
}

export type Booking =
  | { kind: 'booked'; order: OrderViewT }
  | { kind: 'repeat'; order?: OrderViewT }
  | { kind: 'late'; amountFen: number };

// Marks an order paid and books its shares, exactly once: the status flip is conditional and guarded, a gateway event
// id is unique, and a repeated Idempotency-Key replays the first answer. Reads one batch, writes one batch.
export async function bookPayment(
  c: Context<AppEnv>,
  orderId: string,
  via: { method: 'offline'; idem: Idem | null } | { method: 'online'; event: GatewayEvent },
  reread = false,
): Promise<Booking> {
  const db = c.var.db;
  const readAt = Date.now();
  const [[order], shares, lines, [seenEvent], [stored], [rules], [seller], [buyer], ...incentiveReads] = await db.batch(
    [
      orderQuery(db, orderId),
      sharesQuery(db, orderId),
      linesQuery(db, orderId),
      db
        .select()
        .from(paymentEvents)
        .where(eq(paymentEvents.eventId, via.method === 'online' ? via.event.eventId : ''))
        .limit(1),
      storedLookup(db, (via.method === 'offline' && via.idem) || NO_KEY),
      db
        .select({ policy: brand.bindingPolicy, rebindDays: brand.rebindDays })
        .from(brand)
        .where(eq(brand.id, 1))
        .limit(1),
      db
        .select(agentLink)
        .from(agents)
        .where(eq(agents.id, sql`(SELECT agent_id FROM orders WHERE id = ${orderId})`))
        .limit(1),
      memberBindingQuery(db, { order: orderId }),
      ...paymentIncentiveReads(db, orderId, readAt),
    ],
  );
  if (!order) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
  if (via.method === 'offline') {
    const caller = c.var.caller;
    const mayConfirm =
      order.payeeId === BRAND ? caller?.role === 'admin' : caller?.role === 'agent' && caller.id === order.payeeId;
    if (!caller) throw new AppError('UNAUTHENTICATED');
    if (!mayConfirm) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
    const replay = replayOf(via.idem, stored);
    if (replay) return { kind: 'repeat', order: replay.body as OrderViewT };
  } else if (seenEvent) {
    return { kind: 'repeat' };
  }
  if (order.paymentMethod !== via.method) {
    throw new AppError('PAYMENT_MISMATCH', { params: { detail: `method ${order.paymentMethod}` } });
  }
  if (via.method === 'online' && via.event.amountFen !== order.amountFen) {
    throw new AppError('PAYMENT_MISMATCH', {
      params: { detail: `${formatFen(via.event.amountFen)} ≠ ${formatFen(order.amountFen)}` },
    });
  }
  if (order.status !== 'pending_payment') {
    if (via.method === 'online' && closedUnpaid(order)) return bookLatePayment(c, order.id, via.event);
    if (via.method === 'online') return { kind: 'repeat' };
    throw new AppError('INVALID_STATE', { params: { state: order.status } });
  }

  const now = Date.now();
  const paid = { ...order, status: 'paid' as const, paidAt: now, expiresAt: null };
  const view = toOrderView(paid, lines);
  // Paid straight to an agent (offline, cloud): nothing is held for release, so the shares are recorded as void.
  const shareStatus = order.payeeId === BRAND ? 'pending' : 'void';
  const incentives = await paymentIncentiveWrites(db, order, incentiveReads, now);
  try {
    await db.batch([
      db
        .update(orders)
        .set({ status: 'paid', paidAt: now, expiresAt: null })
        .where(and(eq(orders.id, order.id), eq(orders.status, 'pending_payment'))),
      changedGuard(db),
      db.update(orderShares).set({ status: shareStatus }).where(eq(orderShares.orderId, order.id)),
      // One transaction credits every share to its party's account; agents' shares stay held until their release.
      ...postPostings(
        db,
        { id: newId('txn', now), kind: 'payment', orderId: order.id, at: now },
        paymentPostings(order, shares),
      ),
      ...(shareStatus === 'pending'
        ? heldItems(
            db,
            heldDeltas(
              shares.map((s) => ({ partyId: s.partyId, fen: s.amountFen })),
              1,
            ),
          )
        : []),
      // The paid order is the proof that binds its buyer (锁粉); an unpaid or cancelled one never does.
      ...(rules ? paidOrderBindingWrites(db, rules, order, seller, buyer, now) : []),
      // Rewards, upgrades and points the payment earns (issue 17), in this same batch.
      ...incentives,
      ...(via.method === 'online'
        ? [db.insert(paymentEvents).values({ ...via.event, orderId: order.id, at: now })]
        : via.idem
          ? [storeAnswer(db, via.idem, 200, view, now)]
          : []),
    ]);
  } catch (err) {
    if (via.method === 'online' && isUniqueFailure(err, 'payment_events')) return { kind: 'repeat' };
    // A concurrent twin with the same Idempotency-Key won: answer as it did.
    if (via.method === 'offline' && via.idem && (isGuardFailure(err) || isUniqueFailure(err, 'idempotency'))) {
      const [again] = await storedLookup(db, via.idem);
      const replay = replayOf(via.idem, again);
      if (replay) return { kind: 'repeat', order: replay.body as OrderViewT };
    }
    // Something the decision read changed since (the order was cancelled or paid by another delivery, or a concurrent
    // payment counted the referrer's recruits first): booked once more from what is there now, so a payment that lost a
    // race to a cancellation is owed back, never acknowledged and dropped, and one paid meanwhile is refused as paid.
    if (isGuardFailure(err) && !reread) return bookPayment(c, orderId, via, true);
    if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'paid' } });
    throw err;
  }
  return { kind: 'booked', order: view };
}

// Closed before any payment (cancelled, or a restock its supplier refused): a payment now is owed back.
export function closedUnpaid(order: { status: string; paidAt: number | null }): boolean {
  return order.paidAt === null && (order.status === 'cancelled' || order.status === 'refused');
}

// The payer paid after the order was cancelled (its stock is already back): the money is recorded as owed back to the
// payer, once per order, and the brand refunds it (POST /orders/{id}/late-payment-refund). Acknowledged, so the
// gateway stops retrying; nothing is absorbed silently.
async function bookLatePayment(c: Context<AppEnv>, orderId: string, event: GatewayEvent): Promise<Booking> {
  const db = c.var.db;
  const now = Date.now();
  try {
    await db.batch([
      db
        .update(orders)
        .set({ latePaidFen: event.amountFen })
        .where(
          and(
            eq(orders.id, orderId),
            inArray(orders.status, ['cancelled', 'refused']),
            isNull(orders.paidAt),
            eq(orders.latePaidFen, 0),
          ),
        ),
      changedGuard(db),
      ...postTransaction(db, { id: newId('txn', now), kind: 'late_payment', orderId, at: now }, [
        { from: account.gateway, to: account.refundsDue, amountFen: event.amountFen },
      ]),
      db.insert(paymentEvents).values({ ...event, orderId, at: now }),
    ]);
  } catch (err) {
    if (isGuardFailure(err) || isUniqueFailure(err, 'payment_events')) return { kind: 'repeat' };
    throw err;
  }
  return { kind: 'late', amountFen: event.amountFen };
}
