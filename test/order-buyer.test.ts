import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../worker/index';
import {
  admin,
  api,
  BASE,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  sessionToken,
  type TestAgent,
  uniquePhone,
  withSmsCode,
} from './helpers';
import {
  guestAuth,
  guestOrder,
  notify,
  type OrderBody,
  product,
  RETAIL,
  setModel,
  track,
  transaction,
} from './order-helpers';

// The openid is never taken from the client: the body names only the channel.
const OPENID = { channel: 'native' };

let shop: TestAgent;
let prd: string;

beforeAll(async () => {
  await setModel('direct');
  shop = await createAgent(6);
  prd = await product(1000);
});

async function memberToken(): Promise<string> {
  const res = await api('/api/members', {
    body: await withSmsCode({ phone: uniquePhone(), name: '会员丙', password: PASSWORD }),
    headers: { 'cf-connecting-ip': freshIp() },
  });
  return sessionToken(res);
}

// The Worker with the local demo's payment simulator on (npm start sets PAYMENT_SIMULATOR=1).
async function simulate(orderId: string, headers: Record<string, string>) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}/api/orders/${orderId}/simulate-payment`, { method: 'POST', headers }),
    { ...env, PAYMENT_SIMULATOR: '1' },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as OrderBody & { error?: { code: string } } };
}

describe('POST /api/orders/{id}/pay is for the order’s buyer only', () => {
  it('refuses the anonymous (401), a wrong token, another member and the seller (404); the guest’s token passes', async () => {
    const placed = await guestOrder(shop.code, prd, 1, 'online', {}, uniquePhone());
    expect(placed.body.orderToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const path = `/api/orders/${placed.body.id}/pay`;
    expectError(await api(path, { body: OPENID, headers: { 'cf-connecting-ip': freshIp() } }), 401, 'UNAUTHENTICATED');
    const wrong = { 'x-order-token': 'x'.repeat(43), 'cf-connecting-ip': freshIp() };
    expectError(await api(path, { body: OPENID, headers: wrong }), 404, 'NOT_FOUND');
    expectError(await api(path, { body: OPENID, token: await memberToken() }), 404, 'NOT_FOUND');
    expectError(await api(path, { body: OPENID, token: shop.token }), 404, 'NOT_FOUND');
    // The buyer gets as far as the gateway (no merchant key in tests).
    expectError(await api(path, { body: OPENID, headers: guestAuth(placed) }), 409, 'PAYMENT_UNAVAILABLE');
  });

  it('is rate limited per order', async () => {
    const placed = await guestOrder(shop.code, prd, 1, 'online', {}, uniquePhone());
    const pay = () => api(`/api/orders/${placed.body.id}/pay`, { body: OPENID, headers: guestAuth(placed) });
    for (let i = 0; i < 10; i++) expect((await pay()).status).toBe(409);
    expectError(await pay(), 429, 'RATE_LIMITED');
  });
});

describe('a guest reads its order only with its token', () => {
  it('GET /orders/{id} and /track need the token; the phone alone reads nothing', async () => {
    const placed = await guestOrder(shop.code, prd, 1, 'online', {}, uniquePhone());
    const path = `/api/orders/${placed.body.id}`;
    expectError(await api(path), 401, 'UNAUTHENTICATED');
    expectError(await api(path, { headers: { 'x-order-token': 'nope' } }), 404, 'NOT_FOUND');
    const read = await api<OrderBody>(path, { headers: guestAuth(placed) });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: placed.body.id, status: 'pending_payment', agentId: null });
    expectError(await api(`${path}/track?phone=${placed.body.shipping?.phone}`), 404, 'NOT_FOUND');
    expect((await track(placed)).status).toBe(200);
  });
});

describe('the payment simulator (local demos) pays only for the buyer', () => {
  it('refuses anyone else and books the buyer’s payment', async () => {
    const placed = await guestOrder(shop.code, prd, 1, 'online', {}, uniquePhone());
    expect((await simulate(placed.body.id, {})).status).toBe(401);
    expect((await simulate(placed.body.id, { authorization: `Bearer ${await memberToken()}` })).status).toBe(404);
    expect((await track(placed)).body.status).toBe('pending_payment');
    const paid = await simulate(placed.body.id, { 'x-order-token': placed.body.orderToken ?? '' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', agentId: null });
  });
});

describe('smaller points', () => {
  it('a WeChat Pay notification in another currency than CNY is refused and never booked', async () => {
    const placed = await guestOrder(shop.code, prd, 1, 'online', {}, uniquePhone());
    const tx = transaction(placed.body.id, RETAIL);
    const usd = await notify({ ...tx, amount: { ...tx.amount, currency: 'USD' } });
    expect(usd.status).toBe(400);
    expect((await track(placed)).body.status).toBe('pending_payment');
    const events = await env.DB.prepare('SELECT count(*) AS n FROM payment_events WHERE order_id = ?')
      .bind(placed.body.id)
      .first<{ n: number }>();
    expect(events?.n).toBe(0);
    expect((await notify(tx)).status).toBe(200);
    expect((await track(placed)).body.status).toBe('paid');
  });

  it('a refund naming one product twice is a 400 on lines, refunding nothing', async () => {
    const placed = await guestOrder(shop.code, prd, 2, 'online', {}, uniquePhone());
    await notify(transaction(placed.body.id, 2 * RETAIL));
    const res = await api(`/api/orders/${placed.body.id}/refund`, {
      token: await admin(),
      body: {
        lines: [
          { productId: prd, qty: 1 },
          { productId: prd, qty: 1 },
        ],
        reason: '重复',
      },
    });
    expectError(res, 400, 'VALIDATION_FAILED', 'lines');
    expect((await track(placed)).body).toMatchObject({ status: 'paid', refundedFen: 0 });
  });
});

describe('POST /api/orders/find', () => {
  type Found = { number: string; status: string; shipName: string; payee: { name: string } | null; lines: unknown[] };
  const find = (body: Record<string, unknown>, ip = freshIp()) =>
    api<Found>('/api/orders/find', { body, headers: { 'cf-connecting-ip': ip } });

  it('finds a guest’s order by its number and phone, in another browser, as a slip shows it', async () => {
    const phone = uniquePhone();
    const placed = await guestOrder(shop.code, prd, 2, 'offline', {}, phone);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const number = (placed.body as OrderBody & { number: string }).number;
    const spaced = `${number.slice(0, 8)} ${number.slice(8, 13)}-${number.slice(13)}`;
    const found = await find({ number: spaced, phone });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body).toMatchObject({ number, status: 'pending_payment', shipName: '王*明' });
    expect(found.body.payee?.name).toBeTruthy();
    expect(found.body.lines).toEqual([{ name: expect.any(String), qty: 2, unitFen: RETAIL }]);
    const text = JSON.stringify(found.body);
    expect(text).not.toContain(phone);
    expect(text).not.toContain('文三路');
    expect(text).not.toContain(placed.body.id);
  });

  it('a wrong phone or number says the order was not found, whichever was wrong; a malformed number names the field', async () => {
    const phone = uniquePhone();
    const placed = await guestOrder(shop.code, prd, 1, 'online', {}, phone);
    const number = (placed.body as OrderBody & { number: string }).number;
    expectError(await find({ number, phone: uniquePhone() }), 404, 'ORDER_LOOKUP_MISS');
    const other = `${number.slice(0, 13)}${String((Number(number.slice(13)) + 1) % 100_000).padStart(5, '0')}`;
    expectError(await find({ number: other, phone }), 404, 'ORDER_LOOKUP_MISS');
    expectError(await find({ number: '12345', phone }), 400, 'VALIDATION_FAILED', 'number');
    const en = await api<{ error: { message: string } }>('/api/orders/find', {
      body: { number, phone: uniquePhone() },
      headers: { 'cf-connecting-ip': freshIp(), 'accept-language': 'en' },
    });
    expect(en.body.error.message).toMatch(/^No such order/);
  });

  it('is rate limited per phone, so numbers cannot be swept for a phone from many addresses', async () => {
    const phone = uniquePhone();
    for (let i = 0; i < 10; i++) expect((await find({ number: '202601010000000000', phone })).status).toBe(404);
    expectError(await find({ number: '202601010000000000', phone }), 429, 'RATE_LIMITED');
  });
});
