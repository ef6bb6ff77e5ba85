// Placing and querying a payment at WeChat Pay (v3): JSAPI in WeChat, Native (a QR of code_url) on a desktop, H5 in
// a phone browser, and the query by out_trade_no that recovers a lost notification.
import { z } from 'zod';
import type { PayClient } from './client';
import { payErrorDetail } from './client';
import { WechatPayError } from './config';
import type { PaymentTransaction } from './notification';

export type PayChannel = 'jsapi' | 'native' | 'h5';

export interface TradeInput {
  appId: string;
  mchId: string;
  orderId: string;
  description: string;
  amountFen: number;
  notifyUrl: string;
}

const answers = {
  jsapi: z.object({ prepay_id: z.string().min(1) }),
  native: z.object({ code_url: z.string().min(1) }),
  h5: z.object({ h5_url: z.string().min(1) }),
};

export type Placed =
  | { channel: 'jsapi'; prepayId: string }
  | { channel: 'native'; codeUrl: string }
  | { channel: 'h5'; h5Url: string };

function checkInput(input: TradeInput) {
  if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(input.orderId)) {
    throw new WechatPayError('invalid_request', 'orderId must be 6-32 of [0-9A-Za-z_-|*]');
  }
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    throw new WechatPayError('invalid_request', 'amountFen must be a positive integer');
  }
}

/** POST /v3/pay/transactions/{jsapi|native|h5}. `payer` is the openid (JSAPI), `clientIp` the H5 payer's address. */
export async function placeTrade(
  client: PayClient,
  channel: PayChannel,
  input: TradeInput,
  extra: { openid?: string; clientIp?: string },
): Promise<Placed> {
  checkInput(input);
  const body: Record<string, unknown> = {
    appid: input.appId,
    mchid: input.mchId,
    description: input.description.slice(0, 127),
    out_trade_no: input.orderId,
    notify_url: input.notifyUrl,
    amount: { total: input.amountFen, currency: 'CNY' },
  };
  if (channel === 'jsapi') body.payer = { openid: extra.openid };
  if (channel === 'h5') body.scene_info = { payer_client_ip: extra.clientIp ?? '127.0.0.1', h5_info: { type: 'Wap' } };
  const answer = await client.call('POST', `/v3/pay/transactions/${channel}`, body);
  if (answer.status !== 200) throw new WechatPayError('gateway', `prepay ${payErrorDetail(answer)}`);
  if (channel === 'jsapi') {
    const parsed = answers.jsapi.safeParse(answer.json);
    if (parsed.success) return { channel, prepayId: parsed.data.prepay_id };
  } else if (channel === 'native') {
    const parsed = answers.native.safeParse(answer.json);
    if (parsed.success) return { channel, codeUrl: parsed.data.code_url };
  } else {
    const parsed = answers.h5.safeParse(answer.json);
    if (parsed.success) return { channel, h5Url: parsed.data.h5_url };
  }
  throw new WechatPayError('gateway', `WeChat Pay answered ${channel} without its link`);
}

const queried = z.object({
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: z.string(),
  mchid: z.string(),
  appid: z.string(),
  amount: z.object({ total: z.number().int().positive(), currency: z.string().default('CNY') }).optional(),
});

export type TradeState =
  | { state: 'SUCCESS'; transaction: PaymentTransaction }
  | { state: 'NOTPAY' | 'CLOSED' | 'PAYERROR' | 'USERPAYING' | 'REVOKED' | 'REFUND' | 'NOTFOUND' | 'OTHER' };

/** GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=…: what WeChat Pay knows of the order's payment. */
export async function queryTrade(client: PayClient, mchId: string, orderId: string): Promise<TradeState> {
  const answer = await client.call(
    'GET',
    `/v3/pay/transactions/out-trade-no/${encodeURIComponent(orderId)}?mchid=${encodeURIComponent(mchId)}`,
  );
  if (answer.status === 404) return { state: 'NOTFOUND' };
  if (answer.status !== 200) throw new WechatPayError('gateway', `query ${payErrorDetail(answer)}`);
  const parsed = queried.safeParse(answer.json);
  if (!parsed.success) throw new WechatPayError('gateway', 'WeChat Pay answered the query in an unknown shape');
  const t = parsed.data;
  if (t.trade_state === 'SUCCESS') {
    if (!t.transaction_id || !t.amount) throw new WechatPayError('gateway', 'a paid trade without its transaction');
    return {
      state: 'SUCCESS',
      transaction: {
        out_trade_no: t.out_trade_no,
        transaction_id: t.transaction_id,
        trade_state: t.trade_state,
        amount: { total: t.amount.total, currency: t.amount.currency },
        mchid: t.mchid,
        appid: t.appid,
      },
    };
  }
  const known = ['NOTPAY', 'CLOSED', 'PAYERROR', 'USERPAYING', 'REVOKED', 'REFUND'] as const;
  const state = known.find((k) => k === t.trade_state) ?? 'OTHER';
  return { state };
}
