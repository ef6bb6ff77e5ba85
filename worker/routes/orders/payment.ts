import { createRoute, z } from '@hono/zod-openapi';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { idempotencyOf } from '../../lib/idempotency';
import { type WechatPayConfig, parsePaymentNotification, wechatAck, wechatNack } from '../../lib/wechatpay';
import { jsonResponse } from '../../schemas';
import type { AppEnv } from '../../env';
import { bookPayment } from './booking';
import { OrderIdParam, OrderView } from './shapes';

type Bindings = AppEnv['Bindings'];

// WeChat Pay settings come from secrets (wrangler secret put …; .dev.vars locally). Without them online payment is off.
export function wechatConfig(env: Bindings): WechatPayConfig | null {
  const e = env as Bindings & Record<string, string | undefined>;
  const { WECHAT_MCH_ID, WECHAT_APP_ID, WECHAT_APIV3_KEY, WECHAT_PLATFORM_PUBLIC_KEY, WECHAT_PLATFORM_SERIAL } = e;
  if (!WECHAT_MCH_ID || !WECHAT_APP_ID || !WECHAT_APIV3_KEY || !WECHAT_PLATFORM_PUBLIC_KEY || !WECHAT_PLATFORM_SERIAL) return null;
  return {
    mchId: WECHAT_MCH_ID,
    appId: WECHAT_APP_ID,
    apiV3Key: WECHAT_APIV3_KEY,
    platformPublicKeyPem: WECHAT_PLATFORM_PUBLIC_KEY,
    platformSerial: WECHAT_PLATFORM_SERIAL,
  };
}

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
      if (!result.order) throw new AppError('INVALID_STATE', { params: { state: 'paid' } });
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
      summary: 'Local demos only (PAYMENT_SIMULATOR=1): book an online payment as if WeChat Pay had notified it',
      request: { params: OrderIdParam },
      responses: { 200: jsonResponse(OrderView, 'Paid'), ...errorResponses },
    }),
    async (c) => {
      if (c.env.PAYMENT_SIMULATOR !== '1') throw new AppError('ROUTE_NOT_FOUND');
      const { id } = c.req.valid('param');
      const { orderQuery } = await import('../../../db/orders');
      const [order] = await orderQuery(c.var.db, id);
      if (!order) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
      const event = { eventId: `sim-${id}`, transactionId: `sim-${id}`, amountFen: order.amountFen };
      const result = await bookPayment(c, id, { method: 'online', event });
      if (!result.order) throw new AppError('INVALID_STATE', { params: { state: order.status } });
      return c.json(result.order, 200);
    },
  );
