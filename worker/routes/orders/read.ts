import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gte, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { summaryColumns } from '../../../db/orderSearch';
import { type LineRow, linesQuery, type OrderRow, orderQuery } from '../../../db/orders';
import { payeeDetails, servingAgent } from '../../../db/payee';
import { orderLines, orderStatuses, orders } from '../../../db/schema';
import { archivedMonthOf, archivedOrder } from '../../archive/orders';
import { archivedMonthsQuery, toArchivedMonths } from '../../archive/read';
import { normaliseOrderNumber } from '../../domain/orderNumber';
import type { AppEnv, Db } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { clientIp, enforceLimit } from '../../lib/rateLimit';
import { requireCaller } from '../../middleware/session';
import { jsonResponse, PageQuery, Phone, pageOf, toPage } from '../../schemas';
import { holdsGuestToken, ORDER_TOKEN_HEADER, partOf } from './access';
import { OrderIdParam, OrderView, toGuestView, toOrderView } from './shapes';
import { OrderSummary } from './summary';
import { TRACK_COOKIE } from './tracking';

const OrderTokenHeader = z.object({
  [ORDER_TOKEN_HEADER]: z.string().max(128).optional().openapi({ description: 'A guest’s order token' }),
});

const ListQuery = PageQuery.extend({
  status: z.enum(orderStatuses).optional(),
  number: z.string().max(40).optional().openapi({
    description: 'An order number (spaces and dashes allowed): that order, if the caller takes part in it',
  }),
  agentId: z.string().max(40).optional().openapi({ description: 'Brand only' }),
  productId: z.string().max(40).optional(),
  from: z.coerce.number().int().min(0).optional().openapi({ description: 'Created at or after (ms)' }),
  to: z.coerce.number().int().min(0).optional().openapi({ description: 'Created before (ms)' }),
  role: z
    .enum(['sold', 'bought', 'to_ship', 'to_confirm'])
    .optional()
    .openapi({ description: 'Agent only: orders sold through me, my own, ones I ship, payments I confirm' }),
  lateRefundDue: z
    .enum(['1'])
    .optional()
    .openapi({ description: 'Brand only: cancelled orders paid afterwards whose money is not refunded yet' }),
});

// A read answer: the order with its payee's details and, for a consumer order, the agent serving it (a guest is told it
// only when the order says so: see consumerPayee).
async function readView(db: Db, order: OrderRow, lines: LineRow[], guest: boolean) {
  const view = guest ? toGuestView(order, lines) : toOrderView(order, lines);
  const named = order.kind === 'consumer' && (!guest || order.agentShown);
  const [payee, servedBy] = await Promise.all([
    payeeDetails(db, order.payeeId),
    named ? servingAgent(db, order.agentId) : null,
  ]);
  return { ...view, payee, servedBy };
}

// From the archive when the order's month is archived (its rows then leave D1 chunk by chunk), else from D1.
async function findOrder(c: Context<AppEnv>, id: string) {
  const db = c.var.db;
  const [[order], lines, months] = await db.batch([orderQuery(db, id), linesQuery(db, id), archivedMonthsQuery(db)]);
  const month = archivedMonthOf(toArchivedMonths(months), id);
  if (month) return archivedOrder(db, c.env.ARCHIVE, month, id);
  return order ? { order, lines } : null;
}

export const readRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/orders/{id}',
      tags: ['orders'],
      summary: 'One order, for those who take part in it, or a guest holding its X-Order-Token',
      request: { params: OrderIdParam, headers: OrderTokenHeader },
      responses: { 200: jsonResponse(OrderView, 'Order'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const db = c.var.db;
      const guest = c.req.header(ORDER_TOKEN_HEADER) !== undefined || Boolean(getCookie(c, TRACK_COOKIE));
      if (guest) {
        await enforceLimit(db, { key: `order-read:ip:${clientIp(c.req.raw.headers)}`, max: 60, windowSeconds: 60 });
      } else requireCaller(c);
      const found = await findOrder(c, id);
      if (guest) {
        if (found && (await holdsGuestToken(c, found.order))) {
          return c.json(await readView(db, found.order, found.lines, true), 200);
        }
        if (!c.var.caller) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
      }
      if (!found || !partOf(requireCaller(c), found.order))
        throw new AppError('NOT_FOUND', { params: { what: 'order' } });
      return c.json(await readView(db, found.order, found.lines, false), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/orders/{id}/track',
      tags: ['orders'],
      summary: 'A guest follows its order with the phone it gave and its X-Order-Token (rate limited)',
      request: { params: OrderIdParam, query: z.object({ phone: Phone }), headers: OrderTokenHeader },
      responses: { 200: jsonResponse(OrderView, 'Order'), ...errorResponses },
    }),
    async (c) => {
      const db = c.var.db;
      await enforceLimit(db, { key: `track:ip:${clientIp(c.req.raw.headers)}`, max: 30, windowSeconds: 60 });
      const { id } = c.req.valid('param');
      const [[order], lines] = await db.batch([orderQuery(db, id), linesQuery(db, id)]);
      // The phone alone is no proof: anyone who knows it (and the id) would read the name and address.
      const known = order?.kind === 'consumer' && order.shipPhone === c.req.valid('query').phone;
      if (!order || !known || !(await holdsGuestToken(c, order))) {
        throw new AppError('NOT_FOUND', { params: { what: 'order' } });
      }
      return c.json(await readView(db, order, lines, true), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/orders',
      tags: ['orders'],
      summary: 'Orders the caller takes part in, newest first; the brand audits all with filters',
      request: { query: ListQuery },
      responses: { 200: jsonResponse(pageOf(OrderSummary), 'A page of orders'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c);
      const q = c.req.valid('query');
      const scope: (SQL | undefined)[] = [];
      if (caller.role === 'member') scope.push(eq(orders.memberId, caller.id));
      if (caller.role === 'agent') {
        const byRole = {
          sold: and(eq(orders.agentId, caller.id), eq(orders.kind, 'consumer')),
          bought: and(eq(orders.agentId, caller.id), sql`${orders.kind} <> 'consumer'`),
          to_ship: eq(orders.stockOwnerId, caller.id),
          to_confirm: eq(orders.payeeId, caller.id),
        };
        scope.push(
          q.role
            ? byRole[q.role]
            : or(eq(orders.agentId, caller.id), eq(orders.payeeId, caller.id), eq(orders.stockOwnerId, caller.id)),
        );
      }
      if (caller.role === 'admin' && q.agentId) scope.push(eq(orders.agentId, q.agentId));
      // Written as the partial index orders_late_payment_due is defined, so SQLite reads only those rows.
      if (caller.role === 'admin' && q.lateRefundDue) scope.push(sql`late_paid_fen > 0 AND late_refunded_at IS NULL`);
      const rows = await c.var.db
        .select(summaryColumns)
        .from(orders)
        .where(
          and(
            ...scope,
            q.status ? eq(orders.status, q.status) : undefined,
            q.number !== undefined ? eq(orders.orderNo, normaliseOrderNumber(q.number) ?? '') : undefined,
            q.from !== undefined ? gte(orders.createdAt, q.from) : undefined,
            q.to !== undefined ? lt(orders.createdAt, q.to) : undefined,
            q.productId
              ? sql`EXISTS (SELECT 1 FROM ${orderLines} WHERE ${orderLines.orderId} = ${orders.id} AND ${orderLines.productId} = ${q.productId})`
              : undefined,
            q.cursor ? lt(orders.id, q.cursor) : undefined,
          ),
        )
        .orderBy(desc(orders.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => r.id),
        200,
      );
    },
  );
