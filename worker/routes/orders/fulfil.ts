import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import { changedGuard, isGuardFailure } from '../../../db/guard';
import { putStock } from '../../../db/orders';
import { orderShares, orders } from '../../../db/schema';
import type { AppEnv, BatchItem } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { jsonBody, jsonResponse, Reason, TextLine } from '../../schemas';
import { canShip, isSellerSide, type LoadedOrder, loadOrder } from './access';
import { refundAll } from './refund';
import { OrderIdParam, OrderView, toOrderView } from './shapes';

type Loaded = Omit<LoadedOrder, 'caller'>;
type Status = Loaded['order']['status'];

const Tracking = z.strictObject({
  carrier: TextLine(40).openapi({ example: '顺丰速运' }),
  trackingNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,40}$/)
    .openapi({ example: 'SF1234567890' }),
});

const DAY = 86_400_000;

// A status change that happens at most once: conditional on the status it leaves, aborted by the guard otherwise.
export async function transition(
  c: Context<AppEnv>,
  loaded: Loaded,
  from: readonly Status[],
  set: Partial<typeof orders.$inferInsert> & { status: Status },
  extra: BatchItem[] = [],
) {
  const { order, lines } = loaded;
  if (!from.includes(order.status)) throw new AppError('INVALID_STATE', { params: { state: order.status } });
  const db = c.var.db;
  try {
    await db.batch([
      db
        .update(orders)
        .set(set)
        .where(and(eq(orders.id, order.id), inArray(orders.status, [...from]))),
      changedGuard(db),
      ...extra,
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
    throw err;
  }
  return toOrderView({ ...order, ...set }, lines);
}

export function releaseOnCompletion(c: Context<AppEnv>, loaded: Loaded, now: number) {
  return c.var.db
    .update(orderShares)
    .set({ releaseAt: now + loaded.freezeDays * DAY })
    .where(and(eq(orderShares.orderId, loaded.order.id), eq(orderShares.status, 'pending')));
}

// A cloud restock has nothing to carry: delivering moves the units into the buyer's cloud stock and completes it.
export async function ship(c: Context<AppEnv>, id: string, tracking: z.infer<typeof Tracking> | null) {
  const loaded = await loadOrder(c, id);
  const { caller, order, lines } = loaded;
  if (!canShip(caller, order)) throw new AppError('FORBIDDEN');
  const now = Date.now();
  if (order.kind === 'restock' && order.stockModel === 'cloud') {
    return transition(c, loaded, ['paid'], { status: 'completed', shippedAt: now, completedAt: now }, [
      ...lines.map((l) => putStock(c.var.db, order.agentId, l.productId, l.qty - l.refundedQty)),
      releaseOnCompletion(c, loaded, now),
    ]);
  }
  // A direct restock has no address to send a parcel to (the brand hands the goods over its own way): a tracking
  // number is kept when given, never required. Anything with an address needs one.
  if (!tracking && order.kind !== 'restock')
    throw new AppError('VALIDATION_FAILED', {
      field: 'carrier',
      params: { detail: c.var.lang === 'en' ? 'enter the carrier and tracking number' : '请填写快递公司和快递单号' },
    });
  return transition(c, loaded, ['paid'], { status: 'shipped', shippedAt: now, ...(tracking ?? {}) });
}

export const fulfilRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/ship',
      tags: ['orders'],
      summary:
        'Ship with carrier and tracking number (a cloud restock is delivered into the buyer’s cloud stock; a direct restock, which has no address, needs none)',
      request: { params: OrderIdParam, ...jsonBody(Tracking.partial()) },
      responses: { 200: jsonResponse(OrderView, 'Shipped'), ...errorResponses },
    }),
    async (c) => {
      const body = c.req.valid('json') as Partial<z.infer<typeof Tracking>>;
      const tracking = body.carrier && body.trackingNo ? { carrier: body.carrier, trackingNo: body.trackingNo } : null;
      return c.json(await ship(c, c.req.valid('param').id, tracking), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/ship',
      tags: ['orders'],
      summary: 'Ship many orders at once (一键发货); each succeeds or fails on its own',
      request: jsonBody(
        z.strictObject({
          items: z
            .array(Tracking.extend({ orderId: z.string().max(40) }))
            .min(1)
            .max(50),
        }),
      ),
      responses: {
        200: jsonResponse(
          z.object({
            results: z.array(
              z.object({
                orderId: z.string(),
                ok: z.boolean(),
                status: z.string().optional(),
                error: z.string().optional(),
              }),
            ),
          }),
          'One result per order',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const results = [];
      for (const item of c.req.valid('json').items) {
        try {
          const view = await ship(c, item.orderId, { carrier: item.carrier, trackingNo: item.trackingNo });
          results.push({ orderId: item.orderId, ok: true, status: view.status });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results.push({ orderId: item.orderId, ok: false, error: err.code });
        }
      }
      return c.json({ results }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/refuse',
      tags: ['orders'],
      summary: 'The supplier (or the brand) refuses a restock order; a paid one is refunded whole',
      request: { params: OrderIdParam, ...jsonBody(z.strictObject({ reason: Reason })) },
      responses: { 200: jsonResponse(OrderView, 'Refused'), ...errorResponses },
    }),
    async (c) => {
      const loaded = await loadOrder(c, c.req.valid('param').id);
      const { caller, order, lines } = loaded;
      const { reason } = c.req.valid('json');
      if (order.kind !== 'restock') throw new AppError('INVALID_STATE', { params: { state: order.kind } });
      if (!isSellerSide(caller, order)) throw new AppError('FORBIDDEN');
      const now = Date.now();
      if (order.status === 'paid') return c.json(await refundAll(c, loaded, reason, 'refused'), 200);
      const view = await transition(
        c,
        loaded,
        ['pending_payment'],
        { status: 'refused', closedAt: now, note: reason },
        [
          ...lines.map((l) => putStock(c.var.db, order.stockOwnerId, l.productId, l.qty)),
          c.var.db.update(orderShares).set({ status: 'void' }).where(eq(orderShares.orderId, order.id)),
        ],
      );
      return c.json(view, 200);
    },
  );
