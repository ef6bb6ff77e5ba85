import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Context } from 'hono';
import { changedGuard, isGuardFailure, isUniqueFailure } from '../../../db/guard';
import { newId } from '../../../db/ids';
import { afterSales, orders } from '../../../db/schema';
import { askedLines } from '../../domain/afterSales';
import type { AppEnv } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { requireCaller } from '../../middleware/session';
import { IdParam, jsonBody, jsonResponse, PageQuery, pageOf, Reason, toPage } from '../../schemas';
import { isSellerSide, type LoadedOrder, loadForBuyer, loadOrder } from './access';
import { refund } from './refund';
import { LineInput, OrderIdParam, OrderView } from './shapes';

const AfterSale = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderNumber: z.string(),
    kind: z.enum(['refund', 'return']).openapi({ description: 'refund: money only (仅退款); return: 退货退款' }),
    status: z.enum(['requested', 'approved', 'refused']),
    reason: z.string(),
    lines: z.array(z.object({ productId: z.string(), qty: z.number().int() })),
    amountFen: z.number().int(),
    answer: z.string().nullable(),
    createdAt: z.number().int(),
    decidedAt: z.number().int().nullable(),
  })
  .openapi('AfterSale');

const AskBody = z
  .strictObject({
    kind: z.enum(['refund', 'return']),
    reason: Reason,
    lines: z
      .array(LineInput)
      .min(1)
      .max(20)
      .refine((lines) => new Set(lines.map((l) => l.productId)).size === lines.length, {
        message: 'duplicate-product',
      })
      .optional()
      .openapi({ description: 'Omit to ask back everything not yet refunded' }),
  })
  .openapi('AfterSaleRequest');

const columns = {
  id: afterSales.id,
  orderId: afterSales.orderId,
  orderNumber: orders.orderNo,
  kind: afterSales.kind,
  status: afterSales.status,
  reason: afterSales.reason,
  lines: afterSales.lines,
  amountFen: afterSales.amountFen,
  answer: afterSales.answer,
  createdAt: afterSales.createdAt,
  decidedAt: afterSales.decidedAt,
};

type Row = Omit<z.infer<typeof AfterSale>, 'orderNumber'> & { orderNumber: string | null };
const toView = (r: Row) => ({ ...r, orderNumber: r.orderNumber ?? r.orderId });

function listQuery(c: Context<AppEnv>, where: ReturnType<typeof and>, cursor: string | undefined, limit: number) {
  return c.var.db
    .select(columns)
    .from(afterSales)
    .innerJoin(orders, eq(orders.id, afterSales.orderId))
    .where(and(where, cursor ? lt(afterSales.id, cursor) : undefined))
    .orderBy(desc(afterSales.id))
    .limit(limit + 1);
}

// The one who may refund the order answers its request: the brand, or the agent who was paid directly.
async function loadForAnswer(c: Context<AppEnv>, id: string) {
  const caller = requireCaller(c);
  // A member buys; it never answers a request.
  if (caller.role === 'member') throw new AppError('FORBIDDEN');
  const [request] = await c.var.db.select().from(afterSales).where(eq(afterSales.id, id)).limit(1);
  if (!request) throw new AppError('NOT_FOUND', { params: { what: 'afterSale' } });
  const loaded = await loadOrder(c, request.orderId).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'NOT_FOUND'
      ? new AppError('NOT_FOUND', { params: { what: 'afterSale' } })
      : err;
  });
  const mayAnswer =
    caller.role === 'admin' || (isSellerSide(caller, loaded.order) && loaded.order.payeeId === caller.id);
  if (!mayAnswer) throw new AppError('FORBIDDEN');
  if (request.status !== 'requested') throw new AppError('INVALID_STATE', { params: { state: request.status } });
  return { request, loaded };
}

function decided(c: Context<AppEnv>, id: string, status: 'approved' | 'refused', answer: string, now: number) {
  const db = c.var.db;
  return [
    db
      .update(afterSales)
      .set({ status, answer, decidedAt: now })
      .where(and(eq(afterSales.id, id), eq(afterSales.status, 'requested'))),
    changedGuard(db),
  ] as const;
}

function viewOf(loaded: Pick<LoadedOrder, 'order'>, row: Omit<Row, 'orderId' | 'orderNumber'>) {
  return toView({ ...row, orderId: loaded.order.id, orderNumber: loaded.order.orderNo });
}

export const afterSalesRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/after-sales',
      tags: ['orders'],
      summary: 'The buyer asks for after-sales (申请售后): a refund of the whole order or of some units, with a reason',
      request: { params: OrderIdParam, ...jsonBody(AskBody) },
      responses: { 201: jsonResponse(AfterSale, 'Asked; the seller side answers'), ...errorResponses },
    }),
    async (c) => {
      const loaded = await loadForBuyer(c, c.req.valid('param').id);
      if (!loaded.buyer) throw new AppError('FORBIDDEN');
      const { order } = loaded;
      if (!['paid', 'shipped', 'completed'].includes(order.status)) throw new AppError('AFTER_SALES_NOT_ALLOWED');
      const body = c.req.valid('json');
      const asked = askedLines(loaded.lines, body.lines);
      if (!asked.ok) {
        throw new AppError('VALIDATION_FAILED', {
          field: 'lines',
          params: { detail: `lines: ${asked.productId ?? ''}` },
        });
      }
      const now = Date.now();
      const row = {
        id: newId('afs', now),
        kind: body.kind,
        status: 'requested' as const,
        reason: body.reason,
        lines: asked.lines,
        amountFen: asked.amountFen,
        answer: null,
        createdAt: now,
        decidedAt: null,
      };
      try {
        await c.var.db
          .insert(afterSales)
          .values({ ...row, orderId: order.id, agentId: order.agentId, payeeId: order.payeeId });
      } catch (err) {
        if (isUniqueFailure(err, 'after_sales.order_id')) throw new AppError('AFTER_SALES_OPEN');
        throw err;
      }
      return c.json(viewOf(loaded, row), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/orders/{id}/after-sales',
      tags: ['orders'],
      summary: 'An order’s after-sales requests, newest first (its buyer and those who take part in it)',
      request: { params: OrderIdParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(AfterSale) }), 'Requests'), ...errorResponses },
    }),
    async (c) => {
      const loaded = await loadForBuyer(c, c.req.valid('param').id);
      const rows = await listQuery(c, eq(afterSales.orderId, loaded.order.id), undefined, 19);
      return c.json({ items: rows.map(toView) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/after-sales',
      tags: ['orders'],
      summary:
        'After-sales requests to answer or answered: the brand sees all; an agent those of orders sold through it or paid to it',
      request: { query: PageQuery.extend({ status: z.enum(['requested', 'approved', 'refused']).optional() }) },
      responses: { 200: jsonResponse(pageOf(AfterSale), 'A page of requests'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c);
      if (caller.role === 'member') throw new AppError('FORBIDDEN');
      const q = c.req.valid('query');
      const scope =
        caller.role === 'agent' ? or(eq(afterSales.agentId, caller.id), eq(afterSales.payeeId, caller.id)) : undefined;
      const rows = await listQuery(
        c,
        and(scope, q.status ? eq(afterSales.status, q.status) : undefined),
        q.cursor,
        q.limit,
      );
      const page = toPage(rows, q.limit, (r) => r.id);
      return c.json({ ...page, items: page.items.map(toView) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/after-sales/{id}/approve',
      tags: ['orders'],
      summary: 'Approve a request: its units are refunded through the ordinary refund, in the same batch',
      request: { params: IdParam },
      responses: { 200: jsonResponse(OrderView, 'The order after the refund'), ...errorResponses },
    }),
    async (c) => {
      const { request, loaded } = await loadForAnswer(c, c.req.valid('param').id);
      const now = Date.now();
      const reason = `售后：${request.reason}`.slice(0, 200);
      try {
        const view = await refund(c, loaded, request.lines, reason, 'refunded', [
          ...decided(c, request.id, 'approved', '', now),
        ]);
        return c.json(view, 200);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
        throw err;
      }
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/after-sales/{id}/refuse',
      tags: ['orders'],
      summary: 'Refuse a request, with the reason the buyer sees',
      request: { params: IdParam, ...jsonBody(z.strictObject({ reason: Reason })) },
      responses: { 200: jsonResponse(AfterSale, 'Refused'), ...errorResponses },
    }),
    async (c) => {
      const { request, loaded } = await loadForAnswer(c, c.req.valid('param').id);
      const now = Date.now();
      const answer = c.req.valid('json').reason;
      try {
        const [flip, guard] = decided(c, request.id, 'refused', answer, now);
        await c.var.db.batch([flip, guard]);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
        throw err;
      }
      return c.json(viewOf(loaded, { ...request, status: 'refused', answer, decidedAt: now }), 200);
    },
  );
