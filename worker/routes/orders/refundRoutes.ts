import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { orderQuery } from '../../../db/orders';
import { gatewayRefundStatuses } from '../../../db/schema';
import { abnormalRefundsQuery, type GatewayRefundRow, orderRefundsQuery, refundQuery } from '../../../db/wechat';
import type { AppEnv } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { enforceLimit } from '../../lib/rateLimit';
import { wechatAck, wechatNack } from '../../lib/wechatpay/notification';
import { parseRefundNotification } from '../../lib/wechatpay/refunds';
import { requireCaller } from '../../middleware/session';
import { jsonResponse, PageQuery, pageOf, toPage } from '../../schemas';
import { ORDER_TOKEN_HEADER, partOf, requireBuyer } from './access';
import { applyRefundState, followRefund, originOf } from './gatewayRefunds';
import { wechatConfig } from './payment';
import { OrderIdParam } from './shapes';

const OrderTokenHeader = z.object({
  [ORDER_TOKEN_HEADER]: z.string().max(128).optional().openapi({ description: 'A guest’s order token' }),
});

const GatewayRefund = z
  .object({
    id: z.string().openapi({ description: 'The out_refund_no sent to WeChat Pay' }),
    kind: z.enum(['refund', 'late']),
    amountFen: z.number().int(),
    status: z.enum(gatewayRefundStatuses).openapi({
      description:
        'pending: not yet accepted by WeChat Pay; processing; succeeded; abnormal (the brand must act); closed',
    }),
    orderId: z.string(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
    settledAt: z.number().int().nullable(),
  })
  .openapi('GatewayRefund');

const RefundList = z.object({ items: z.array(GatewayRefund) }).openapi('GatewayRefundList');

function view(r: GatewayRefundRow): z.infer<typeof GatewayRefund> {
  return {
    id: r.id,
    kind: r.kind,
    amountFen: r.amountFen,
    status: r.status,
    orderId: r.orderId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    settledAt: r.settledAt,
  };
}

// The order's buyer (session or guest token) or anyone who takes part in it (the brand, its agents).
async function mayRead(c: Context<AppEnv>, id: string) {
  const [order] = await orderQuery(c.var.db, id);
  const caller = c.var.caller;
  if (order && caller && partOf(caller, order)) return order;
  await requireBuyer(c, order);
  if (!order) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
  return order;
}

export const gatewayRefundRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/refunds/abnormal',
      tags: ['orders'],
      summary:
        'Refunds WeChat Pay reported abnormal (the payer’s account refused them), newest first, for the brand to act ' +
        'on: ask WeChat again (POST /orders/{id}/refunds/sync) or settle it in the merchant platform (brand admin)',
      request: { query: PageQuery },
      responses: { 200: jsonResponse(pageOf(GatewayRefund), 'A page of abnormal refunds'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const { cursor, limit } = c.req.valid('query');
      const rows = await abnormalRefundsQuery(c.var.db, cursor, limit + 1);
      const page = toPage(rows, limit, (r) => r.id);
      return c.json({ ...page, items: page.items.map(view) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/orders/{id}/refunds',
      tags: ['orders'],
      summary: 'Refunds of the order sent back to the payer through WeChat Pay, newest first, with their state',
      request: { params: OrderIdParam, headers: OrderTokenHeader },
      responses: { 200: jsonResponse(RefundList, 'The refunds'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await mayRead(c, id);
      const rows = await orderRefundsQuery(c.var.db, id);
      return c.json({ items: rows.map(view) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/refunds/sync',
      tags: ['orders'],
      summary:
        'Follow the order’s unsettled refunds now: resend the pending ones (same out_refund_no) and query the ' +
        'processing or abnormal ones at WeChat Pay; rate limited per order',
      request: { params: OrderIdParam, headers: OrderTokenHeader },
      responses: { 200: jsonResponse(RefundList, 'The refunds after following them'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await mayRead(c, id);
      const db = c.var.db;
      await enforceLimit(db, { key: `refundsync:${id}`, max: 30, windowSeconds: 600 });
      for (const row of await orderRefundsQuery(db, id)) await followRefund(c.env, db, row, originOf(c));
      const rows = await orderRefundsQuery(db, id);
      return c.json({ items: rows.map(view) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/payments/wechat/refund-notify',
      tags: ['payments'],
      summary: 'WeChat Pay API v3 refund notification (REFUND.SUCCESS / ABNORMAL / CLOSED; signed and encrypted)',
      responses: {
        200: { description: 'Accepted (also for a repeat)' },
        400: { description: 'Refused: {"code":"FAIL","message":…}' },
        401: { description: 'Signature refused' },
      },
    }),
    async (c) => {
      const config = wechatConfig(c.env);
      const body = await c.req.text();
      if (!config) return c.json(wechatNack('online payment is not configured').body, 400);
      const parsed = await parseRefundNotification(c.req.raw.headers, body, config, Date.now());
      if (!parsed.ok) {
        const nack = wechatNack(parsed.reason);
        return c.json(nack.body, nack.status);
      }
      const [row] = await refundQuery(c.var.db, parsed.outRefundNo);
      // Not a refund of ours, or not the amount we asked for: refused, never booked.
      if (!row || row.amountFen !== parsed.amountFen) return c.json(wechatNack('PAYMENT_MISMATCH').body, 400);
      await applyRefundState(c.var.db, row, parsed.state, parsed.refundId);
      return c.body(null, wechatAck().status);
    },
  );
