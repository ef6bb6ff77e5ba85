import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScheduled } from '../worker/scheduled';
import {
  admin,
  api,
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
  setStock,
  stockOf,
  transaction,
} from './order-helpers';

type Order = OrderBody & {
  number: string;
  trackingUrl: string | null;
  payee: { name: string; payNote: string; payQrUrl: string | null } | null;
};
type AfterSale = { id: string; status: string; amountFen: number; answer: string | null; orderNumber: string };

const DAY = 86_400_000;
let shop: TestAgent;
let prd: string;
let brand: string;

beforeAll(async () => {
  await setModel('direct');
  brand = await admin();
  shop = await createAgent(6);
  prd = await product(1000);
});

async function memberToken(phone = uniquePhone()): Promise<string> {
  const res = await api('/api/members', {
    body: await withSmsCode({ phone, name: '会员戊', password: PASSWORD }),
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return sessionToken(res);
}

// A guest order paid online and shipped by the brand (the direct model ships from the warehouse).
async function shippedGuestOrder(qty = 1) {
  const placed = await guestOrder(shop.code, prd, qty);
  expect(placed.status).toBe(201);
  expect((await notify(transaction(placed.body.id, RETAIL * qty))).status).toBe(200);
  const shipped = await api<Order>(`/api/orders/${placed.body.id}/ship`, {
    token: brand,
    body: { carrier: '顺丰速运', trackingNo: 'SF1234567890' },
  });
  expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
  return placed;
}

const post = <T = Order>(path: string, headers: Record<string, string>, body?: unknown) =>
  api<T>(path, { method: 'POST', headers, ...(body ? { body } : {}) });

describe('确认收货 by the buyer', () => {
  it('a guest with its order token confirms receipt; the shares start their freeze period', async () => {
    const placed = await shippedGuestOrder();
    const shipped = await api<Order>(`/api/orders/${placed.body.id}`, { headers: guestAuth(placed) });
    expect(shipped.body.trackingUrl).toBe('https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890');
    const done = await post(`/api/orders/${placed.body.id}/complete`, guestAuth(placed));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', agentId: null });
    const shares = await env.DB.prepare('SELECT release_at FROM order_shares WHERE order_id = ? AND status = ?')
      .bind(placed.body.id, 'pending')
      .all<{ release_at: number | null }>();
    expect(shares.results.length).toBeGreaterThan(0);
    for (const s of shares.results) expect(s.release_at).toBeGreaterThan(Date.now() + 6 * DAY);
    expectError(await post(`/api/orders/${placed.body.id}/complete`, guestAuth(placed)), 409, 'ORDER_NOT_RECEIVABLE');
  });

  it('someone else’s order answers 404, no credentials 401, and an unshipped order cannot be received', async () => {
    const placed = await shippedGuestOrder();
    const stranger = await memberToken();
    expectError(
      await api(`/api/orders/${placed.body.id}/complete`, { method: 'POST', token: stranger }),
      404,
      'NOT_FOUND',
    );
    expectError(await post(`/api/orders/${placed.body.id}/complete`, { 'x-order-token': 'wrong' }), 404, 'NOT_FOUND');
    expectError(await post(`/api/orders/${placed.body.id}/complete`, {}), 401, 'UNAUTHENTICATED');
    // The selling agent is not the buyer: it cannot confirm for the consumer.
    expectError(
      await api(`/api/orders/${placed.body.id}/complete`, { method: 'POST', token: shop.token }),
      403,
      'FORBIDDEN',
    );
    const unpaid = await guestOrder(shop.code, prd);
    expectError(await post(`/api/orders/${unpaid.body.id}/complete`, guestAuth(unpaid)), 409, 'ORDER_NOT_RECEIVABLE');
    const row = await env.DB.prepare('SELECT status FROM orders WHERE id = ?').bind(placed.body.id).first();
    expect(row).toEqual({ status: 'shipped' });
  });
});

describe('automatic completion by the cron', () => {
  it('completes a shipped order the brand’s number of days after shipment, not before', async () => {
    expect(
      (await api('/api/brand/settings', { method: 'PATCH', token: brand, body: { autoCompleteDays: 3 } })).status,
    ).toBe(200);
    const placed = await shippedGuestOrder();
    const statusOf = async () =>
      (await env.DB.prepare('SELECT status FROM orders WHERE id = ?').bind(placed.body.id).first<{ status: string }>())
        ?.status;
    await runScheduled(env, Date.now() + 2 * DAY);
    expect(await statusOf()).toBe('shipped');
    await runScheduled(env, Date.now() + 3 * DAY + 60_000);
    expect(await statusOf()).toBe('completed');
    expectError(
      await api('/api/brand/settings', { method: 'PATCH', token: brand, body: { autoCompleteDays: 0 } }),
      400,
      'VALIDATION_FAILED',
      'autoCompleteDays',
    );
  });
});

describe('the buyer cancels an unpaid order', () => {
  it('a guest cancels: status cancelled and the units go back; a paid order answers a clear 409', async () => {
    const before = await stockOf('brand', prd);
    const placed = await guestOrder(shop.code, prd, 2);
    expect(await stockOf('brand', prd)).toBe(before - 2);
    const stranger = await memberToken();
    expectError(
      await api(`/api/orders/${placed.body.id}/cancel`, { method: 'POST', token: stranger }),
      404,
      'NOT_FOUND',
    );
    const cancelled = await post(`/api/orders/${placed.body.id}/cancel`, guestAuth(placed));
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await stockOf('brand', prd)).toBe(before);

    const paid = await guestOrder(shop.code, prd);
    expect((await notify(transaction(paid.body.id, RETAIL))).status).toBe(200);
    const refused = await post(`/api/orders/${paid.body.id}/cancel`, guestAuth(paid));
    expectError(refused, 409, 'ORDER_NOT_CANCELLABLE');
    expect((refused.body as unknown as { error: { message: string } }).error.message).toContain('申请售后');
    const en = await api(`/api/orders/${paid.body.id}/cancel`, {
      method: 'POST',
      headers: { ...guestAuth(paid), 'accept-language': 'en' },
    });
    expect((en.body as unknown as { error: { message: string } }).error.message).toContain('after-sales');
  });
});

describe('after-sales requests', () => {
  it('the buyer asks, the selling agent sees it, the brand (the payee) approves and the units are refunded', async () => {
    const placed = await shippedGuestOrder(2);
    const stranger = await memberToken();
    const ask = { kind: 'return', reason: '包装破损', lines: [{ productId: prd, qty: 1 }] };
    expectError(
      await api(`/api/orders/${placed.body.id}/after-sales`, { token: stranger, body: ask }),
      404,
      'NOT_FOUND',
    );
    const asked = await post<AfterSale>(`/api/orders/${placed.body.id}/after-sales`, guestAuth(placed), ask);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ status: 'requested', amountFen: RETAIL });
    expect(asked.body.orderNumber).toMatch(/^\d{18}$/);
    expectError(
      await post(`/api/orders/${placed.body.id}/after-sales`, guestAuth(placed), ask),
      409,
      'AFTER_SALES_OPEN',
    );
    const tooMany = { kind: 'refund', reason: '不想要了', lines: [{ productId: prd, qty: 3 }] };
    expectError(
      await post(`/api/orders/${placed.body.id}/after-sales`, guestAuth(placed), tooMany),
      400,
      'VALIDATION_FAILED',
      'lines',
    );

    const seen = await api<{ items: AfterSale[] }>('/api/after-sales?status=requested', { token: shop.token });
    expect(seen.body.items.map((i) => i.id)).toContain(asked.body.id);
    const other = await createAgent(6);
    const notSeen = await api<{ items: AfterSale[] }>('/api/after-sales', { token: other.token });
    expect(notSeen.body.items.map((i) => i.id)).not.toContain(asked.body.id);
    // The brand was paid (online), so the brand answers; the selling agent may not refund its money.
    expectError(
      await api(`/api/after-sales/${asked.body.id}/approve`, { method: 'POST', token: shop.token }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api(`/api/after-sales/${asked.body.id}/approve`, { method: 'POST', token: other.token }),
      404,
      'NOT_FOUND',
    );

    const approved = await api<Order>(`/api/after-sales/${asked.body.id}/approve`, { method: 'POST', token: brand });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'shipped', refundedFen: RETAIL });
    expect(approved.body.lines[0]?.refundedQty).toBe(1);
    const history = await api<{ items: AfterSale[] }>(`/api/orders/${placed.body.id}/after-sales`, {
      headers: guestAuth(placed),
    });
    expect(history.body.items[0]).toMatchObject({ id: asked.body.id, status: 'approved' });
    expectError(
      await api(`/api/after-sales/${asked.body.id}/approve`, { method: 'POST', token: brand }),
      409,
      'INVALID_STATE',
    );
  });

  it('a refused request tells the buyer why and refunds nothing; an unpaid order cannot ask', async () => {
    const placed = await shippedGuestOrder();
    const asked = await post<AfterSale>(`/api/orders/${placed.body.id}/after-sales`, guestAuth(placed), {
      kind: 'refund',
      reason: '不想要了',
    });
    expect(asked.status).toBe(201);
    const refused = await api<AfterSale>(`/api/after-sales/${asked.body.id}/refuse`, {
      token: brand,
      body: { reason: '商品已拆封' },
    });
    expect(refused.body).toMatchObject({ status: 'refused', answer: '商品已拆封' });
    const order = await api<Order>(`/api/orders/${placed.body.id}`, { headers: guestAuth(placed) });
    expect(order.body.refundedFen).toBe(0);
    const unpaid = await guestOrder(shop.code, prd);
    expectError(
      await post(`/api/orders/${unpaid.body.id}/after-sales`, guestAuth(unpaid), { kind: 'refund', reason: '拍错了' }),
      409,
      'AFTER_SALES_NOT_ALLOWED',
    );
  });
});

describe('order numbers', () => {
  it('every order has an 18-digit time-ordered number that its people find it by, and nobody else', async () => {
    const phone = uniquePhone();
    const token = await memberToken(phone);
    const placed = await api<Order>('/api/orders', {
      token,
      body: {
        kind: 'consumer',
        shopCode: shop.code,
        lines: [{ productId: prd, qty: 1 }],
        paymentMethod: 'offline',
        shipping: { name: '会员戊', phone, address: '浙江省杭州市西湖区文三路 100 号' },
      },
    });
    expect(placed.status).toBe(201);
    const number = placed.body.number;
    expect(number).toMatch(/^\d{18}$/);
    const later = await guestOrder(shop.code, prd);
    // Ordered to the second (the last 5 digits are random).
    expect((later.body as Order).number.slice(0, 13) >= number.slice(0, 13)).toBe(true);
    const spaced = `${number.slice(0, 8)} ${number.slice(8)}`;
    const mine = await api<{ items: { id: string; number: string }[] }>(
      `/api/orders?number=${encodeURIComponent(spaced)}`,
      { token },
    );
    expect(mine.body.items).toEqual([expect.objectContaining({ id: placed.body.id, number })]);
    const theirs = await api<{ items: unknown[] }>(`/api/orders?number=${number}`, { token: await memberToken() });
    expect(theirs.body.items).toEqual([]);
    const searched = await api<{ items: { id: string }[] }>(`/api/orders/search?q=${number}`, { token: brand });
    expect(searched.body.items.map((i) => i.id)).toEqual([placed.body.id]);
  });
});

describe('guest orders after signup with the same proved phone', () => {
  it('the guest orders of that phone appear under the new member; another phone’s do not', async () => {
    const phone = uniquePhone();
    const first = await guestOrder(shop.code, prd, 1, 'online', {}, phone);
    const second = await guestOrder(shop.code, prd, 1, 'offline', {}, phone);
    const elsewhere = await guestOrder(shop.code, prd, 1, 'online', {}, uniquePhone());
    const token = await memberToken(phone);
    const mine = await api<{ items: { id: string }[] }>('/api/orders', { token });
    expect(mine.body.items.map((i) => i.id).sort()).toEqual([first.body.id, second.body.id].sort());
    expect(mine.body.items.map((i) => i.id)).not.toContain(elsewhere.body.id);
    const read = await api<Order>(`/api/orders/${first.body.id}`, { token });
    expect(read.status).toBe(200);
  });
});

describe('who to pay offline', () => {
  it('names the brand and its payment note in the direct model', async () => {
    const note = '对公转账：招商银行 6225 0000 1234，备注订单号';
    expect((await api('/api/brand/settings', { method: 'PATCH', token: brand, body: { payNote: note } })).status).toBe(
      200,
    );
    const placed = await guestOrder(shop.code, prd, 1, 'offline');
    const read = await api<Order>(`/api/orders/${placed.body.id}`, { headers: guestAuth(placed) });
    expect(read.body.payeeId).toBe('brand');
    expect(read.body.payee).toEqual({ name: expect.any(String), payNote: note, payQrUrl: null });
  });

  it('names the selling agent and its own payment note in the cloud model', async () => {
    await setModel('cloud');
    const seller = await createAgent(6, undefined, '何梦');
    await setStock(seller.id, prd, 5);
    const saved = await api('/api/agents/me/pay-note', {
      method: 'PUT',
      token: seller.token,
      body: { payNote: '微信：hemeng_88 支付宝：13800000000' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expectError(
      await api('/api/agents/me/pay-note', { method: 'PUT', token: await memberToken(), body: { payNote: 'x' } }),
      403,
      'FORBIDDEN',
    );
    const placed = await guestOrder(seller.code, prd, 1, 'offline');
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const read = await api<Order>(`/api/orders/${placed.body.id}`, { headers: guestAuth(placed) });
    expect(read.body.payee).toEqual({ name: '何梦', payNote: '微信：hemeng_88 支付宝：13800000000', payQrUrl: null });
  });
});
