// WeChat identity, payment and refunds driven through HTTP into the Worker, with a fake WeChat (OAuth and Pay v3,
// test/browser/fakeWechatPay.mjs) reachable from the Worker: its outbound fetches to the fake's hosts are served by
// the fake, everything else (D1 included) is real.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import worker from '../worker/index';
import { runScheduled } from '../worker/scheduled';
import { createFakeWechatPay, importPem } from './browser/fakeWechatPay.mjs';
import { admin, BASE, createAgent, freshIp, type TestAgent, uniquePhone } from './helpers';
import {
  balance,
  expectLedgerBalanced,
  guestAuth,
  guestOrder,
  type OrderBody,
  product,
  setModel,
} from './order-helpers';
import { generateRsaKeys, rsaVerify } from './wechatpay-fixtures';

const PAY_BASE = 'https://pay.fake.test';
const MP_BASE = 'https://mp.fake.test';
const OPEN_BASE = 'https://open.fake.test';
const MERCHANT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const MP_SECRET = 'mp-secret-for-tests';
const WECHAT_UA = 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.50 NetType/WIFI';

const merchant = await generateRsaKeys();
const payEnv = {
  ...env,
  WECHAT_MERCHANT_PRIVATE_KEY: merchant.privateKeyPem,
  WECHAT_MERCHANT_SERIAL: MERCHANT_SERIAL,
  WECHATPAY_API_BASE: PAY_BASE,
  WECHATPAY_BACKOFF_MS: '5,5',
  WECHAT_MP_APPID: env.WECHAT_APP_ID,
  WECHAT_MP_SECRET: MP_SECRET,
  WECHAT_API_BASE: MP_BASE,
  WECHAT_OAUTH_BASE: OPEN_BASE,
};

interface Res<T> {
  status: number;
  body: T;
  headers: Headers;
}

// A request to the Worker with WeChat Pay and the Official Account configured.
async function wx<T = Record<string, unknown>>(
  path: string,
  init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Res<T>> {
  const headers = new Headers({ 'cf-connecting-ip': freshIp(), ...init.headers });
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const ctx = createExecutionContext();
  const url = path.startsWith('http') ? path : `${BASE}${path}`;
  const request = new Request(url, {
    method: init.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'manual',
  });
  const res = await worker.fetch(request as Parameters<typeof worker.fetch>[0], payEnv, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

const fake = createFakeWechatPay({
  mchId: env.WECHAT_MCH_ID,
  appId: env.WECHAT_APP_ID,
  apiV3Key: env.WECHAT_APIV3_KEY,
  platformSerial: env.WECHAT_PLATFORM_SERIAL,
  merchantSerial: MERCHANT_SERIAL,
  platformPrivateKey: await importPem(env.TEST_WECHAT_PLATFORM_PRIVATE_KEY, 'pkcs8', 'sign'),
  merchantPublicKey: merchant.publicKey,
  // WeChat's notifications reach the Worker's notify_url.
  deliver: async (url, init) => {
    const res = await wx(url, { method: init.method, raw: init.body, headers: init.headers });
    return new Response(null, { status: res.status });
  },
});

// The fake Official Account: an OAuth code stands for one openid, once.
const codes = new Map<string, string>();
const exchanges: URL[] = [];
const realFetch = globalThis.fetch;

beforeAll(() => {
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.startsWith(PAY_BASE)) return fake.handle(request);
    if (request.url.startsWith(`${MP_BASE}/sns/oauth2/access_token`)) {
      const url = new URL(request.url);
      exchanges.push(url);
      const openid = codes.get(url.searchParams.get('code') ?? '');
      codes.delete(url.searchParams.get('code') ?? '');
      if (!openid || url.searchParams.get('secret') !== MP_SECRET) {
        return Response.json({ errcode: 40029, errmsg: 'invalid code' });
      }
      return Response.json({ access_token: 'AT', expires_in: 7200, refresh_token: 'RT', openid, scope: 'snsapi_base' });
    }
    return realFetch(input, init);
  };
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

function cookieOf(res: Res<unknown>, name: string): string | null {
  for (const line of res.headers.getSetCookie()) {
    const m = line.match(new RegExp(`^${name}=([^;]*)`));
    if (m) return m[1] ?? '';
  }
  return null;
}

// Goes through OAuth as WeChat would for a browser opening `path`; returns the visitor cookie and the openid.
async function throughOauth(path: string) {
  const opened = await wx(path, { headers: { 'user-agent': WECHAT_UA } });
  expect(opened.status).toBe(302);
  const start = await wx(opened.headers.get('location') ?? '', { headers: { 'user-agent': WECHAT_UA } });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location') ?? '');
  expect(authorize.origin + authorize.pathname).toBe(`${OPEN_BASE}/connect/oauth2/authorize`);
  expect(authorize.searchParams.get('scope')).toBe('snsapi_base');
  expect(authorize.searchParams.get('appid')).toBe(env.WECHAT_APP_ID);
  const state = cookieOf(start, 'agentry_wx_state') ?? '';
  expect(authorize.searchParams.get('state')).toBe(state);
  const openid = `oFake${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const code = `CODE${crypto.randomUUID()}`;
  codes.set(code, openid);
  const back = new URL(authorize.searchParams.get('redirect_uri') ?? '');
  back.searchParams.set('code', code);
  back.searchParams.set('state', state);
  const callback = await wx(back.toString(), { headers: { cookie: `agentry_wx_state=${state}` } });
  expect(callback.status).toBe(302);
  expect(callback.headers.get('location')).toBe(path);
  const visitor = cookieOf(callback, 'agentry_wx');
  expect(visitor).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  return { cookie: `agentry_wx=${visitor}`, openid };
}

let shop: TestAgent;
let prd: string;
let brandToken: string;

beforeAll(async () => {
  await setModel('direct');
  shop = await createAgent(6);
  prd = await product(1000);
  brandToken = await admin();
});

async function placed() {
  const order = await guestOrder(shop.code, prd, 1, 'online', {}, uniquePhone());
  expect(order.status).toBe(201);
  return order;
}

async function orderStatus(order: { body: OrderBody }) {
  const res = await wx<OrderBody>(`/api/orders/${order.body.id}`, { headers: guestAuth(order) });
  return res.body.status;
}

async function paymentTxns(orderId: string) {
  const row = await env.DB.prepare(
    "SELECT count(DISTINCT txn_id) AS n FROM ledger_entries WHERE order_id = ? AND kind = 'payment'",
  )
    .bind(orderId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe('WeChat OAuth (snsapi_base)', () => {
  it('sends a shop link opened in WeChat once through OAuth, exchanging the code server side', async () => {
    const path = `/s/${shop.code}`;
    expect((await wx(path)).status).toBe(200);
    const before = exchanges.length;
    const { cookie } = await throughOauth(path);
    expect(exchanges.length).toBe(before + 1);
    expect(exchanges.at(-1)?.searchParams.get('grant_type')).toBe('authorization_code');
    // Back on the page with the openid held: served, no second round.
    expect((await wx(path, { headers: { 'user-agent': WECHAT_UA, cookie } })).status).toBe(200);
    // Tried once in this browser session: a refusal never loops.
    expect((await wx(path, { headers: { 'user-agent': WECHAT_UA, cookie: 'agentry_wx_tried=1' } })).status).toBe(200);
    expect((await wx('/api/wechat/identity', { headers: { cookie } })).body).toEqual({ openid: true });
  });

  it('keeps no openid when the state is not this browser’s, or the code is refused', async () => {
    const forged = await wx('/api/wechat/oauth/callback?code=X&state=abc&next=/checkout', {
      headers: { cookie: 'agentry_wx_state=other' },
    });
    expect(forged.status).toBe(302);
    expect(cookieOf(forged, 'agentry_wx')).toBeNull();
    const refused = await wx('/api/wechat/oauth/callback?code=NOPE&state=s1&next=//evil.example', {
      headers: { cookie: 'agentry_wx_state=s1' },
    });
    expect(refused.headers.get('location')).toBe('/');
    expect(cookieOf(refused, 'agentry_wx')).toBeNull();
  });
});

describe('JSAPI payment with the server-held openid', () => {
  it('prepays for the OAuth openid, refuses an openid from the body, and books the notification once', async () => {
    const order = await placed();
    const pay = `/api/orders/${order.body.id}/pay`;
    const noOpenid = await wx(pay, { body: { channel: 'jsapi' }, headers: guestAuth(order) });
    expect(noOpenid.status).toBe(409);
    expect(noOpenid.body).toMatchObject({ error: { code: 'OPEN_IN_WECHAT', message: '请在微信中打开此链接完成支付' } });
    const fromBody = await wx(pay, {
      body: { channel: 'jsapi', openid: 'oAttacker000000' },
      headers: guestAuth(order),
    });
    expect(fromBody.status).toBe(400);

    const { cookie, openid } = await throughOauth('/checkout');
    const started = await wx<{ channel: string; jsapi: Record<string, string> }>(pay, {
      body: { channel: 'jsapi' },
      headers: { ...guestAuth(order), cookie },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const trade = fake.trades.get(order.body.id);
    expect(trade).toMatchObject({ channel: 'jsapi', openid, total: order.body.amountFen });
    const p = started.body.jsapi;
    expect(p.package).toBe(`prepay_id=${trade?.prepayId}`);
    const signed = `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    expect(await rsaVerify(merchant.publicKey, p.paySign ?? '', signed)).toBe(true);

    expect(await orderStatus(order)).toBe('pending_payment');
    expect(await fake.pay(trade?.prepayId ?? '')).toBe(200);
    expect(await orderStatus(order)).toBe('paid');
    // WeChat repeats the notification: acknowledged, booked once.
    expect(await fake.pay(order.body.id)).toBe(200);
    expect(await paymentTxns(order.body.id)).toBe(1);
    await expectLedgerBalanced();
  });
});

describe('Native payment and the query by out_trade_no', () => {
  it('gives a QR of code_url; a lost notification is recovered by the query and booked once', async () => {
    const order = await placed();
    const started = await wx<{ channel: string; codeUrl: string; qrSvg: string }>(`/api/orders/${order.body.id}/pay`, {
      body: { channel: 'native' },
      headers: guestAuth(order),
    });
    expect(started.status).toBe(200);
    expect(started.body.codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(started.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);

    const sync = `/api/orders/${order.body.id}/pay/sync`;
    const unpaid = await wx<{ tradeState: string; order: OrderBody }>(sync, {
      method: 'POST',
      headers: guestAuth(order),
    });
    expect(unpaid.body).toMatchObject({ tradeState: 'NOTPAY', order: { status: 'pending_payment' } });

    expect(await fake.pay(started.body.codeUrl, { notify: false })).toBe(0);
    expect(await orderStatus(order)).toBe('pending_payment');
    const found = await wx<{ tradeState: string; order: OrderBody }>(sync, {
      method: 'POST',
      headers: guestAuth(order),
    });
    expect(found.body).toMatchObject({ tradeState: 'SUCCESS', order: { status: 'paid', agentId: null } });
    // The notification arrives after all: acknowledged, nothing booked twice.
    expect(await fake.pay(order.body.id)).toBe(200);
    expect(await paymentTxns(order.body.id)).toBe(1);
    // Someone else cannot query it.
    expect((await wx(sync, { method: 'POST' })).status).toBe(401);
  });

  it('H5 is off unless enabled: a phone browser is told to open WeChat', async () => {
    const order = await placed();
    const res = await wx(`/api/orders/${order.body.id}/pay`, { body: { channel: 'h5' }, headers: guestAuth(order) });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'OPEN_IN_WECHAT' } });
  });
});

interface RefundList {
  items: { id: string; status: string; amountFen: number; kind: string }[];
}

async function paidOrder() {
  const order = await placed();
  await wx(`/api/orders/${order.body.id}/pay`, { body: { channel: 'native' }, headers: guestAuth(order) });
  expect(await fake.pay(order.body.id)).toBe(200);
  return order;
}

describe('refunds through WeChat Pay', () => {
  it('reaches WeChat once through a 5xx retry and a repeated request, and settles once on its notification', async () => {
    const order = await paidOrder();
    const inFlight = await balance('brand:refunds_in_flight');
    const gateway = await balance('external:gateway');
    const requestsBefore = fake.counts.refundRequests;
    fake.failNext('/v3/refund/domestic/refunds', 1, 500);
    const refundPath = `/api/orders/${order.body.id}/refund`;
    const headers = { authorization: `Bearer ${brandToken}` };
    const refunded = await wx<OrderBody>(refundPath, { body: { reason: '买家七天无理由' }, headers });
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
    expect(refunded.body.status).toBe('refunded');
    // The brand's retry is refused: nothing is refunded twice.
    expect((await wx(refundPath, { body: { reason: '买家七天无理由' }, headers })).status).toBe(409);
    expect(fake.counts.refundRequests - requestsBefore).toBe(2);
    const atWechat = [...fake.refunds.values()].filter((r) => r.outTradeNo === order.body.id);
    expect(atWechat).toHaveLength(1);

    const list = await wx<RefundList>(`/api/orders/${order.body.id}/refunds`, { headers: guestAuth(order) });
    expect(list.body.items).toMatchObject([{ status: 'processing', amountFen: order.body.amountFen, kind: 'refund' }]);
    expect(await balance('brand:refunds_in_flight')).toBe(inFlight + order.body.amountFen);

    const id = list.body.items[0]?.id ?? '';
    expect(atWechat[0]?.outRefundNo).toBe(id);
    expect(await fake.settleRefund(id)).toBe(200);
    expect(await fake.settleRefund(id)).toBe(200);
    const after = await wx<RefundList>(`/api/orders/${order.body.id}/refunds`, { headers: guestAuth(order) });
    expect(after.body.items).toMatchObject([{ status: 'succeeded' }]);
    expect(await balance('brand:refunds_in_flight')).toBe(inFlight);
    expect(await balance('external:gateway')).toBe(gateway + order.body.amountFen);
    await expectLedgerBalanced();
  });

  it('a refund WeChat could not be reached for stays pending, then is resent with the same out_refund_no', async () => {
    const order = await paidOrder();
    fake.failNext('/v3/refund/domestic/refunds', 3, 503);
    const headers = { authorization: `Bearer ${brandToken}` };
    const refunded = await wx<OrderBody>(`/api/orders/${order.body.id}/refund`, {
      body: { reason: '质量问题' },
      headers,
    });
    expect(refunded.status).toBe(200);
    const pending = await wx<RefundList>(`/api/orders/${order.body.id}/refunds`, { headers });
    expect(pending.body.items).toMatchObject([{ status: 'pending' }]);
    const id = pending.body.items[0]?.id ?? '';

    const synced = await wx<RefundList>(`/api/orders/${order.body.id}/refunds/sync`, { method: 'POST', headers });
    expect(synced.body.items).toMatchObject([{ id, status: 'processing' }]);
    // WeChat settles it but its notification is lost: the query finds it.
    await fake.settleRefund(id, 'SUCCESS', { notify: false });
    const queried = await wx<RefundList>(`/api/orders/${order.body.id}/refunds/sync`, {
      method: 'POST',
      headers: guestAuth(order),
    });
    expect(queried.body.items).toMatchObject([{ id, status: 'succeeded' }]);
    expect([...fake.refunds.values()].filter((r) => r.outTradeNo === order.body.id)).toHaveLength(1);
    await expectLedgerBalanced();
  });

  it('the cron resends a refund WeChat could not be reached for, then finds it settled by the query', async () => {
    const order = await paidOrder();
    fake.failNext('/v3/refund/domestic/refunds', 3, 502);
    const headers = { authorization: `Bearer ${brandToken}` };
    expect((await wx(`/api/orders/${order.body.id}/refund`, { body: { reason: '缺货' }, headers })).status).toBe(200);
    const state = async () => (await wx<RefundList>(`/api/orders/${order.body.id}/refunds`, { headers })).body.items;
    expect(await state()).toMatchObject([{ status: 'pending' }]);
    await runScheduled(payEnv, Date.now());
    const [sent] = await state();
    expect(sent?.status).toBe('processing');
    await fake.settleRefund(sent?.id ?? '', 'SUCCESS', { notify: false });
    await runScheduled(payEnv, Date.now());
    expect(await state()).toMatchObject([{ status: 'succeeded' }]);
    expect([...fake.refunds.values()].filter((r) => r.outTradeNo === order.body.id)).toHaveLength(1);
  });

  it('a payment that arrives after cancellation is refunded through the same path', async () => {
    const order = await placed();
    await wx(`/api/orders/${order.body.id}/pay`, { body: { channel: 'native' }, headers: guestAuth(order) });
    const headers = { authorization: `Bearer ${brandToken}` };
    const cancelled = await wx(`/api/orders/${order.body.id}/cancel`, { method: 'POST', headers });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(await fake.pay(order.body.id)).toBe(200);
    const late = await wx(`/api/orders/${order.body.id}/late-payment-refund`, { body: {}, headers });
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    const list = await wx<RefundList>(`/api/orders/${order.body.id}/refunds`, { headers });
    expect(list.body.items).toMatchObject([{ kind: 'late', status: 'processing', amountFen: order.body.amountFen }]);
    expect(await fake.settleRefund(list.body.items[0]?.id ?? '')).toBe(200);
    const done = await wx<RefundList>(`/api/orders/${order.body.id}/refunds`, { headers });
    expect(done.body.items).toMatchObject([{ status: 'succeeded' }]);
    // Once only.
    expect((await wx(`/api/orders/${order.body.id}/late-payment-refund`, { body: {}, headers })).status).toBe(409);
    await expectLedgerBalanced();
  });

  it('refuses a refund notification that is not signed by WeChat Pay', async () => {
    const res = await wx('/api/payments/wechat/refund-notify', { raw: '{"id":"x"}' });
    expect(res.status).toBe(401);
  });
});
