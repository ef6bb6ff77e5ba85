import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { renderSVG } from 'uqr';
import { sha256Hex } from '../../../db/ids';
import { linesQuery, type OrderRow, orderQuery } from '../../../db/orders';
import { memberOpenidQuery, visitorQuery } from '../../../db/wechat';
import type { AppEnv } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { assertWithinLimit, clientIp, countHit } from '../../lib/rateLimit';
import { WECHAT_VISITOR_COOKIE } from '../../lib/wechat/visitor';
import { WechatPayError } from '../../lib/wechatpay/config';
import { merchantConfigOf, payClientOf } from '../../lib/wechatpay/env';
import { jsapiPayParams } from '../../lib/wechatpay/prepay';
import { placeTrade, queryTrade } from '../../lib/wechatpay/trade';
import { jsonBody, jsonResponse } from '../../schemas';
import { ORDER_TOKEN_HEADER, requireBuyer } from './access';
import { bookPayment, closedUnpaid } from './booking';
import { OrderIdParam, OrderView, toGuestView, toOrderView } from './shapes';

const OrderTokenHeader = z.object({
  [ORDER_TOKEN_HEADER]: z.string().max(128).optional().openapi({ description: 'A guest’s order token' }),
});

const JsapiParams = z
  .object({
    appId: z.string(),
    timeStamp: z.string(),
    nonceStr: z.string(),
    package: z.string(),
    signType: z.literal('RSA'),
    paySign: z.string(),
  })
  .openapi('JsapiPayParams');

const PayStart = z
  .object({
    channel: z.enum(['jsapi', 'native', 'h5']),
    jsapi: JsapiParams.optional().openapi({ description: 'For WeixinJSBridge getBrandWCPayRequest / wx.chooseWXPay' }),
    codeUrl: z.string().optional().openapi({ description: 'Native: the weixin://wxpay/… link to show as a QR code' }),
    qrSvg: z.string().optional().openapi({ description: 'Native: that QR code as SVG markup' }),
    h5Url: z.string().optional().openapi({ description: 'H5: the page to send the phone browser to' }),
  })
  .openapi('PayStart');

// The openid WeChat OAuth gave this browser (its HttpOnly cookie), else the signed-in member's stored one.
async function payerOpenid(c: Context<AppEnv>): Promise<string | null> {
  const db = c.var.db;
  const token = getCookie(c, WECHAT_VISITOR_COOKIE);
  if (token && token.length <= 128) {
    const [visitor] = await visitorQuery(db, await sha256Hex(token), Date.now());
    if (visitor) return visitor.openid;
  }
  const caller = c.var.caller;
  if (caller?.role === 'member') return (await memberOpenidQuery(db, caller.id))[0]?.openid ?? null;
  return null;
}

async function buyersOrder(c: Context<AppEnv>, id: string, limitKey: string) {
  const db = c.var.db;
  const now = Date.now();
  // Every call may reach WeChat Pay: bounded per address before anything, per order once the buyer is known.
  const byIp = { key: `${limitKey}:ip:${clientIp(c.req.raw.headers)}`, max: 60, windowSeconds: 600 };
  const [[ipHits], [order]] = await db.batch([countHit(db, byIp, now), orderQuery(db, id)]);
  assertWithinLimit(byIp, ipHits?.count, now);
  const buyer = await requireBuyer(c, order);
  if (order?.paymentMethod !== 'online') throw new AppError('NOT_FOUND', { params: { what: 'order' } });
  const byOrder = { key: `${limitKey}:order:${id}`, max: limitKey === 'pay' ? 10 : 120, windowSeconds: 600 };
  const [orderHits] = await countHit(db, byOrder, now);
  assertWithinLimit(byOrder, orderHits?.count, now);
  return { order, buyer };
}

function payable(order: OrderRow, now: number) {
  if (order.status !== 'pending_payment') throw new AppError('INVALID_STATE', { params: { state: order.status } });
  if (order.expiresAt !== null && order.expiresAt <= now) {
    throw new AppError('INVALID_STATE', { params: { state: 'expired' } });
  }
}

export const onlinePayRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/pay',
      tags: ['orders'],
      summary:
        'Start an online payment (the buyer only: its session, or a guest’s X-Order-Token). jsapi: in WeChat, with ' +
        'the openid WeChat OAuth gave this browser (never one from the client); native: a QR code for a desktop; ' +
        'h5: a phone browser, when the merchant has H5 enabled (else OPEN_IN_WECHAT). Rate limited',
      request: {
        params: OrderIdParam,
        headers: OrderTokenHeader,
        ...jsonBody(z.strictObject({ channel: z.enum(['jsapi', 'native', 'h5']) })),
      },
      responses: { 200: jsonResponse(PayStart, 'What the page pays with'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { channel } = c.req.valid('json');
      const { order } = await buyersOrder(c, id, 'pay');
      payable(order, Date.now());
      const config = merchantConfigOf(c.env);
      if (!config) throw new AppError('PAYMENT_UNAVAILABLE');
      if (channel === 'h5' && c.env.WECHATPAY_H5 !== '1') throw new AppError('OPEN_IN_WECHAT');
      const openid = channel === 'jsapi' ? await payerOpenid(c) : null;
      if (channel === 'jsapi' && !openid) throw new AppError('OPEN_IN_WECHAT');
      try {
        const placed = await placeTrade(
          payClientOf(c.env, config),
          channel,
          {
            appId: config.appId,
            mchId: config.mchId,
            orderId: order.id,
            description: `订单 ${order.id}`,
            amountFen: order.amountFen,
            notifyUrl: `${new URL(c.req.url).origin}/api/payments/wechat/notify`,
          },
          { ...(openid ? { openid } : {}), clientIp: clientIp(c.req.raw.headers) },
        );
        if (placed.channel === 'jsapi') {
          return c.json({ channel: placed.channel, jsapi: await jsapiPayParams(config, placed.prepayId) }, 200);
        }
        if (placed.channel === 'native') {
          const qrSvg = renderSVG(placed.codeUrl, { border: 2 });
          return c.json({ channel: placed.channel, codeUrl: placed.codeUrl, qrSvg }, 200);
        }
        return c.json({ channel: placed.channel, h5Url: placed.h5Url }, 200);
      } catch (err) {
        if (err instanceof WechatPayError) throw new AppError('PAYMENT_UNAVAILABLE');
        throw err;
      }
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/pay/sync',
      tags: ['orders'],
      summary:
        'The buyer’s page asks WeChat Pay for the order’s payment (query by out_trade_no) when the notification is ' +
        'late; a payment found is booked exactly as a notification would book it, once',
      request: { params: OrderIdParam, headers: OrderTokenHeader },
      responses: {
        200: jsonResponse(
          z.object({ tradeState: z.string(), order: OrderView }).openapi('PaySync'),
          'WeChat Pay’s trade_state and the order',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { order, buyer } = await buyersOrder(c, id, 'paysync');
      const config = merchantConfigOf(c.env);
      if (!config) throw new AppError('PAYMENT_UNAVAILABLE');
      let tradeState: string = order.status === 'pending_payment' || closedUnpaid(order) ? 'NOTPAY' : 'SUCCESS';
      // Only an order still waiting (or closed unpaid, for a late payment) can have a payment WeChat knows and we do not.
      if (tradeState === 'NOTPAY' && order.latePaidFen === 0) {
        try {
          const trade = await queryTrade(payClientOf(c.env, config), config.mchId, order.id);
          tradeState = trade.state;
          if (trade.state === 'SUCCESS') {
            const tx = trade.transaction;
            if (tx.mchid !== config.mchId || tx.appid !== config.appId || tx.amount.currency !== 'CNY') {
              throw new AppError('PAYMENT_MISMATCH', { params: { detail: 'merchant' } });
            }
            await bookPayment(c, order.id, {
              method: 'online',
              event: {
                eventId: `query:${tx.transaction_id}`,
                transactionId: tx.transaction_id,
                amountFen: tx.amount.total,
              },
            });
          }
        } catch (err) {
          if (err instanceof WechatPayError) throw new AppError('PAYMENT_UNAVAILABLE');
          throw err;
        }
      }
      const db = c.var.db;
      const [[now], lines] = await db.batch([orderQuery(db, id), linesQuery(db, id)]);
      if (!now) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
      const view = buyer === 'guest' ? toGuestView(now, lines) : toOrderView(now, lines);
      return c.json({ tradeState, order: view }, 200);
    },
  );
