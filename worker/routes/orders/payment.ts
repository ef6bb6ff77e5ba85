import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../../../db/guard';
import { newId } from '../../../db/ids';
import { postTransaction } from '../../../db/ledger';
import { linesQuery, orderQuery } from '../../../db/orders';
import { orders } from '../../../db/schema';
import { account } from '../../domain/ledger';
import type { AppEnv } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { idempotencyOf } from '../../lib/idempotency';
import type { WechatPayConfig } from '../../lib/wechatpay/config';
import { merchantConfigOf } from '../../lib/wechatpay/env';
import { parsePaymentNotification, wechatAck, wechatNack } from '../../lib/wechatpay/notification';
import { brandOnly } from '../../middleware/session';
import { jsonBody, jsonResponse, TextLine } from '../../schemas';
import { ORDER_TOKEN_HEADER, requireBuyer } from './access';
import { bookPayment } from './booking';
import { gatewayRefundInsert, originOf, sendRefund } from './gatewayRefunds';
import { OrderIdParam, OrderView, toOrderView } from './shapes';

type Bindings = AppEnv['Bindings'];

// WeChat Pay settings come from secrets (wrangler secret put …; .dev.vars locally). Without them online payment is off.
export function wechatConfig(env: Bindings): WechatPayConfig | null {
  const e = env as Bindings & Record<string, string | undefined>;
  const { WECHAT_MCH_ID, WECHAT_APP_ID, WECHAT_APIV3_KEY, WECHAT_PLATFORM_PUBLIC_KEY, WECHAT_PLATFORM_SERIAL } = e;
  if (!WECHAT_MCH_ID || !WECHAT_APP_ID || !WECHAT_APIV3_KEY || !WECHAT_PLATFORM_PUBLIC_KEY || !WECHAT_PLATFORM_SERIAL)
    return null;
  return {
    mchId: WECHAT_MCH_ID,
    appId: WECHAT_APP_ID,
    apiV3Key: WECHAT_APIV3_KEY,
    platformPublicKeyPem: WECHAT_PLATFORM_PUBLIC_KEY,
    platformSerial: WECHAT_PLATFORM_SERIAL,
  };
}

const OrderTokenHeader = z.object({
  [ORDER_TOKEN_HEADER]: z.string().max(128).optional().openapi({ description: 'A guest’s order token' }),
});

export const paymentRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/confirm-payment',
      tags: ['orders'],
      summary: 'Confirm an offline payment was received (by the payee: the supplier agent, or the brand)',
      request: { params: OrderIdParam, headers: z.object({ 'idempotency-key': z.string().max(64).optional() }) },
      responses: { 200: jsonResponse(OrderView, 'Paid'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const result = await bookPayment(c, id, { method: 'offline', idem: await idempotencyOf(c, 'pay', { id }) });
      if (result.kind === 'late' || !result.order) throw new AppError('INVALID_STATE', { params: { state: 'paid' } });
      return c.json(result.order, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/payments/wechat/notify',
      tags: ['payments'],
      summary: 'WeChat Pay API v3 payment notification (signed, AES-256-GCM encrypted resource)',
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
      const parsed = await parsePaymentNotification(c.req.raw.headers, body, config, Date.now());
      if (!parsed.ok) {
        const nack = wechatNack(parsed.reason);
        return c.json(nack.body, nack.status);
      }
      const tx = parsed.transaction;
      // Amounts are fen of CNY: a notification in another currency is refused, never booked.
      if (tx.amount.currency !== 'CNY') {
        console.error(JSON.stringify({ level: 'warn', msg: 'non-CNY payment refused', order: tx.out_trade_no }));
        return c.json(wechatNack('PAYMENT_MISMATCH').body, 400);
      }
      try {
        await bookPayment(c, tx.out_trade_no, {
          method: 'online',
          event: { eventId: parsed.eventId, transactionId: tx.transaction_id, amountFen: tx.amount.total },
        });
      } catch (err) {
        if (err instanceof AppError && err.status < 500) return c.json(wechatNack(err.code).body, 400);
        throw err;
      }
      return c.body(null, wechatAck().status);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/simulate-payment',
      tags: ['orders'],
      summary:
        'Local demos only (PAYMENT_SIMULATOR=1): the buyer books an online payment as if WeChat Pay had notified it',
      request: { params: OrderIdParam, headers: OrderTokenHeader },
      responses: { 200: jsonResponse(OrderView, 'Paid'), ...errorResponses },
    }),
    async (c) => {
      if (c.env.PAYMENT_SIMULATOR !== '1') throw new AppError('ROUTE_NOT_FOUND');
      const { id } = c.req.valid('param');
      const [order] = await orderQuery(c.var.db, id);
      const buyer = await requireBuyer(c, order);
      if (!order) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
      const event = { eventId: `sim-${id}`, transactionId: `sim-${id}`, amountFen: order.amountFen };
      const result = await bookPayment(c, id, { method: 'online', event });
      if (result.kind === 'late' || !result.order)
        throw new AppError('INVALID_STATE', { params: { state: order.status } });
      return c.json(buyer === 'guest' ? { ...result.order, agentId: null } : result.order, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/late-payment-refund',
      tags: ['orders'],
      summary:
        'The brand refunds a payment that arrived after the order was cancelled: through WeChat Pay (no body, or no ' +
        'reference), or records a refund it made by hand (a reference)',
      middleware: [brandOnly] as const,
      request: {
        params: OrderIdParam,
        ...jsonBody(z.strictObject({ reference: TextLine(64).optional() })),
      },
      responses: { 200: jsonResponse(OrderView, 'Refund recorded'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reference } = c.req.valid('json');
      const db = c.var.db;
      const [[order], lines] = await db.batch([orderQuery(db, id), linesQuery(db, id)]);
      if (!order) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
      if (order.latePaidFen === 0 || order.lateRefundedAt !== null) {
        throw new AppError('INVALID_STATE', { params: { state: order.status } });
      }
      const now = Date.now();
      const viaGateway = !reference && merchantConfigOf(c.env) !== null;
      if (!reference && !viaGateway) throw new AppError('PAYMENT_UNAVAILABLE');
      // Through the gateway the refund's out_refund_no is the reference, and the money is in flight until confirmed.
      const sent = viaGateway
        ? gatewayRefundInsert(
            db,
            {
              orderId: id,
              kind: 'late',
              amountFen: order.latePaidFen,
              totalFen: order.latePaidFen,
              reason: '订单已取消',
            },
            now,
          )
        : null;
      const ref = sent?.id ?? reference ?? '';
      try {
        await db.batch([
          db
            .update(orders)
            .set({ lateRefundedAt: now, lateRefundRef: ref })
            .where(and(eq(orders.id, id), gt(orders.latePaidFen, 0), isNull(orders.lateRefundedAt))),
          changedGuard(db),
          ...postTransaction(db, { id: newId('txn', now), kind: 'late_refund', orderId: id, memo: ref, at: now }, [
            {
              from: account.refundsDue,
              to: sent ? account.refundsInFlight : account.gateway,
              amountFen: order.latePaidFen,
            },
          ]),
          ...(sent ? [sent.insert] : []),
        ]);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: order.status } });
        throw err;
      }
      if (sent) await sendRefund(c.env, db, sent.id, originOf(c));
      return c.json(toOrderView({ ...order, lateRefundedAt: now, lateRefundRef: ref }, lines), 200);
    },
  );
