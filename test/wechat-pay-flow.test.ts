// WeChat identity, payment and refunds driven through HTTP into the Worker, with a fake WeChat (OAuth and Pay v3,
// test/browser/fakeWechatPay.mjs) reachable from the Worker: its outbound fetches to the fake's hosts are served by
// the fake, everything else (D1 included) is real.
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduled } from '../worker/scheduled';
import { admin, createAgent, type TestAgent, uniquePhone } from './helpers';
import {
  balance,
  expectLedgerBalanced,
  guestAuth,
  guestOrder,
  type OrderBody,
  product,
  setModel,
} from './order-helpers';
import {
  codes,
  cookieOf,
  exchanges,
  fake,
  fakeFetch,
  merchant,
  payEnv,
  realFetch,
  throughOauth,
  WECHAT_UA,
  wx,
} from './wechat-flow-helpers';
import { rsaVerify } from './wechatpay-fixtures';

beforeAll(() => {
  globalThis.fetch = fakeFetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

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

  it('gives a signed-in agent the openid its withdrawals are transferred to, never one another agent has', async () => {
    const first = await createAgent(5);
    const second = await createAgent(5);
    const openid = `oAgent${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const boundOf = async (token: string) =>
      (await wx<{ bound: boolean }>('/api/agents/me/wechat', { headers: { authorization: `Bearer ${token}` } })).body;
    expect(await boundOf(first.token)).toEqual({ bound: false });
    for (const agent of [first, second]) {
      const start = await wx('/api/wechat/oauth/start?next=/console', { headers: { 'user-agent': WECHAT_UA } });
      const state = cookieOf(start, 'agentry_wx_state') ?? '';
      const code = `CODE${crypto.randomUUID()}`;
      codes.set(code, openid);
      const back = await wx(`/api/wechat/oauth/callback?code=${code}&state=${state}&next=/console`, {
        headers: { cookie: `agentry_wx_state=${state}`, authorization: `Bearer ${agent.token}` },
      });
      expect(back.status).toBe(302);
      expect(back.headers.get('location')).toBe('/console');
    }
    const stored = await env.DB.prepare('SELECT id, openid FROM agents WHERE id IN (?, ?)')
      .bind(first.id, second.id)
      .all<{ id: string; openid: string | null }>();
    const byId = Object.fromEntries(stored.results.map((r) => [r.id, r.openid]));
    expect(byId).toEqual({ [first.id]: openid, [second.id]: null });
    // The console shows the binding (never the openid itself).
    expect(await boundOf(first.token)).toEqual({ bound: true });
    expect(await boundOf(second.token)).toEqual({ bound: false });
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

  it('an abnormal refund is shown to the consumer and listed for the brand, which asks WeChat again', async () => {
    const order = await paidOrder();
    const headers = { authorization: `Bearer ${brandToken}` };
    expect((await wx(`/api/orders/${order.body.id}/refund`, { body: { reason: '缺货' }, headers })).status).toBe(200);
    const [sent] = (await wx<RefundList>(`/api/orders/${order.body.id}/refunds`, { headers })).body.items;
    const id = sent?.id ?? '';
    expect(await fake.settleRefund(id, 'ABNORMAL')).toBe(200);
    const mine = await wx<RefundList>(`/api/orders/${order.body.id}/refunds`, { headers: guestAuth(order) });
    expect(mine.body.items).toMatchObject([{ id, status: 'abnormal' }]);
    type Page = { items: { id: string; orderId: string; status: string }[]; nextCursor: string | null };
    const listed = await wx<Page>('/api/refunds/abnormal?limit=100', { headers });
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id, orderId: order.body.id }));
    expect(listed.body.items.every((r) => r.status === 'abnormal')).toBe(true);
    // Only the brand sees the list.
    expect((await wx('/api/refunds/abnormal', { headers: guestAuth(order) })).status).toBe(401);
    // The payer's account is fixed at WeChat; the brand's retry (the order's sync) books the success once.
    await fake.settleRefund(id, 'SUCCESS', { notify: false });
    const retried = await wx<RefundList>(`/api/orders/${order.body.id}/refunds/sync`, { method: 'POST', headers });
    expect(retried.body.items).toMatchObject([{ id, status: 'succeeded' }]);
    const after = await wx<Page>('/api/refunds/abnormal?limit=100', { headers });
    expect(after.body.items.map((r) => r.id)).not.toContain(id);
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
