import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { changedGuard, isGuardFailure } from '../../../db/guard';
import { heldItems } from '../../../db/held';
import { newId } from '../../../db/ids';
import { postPostings } from '../../../db/ledger';
import { putStock, takeStock } from '../../../db/orders';
import { orderLines, orderShares, orders } from '../../../db/schema';
import { type RefundedLine, refundMoves } from '../../domain/holds';
import type { AppEnv, BatchItem } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { refundIncentiveWrites } from '../../incentives/orderIncentives';
import { jsonBody, jsonResponse, Reason } from '../../schemas';
import { BRAND, isSellerSide, type LoadedOrder, loadOrder } from './access';
import { gatewayRefundInsert, originOf, sendRefund } from './gatewayRefunds';
import { LineInput, OrderIdParam, OrderView, type OrderViewT, toOrderView } from './shapes';

type Loaded = Omit<LoadedOrder, 'caller'>;

const RefundBody = z
  .strictObject({
    lines: z
      .array(LineInput)
      .min(1)
      .max(20)
      // Naming a product twice would refund its units twice over in one batch.
      .refine((lines) => new Set(lines.map((l) => l.productId)).size === lines.length, {
        message: 'duplicate-product',
      })
      .optional()
      .openapi({ description: 'Omit to refund everything not yet refunded' }),
    reason: Reason,
  })
  .openapi('Refund');

const refundable = new Set(['paid', 'shipped', 'completed']);

// Refunds `lines` (product → units): each touched share is reversed at the amount it was credited, from its party's
// account (held or released); units go back to whoever they came from. One batch; every step conditional, so a race
// aborts it whole.
export async function refund(
  c: Context<AppEnv>,
  loaded: Loaded,
  wanted: readonly { productId: string; qty: number }[],
  reason: string,
  finalStatus: 'refunded' | 'refused' = 'refunded',
  extra: BatchItem[] = [],
): Promise<OrderViewT> {
  const { order, lines, shares } = loaded;
  if (!refundable.has(order.status)) throw new AppError('INVALID_STATE', { params: { state: order.status } });
  const db = c.var.db;
  const now = Date.now();
  const txn = { id: newId('txn', now), kind: 'refund', orderId: order.id, memo: reason, at: now };
  const items = [];
  const refunded: RefundedLine[] = [];
  let refundFen = 0;
  const after = lines.map((l) => ({ ...l }));
  const refundedBefore = lines.reduce((sum, l) => sum + l.refundedQty, 0);
  for (const want of wanted) {
    const line = after.find((l) => l.productId === want.productId);
    if (!line || want.qty > line.qty - line.refundedQty) {
      throw new AppError('VALIDATION_FAILED', {
        field: 'lines',
        params: { detail: `lines: ${want.productId} × ${want.qty}` },
      });
    }
    line.refundedQty += want.qty;
    refundFen += want.qty * line.unitFen;
    const lineShares = shares.filter((s) => s.productId === want.productId);
    items.push(
      db
        .update(orderLines)
        .set({ refundedQty: sql`${orderLines.refundedQty} + ${want.qty}` })
        .where(
          and(
            eq(orderLines.orderId, order.id),
            eq(orderLines.productId, want.productId),
            sql`${orderLines.refundedQty} + ${want.qty} <= ${orderLines.qty}`,
          ),
        ),
      changedGuard(db),
      // Each share must still be where it was read (a release in between would move it), or the batch aborts.
      ...lineShares.flatMap((s) => [
        db
          .update(orderShares)
          .set({ refundedQty: sql`${orderShares.refundedQty} + ${want.qty}` })
          .where(
            and(
              eq(orderShares.orderId, order.id),
              eq(orderShares.productId, s.productId),
              eq(orderShares.partyId, s.partyId),
              eq(orderShares.status, s.status),
            ),
          ),
        changedGuard(db),
      ]),
      ...unitsBack(c, loaded, want.productId, want.qty),
    );
    refunded.push({ units: want.qty, unitFen: line.unitFen, shares: lineShares });
  }
  // One reversing transaction for the whole refund; held shares also leave their agents' counters.
  const moves = refundMoves(order, refunded);
  items.push(...postPostings(db, txn, moves.postings), ...heldItems(db, moves.held));
  // Online money goes back to the payer through WeChat Pay: the refund row (its out_refund_no) is booked with the rest.
  const viaGateway = order.paymentMethod === 'online' && order.payeeId === BRAND && refundFen > 0;
  const sent = viaGateway
    ? gatewayRefundInsert(
        db,
        { orderId: order.id, kind: 'refund', amountFen: refundFen, totalFen: order.amountFen, reason },
        now,
      )
    : null;
  if (sent) items.push(sent.insert);
  const everything = after.every((l) => l.refundedQty === l.qty);
  const status = everything ? finalStatus : order.status;
  const incentives = await refundIncentiveWrites(db, order, refundFen, order.refundedFen + refundFen, now);
  const set = { refundedFen: order.refundedFen + refundFen, status, closedAt: everything ? now : order.closedAt };
  try {
    await db.batch([
      db
        .update(orders)
        .set(set)
        .where(
          and(
            eq(orders.id, order.id),
            eq(orders.status, order.status),
            eq(orders.refundedFen, order.refundedFen),
            // A free order (a pickup) keeps refunded_fen at 0, so the units refunded so far tell a concurrent
            // refund apart; without it two partial refunds could leave a fully refunded order marked paid.
            sql`(SELECT coalesce(sum(${orderLines.refundedQty}), 0) FROM ${orderLines} WHERE ${orderLines.orderId} = ${order.id}) = ${refundedBefore}`,
          ),
        ),
      changedGuard(db),
      ...items,
      ...extra,
      ...incentives,
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
    throw err;
  }
  if (sent) await sendRefund(c.env, db, sent.id, originOf(c));
  return toOrderView({ ...order, ...set }, after);
}

// Units return to the stock they were taken from; a delivered cloud restock must still hold them.
function unitsBack(c: Context<AppEnv>, loaded: Loaded, productId: string, qty: number) {
  const { order } = loaded;
  const db = c.var.db;
  const back = putStock(db, order.stockOwnerId, productId, qty);
  if (order.kind === 'restock' && order.stockModel === 'cloud' && order.status === 'completed') {
    return [takeStock(db, order.agentId, productId, qty), changedGuard(db), back];
  }
  return [back];
}

export function refundAll(c: Context<AppEnv>, loaded: Loaded, reason: string, finalStatus: 'refunded' | 'refused') {
  const rest = loaded.lines
    .filter((l) => l.qty > l.refundedQty)
    .map((l) => ({ productId: l.productId, qty: l.qty - l.refundedQty }));
  return refund(c, loaded, rest, reason, finalStatus);
}

export const refundRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/orders/{id}/refund',
    tags: ['orders'],
    summary: 'Refund the whole order or some units of its lines (the brand, or the agent who was paid directly)',
    request: { params: OrderIdParam, ...jsonBody(RefundBody) },
    responses: { 200: jsonResponse(OrderView, 'Refunded'), ...errorResponses },
  }),
  async (c) => {
    const loaded = await loadOrder(c, c.req.valid('param').id);
    const { caller, order } = loaded;
    const mayRefund = caller.role === 'admin' || (isSellerSide(caller, order) && order.payeeId === caller.id);
    if (!mayRefund) throw new AppError('FORBIDDEN');
    const { lines, reason } = c.req.valid('json');
    const view = lines ? await refund(c, loaded, lines, reason) : await refundAll(c, loaded, reason, 'refunded');
    return c.json(view, 200);
  },
);
