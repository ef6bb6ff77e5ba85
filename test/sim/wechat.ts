import { env } from 'cloudflare:test';
import { createFakeWechatPay, type FakeWechatPay, importPem } from '../browser/fakeWechatPay.mjs';
import { api, BASE } from '../helpers';
import { createFakePay, type FakePay } from '../wechatpay-fake';
import type { SimWechat } from './model';

// The simulation's WeChat Pay: the fake of the flow tests (test/browser/fakeWechatPay.mjs: trades, refunds, their
// notifications) and the payouts tests' fake (test/wechatpay-fake.ts: transfers), one merchant account for both,
// answering the Worker's outbound calls to api.mch.weixin.qq.com. The model keeps the fakes' own records, so the
// invariants compare the ledger with what WeChat holds.

const MERCHANT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';

export interface Fakes {
  pay: FakeWechatPay;
  payouts: FakePay;
}

let fakes: Fakes | undefined;
let current: SimWechat | undefined;

async function makeFakes(): Promise<Fakes> {
  const payouts = await createFakePay();
  const pay = createFakeWechatPay({
    mchId: env.WECHAT_MCH_ID,
    appId: env.WECHAT_APP_ID,
    apiV3Key: env.WECHAT_APIV3_KEY,
    platformSerial: env.WECHAT_PLATFORM_SERIAL,
    merchantSerial: MERCHANT_SERIAL,
    platformPrivateKey: await importPem(env.TEST_WECHAT_PLATFORM_PRIVATE_KEY, 'pkcs8', 'sign'),
    merchantPublicKey: payouts.merchant.publicKey,
    // Notifications reach the Worker's notify_url through its fetch handler, as every simulated request does.
    deliver: async (url, init) => {
      const res = await api(url.replace(BASE, ''), { method: init.method, raw: init.body, headers: init.headers });
      return new Response(null, { status: res.status });
    },
  });
  return { pay, payouts };
}

/** Points the Worker at the fakes (merchant keys in its env, outbound fetch answered by them); returns the undo. */
export async function installWechat(): Promise<() => void> {
  fakes ??= await makeFakes();
  const { pay, payouts } = fakes;
  const target = env as unknown as Record<string, string | undefined>;
  const before = {
    WECHAT_MERCHANT_PRIVATE_KEY: target.WECHAT_MERCHANT_PRIVATE_KEY,
    WECHAT_MERCHANT_SERIAL: target.WECHAT_MERCHANT_SERIAL,
    WECHATPAY_BACKOFF_MS: target.WECHATPAY_BACKOFF_MS,
  };
  Object.assign(target, {
    WECHAT_MERCHANT_PRIVATE_KEY: payouts.merchant.privateKeyPem,
    WECHAT_MERCHANT_SERIAL: MERCHANT_SERIAL,
    // Retries of payments and refunds wait a millisecond, not WeChat's pacing.
    WECHATPAY_BACKOFF_MS: '1,1',
  });
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.host !== 'api.mch.weixin.qq.com') return original(request);
    if (url.pathname.startsWith('/v3/transfer/') || url.pathname.startsWith('/v3/bill'))
      return payouts.fetcher(request);
    return pay.handle(request);
  };
  return () => {
    globalThis.fetch = original;
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete target[k];
      else target[k] = v;
    }
  };
}

export function wechatFakes(): Fakes {
  if (!fakes) throw new Error('the simulation’s fake WeChat Pay is not installed (test/sim/suite.ts installs it)');
  return fakes;
}

/** A new world starts with a WeChat that holds nothing. */
export function resetWechat(): SimWechat {
  const { pay, payouts } = wechatFakes();
  pay.trades.clear();
  pay.refunds.clear();
  payouts.transfers.clear();
  payouts.outcome = 'SUCCESS';
  payouts.createScript = [];
  current = {
    trades: pay.trades,
    refunds: pay.refunds,
    transfers: payouts.transfers,
    paymentsAcked: new Set(),
    refundsAcked: new Set(),
    transfersOn: false,
  };
  return current;
}

/** The fake pays `outTradeNo` and notifies; whether the Worker acknowledged it (200) is noted. */
export async function payAndNotify(w: SimWechat, outTradeNo: string): Promise<number> {
  const { pay } = wechatFakes();
  const status = await pay.pay(outTradeNo);
  if (status === 200) w.paymentsAcked.add(outTradeNo);
  return status;
}

/**
 * WeChat only notifies a payment it holds. A notification the simulation sends for an order WeChat has no trade of
 * stands for a payment through a prepay the Worker would have placed at the order's amount; one of another amount
 * is not WeChat's (a forgery), and WeChat then holds nothing paid.
 */
export async function holdPayment(outTradeNo: string, amountFen: number): Promise<void> {
  const w = current;
  if (!w) return;
  let trade = w.trades.get(outTradeNo);
  if (!trade) {
    const order = await env.DB.prepare('SELECT amount_fen AS fen FROM orders WHERE id = ?')
      .bind(outTradeNo)
      .first<{ fen: number }>();
    if (!order) return;
    trade = {
      outTradeNo,
      total: order.fen,
      state: 'NOTPAY',
      prepayId: `wx_${outTradeNo}`,
      codeUrl: `weixin://wxpay/bizpayurl?pr=${outTradeNo}`,
      channel: 'jsapi',
      notifyUrl: `${BASE}/api/payments/wechat/notify`,
    };
    w.trades.set(outTradeNo, trade);
  }
  if (trade.total !== amountFen || trade.state !== 'NOTPAY') return;
  Object.assign(trade, { state: 'SUCCESS', transactionId: `4200${Date.now()}${w.trades.size}`, paidAt: Date.now() });
}

/** The Worker's answer to a payment notification: a 200 means it has booked the payment (or had before). */
export function paymentAnswered(outTradeNo: string, amountFen: number, status: number): void {
  const trade = current?.trades.get(outTradeNo);
  if (trade && trade.total === amountFen && status === 200) current?.paymentsAcked.add(outTradeNo);
}

export function tradePaid(w: SimWechat, outTradeNo: string): boolean {
  const state = w.trades.get(outTradeNo)?.state;
  return state === 'SUCCESS' || state === 'REFUND';
}
