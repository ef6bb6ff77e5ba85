import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../worker/index';
import { admin, api, createAgent, expectError, freshIp, type TestAgent, uniquePhone } from './helpers';
import {
  guestOrder,
  notify,
  type OrderBody,
  product,
  RETAIL,
  setModel,
  stockOf,
  track,
  transaction,
} from './order-helpers';

async function runCron(at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/5 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function settings(patch: Record<string, unknown>) {
  return api<Record<string, unknown>>('/api/brand/settings', { method: 'PATCH', token: await admin(), body: patch });
}

let shop: TestAgent;

beforeAll(async () => {
  await setModel('direct');
  shop = await createAgent(6);
});

describe('an unpaid order holds its units until its deadline (brand setting unpaidHoldMinutes)', () => {
  it('the cron cancels it after the deadline and the units go back; before it, nothing moves', async () => {
    const saved = await settings({ unpaidHoldMinutes: 45 });
    expect(saved.body).toMatchObject({ unpaidHoldMinutes: 45, maxConsumerUnits: 20 });
    const prd = await product(10);
    const before = Date.now();
    const placed = await guestOrder(shop.code, prd, 4, 'online', {}, uniquePhone());
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const deadline = placed.body.expiresAt ?? 0;
    expect(deadline).toBeGreaterThanOrEqual(before + 45 * 60_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 45 * 60_000);
    expect(await stockOf('brand', prd)).toBe(6);

    await runCron(deadline - 1);
    expect((await track(placed)).body.status).toBe('pending_payment');
    expect(await stockOf('brand', prd)).toBe(6);

    await runCron(deadline);
    const after = await track(placed);
    expect(after.body).toMatchObject({ status: 'cancelled', expiresAt: null });
    expect(await stockOf('brand', prd)).toBe(10);
    // Twice is once: the units come back one time.
    await runCron(deadline + 60_000);
    expect(await stockOf('brand', prd)).toBe(10);
    await settings({ unpaidHoldMinutes: 30 });
  });

  it('a payment arriving after the cancellation is owed back (late payment), the stock is not taken again', async () => {
    const prd = await product(3);
    const placed = await guestOrder(shop.code, prd, 2, 'online', {}, uniquePhone());
    await runCron((placed.body.expiresAt ?? 0) + 1);
    expect(await stockOf('brand', prd)).toBe(3);
    expect((await notify(transaction(placed.body.id, 2 * RETAIL))).status).toBe(200);
    const late = await track(placed);
    expect(late.body).toMatchObject({ status: 'cancelled', latePayment: { amountFen: 2 * RETAIL } });
    expect(await stockOf('brand', prd)).toBe(3);
  });

  it('a paid order never expires', async () => {
    const prd = await product(5);
    const placed = await guestOrder(shop.code, prd, 1, 'online', {}, uniquePhone());
    await notify(transaction(placed.body.id, RETAIL));
    await runCron(Date.now() + 48 * 3_600_000);
    expect((await track(placed)).body).toMatchObject({ status: 'paid', expiresAt: null });
    expect(await stockOf('brand', prd)).toBe(4);
  });
});

describe('a consumer order is capped and rate limited', () => {
  it('refuses more units than the brand’s per-order cap, taking nothing', async () => {
    await settings({ maxConsumerUnits: 5 });
    const prd = await product(100);
    const res = await guestOrder(shop.code, prd, 6, 'online', {}, uniquePhone());
    expectError(res, 400, 'ORDER_TOO_LARGE', 'lines');
    expect(await stockOf('brand', prd)).toBe(100);
    expect((await guestOrder(shop.code, prd, 5, 'online', {}, uniquePhone())).status).toBe(201);
    await settings({ maxConsumerUnits: 20 });
  });

  it('one phone places at most 10 orders in 10 minutes, one address at most 20', async () => {
    const prd = await product(100);
    const phone = uniquePhone();
    for (let i = 0; i < 10; i++) expect((await guestOrder(shop.code, prd, 1, 'online', {}, phone)).status).toBe(201);
    expectError(await guestOrder(shop.code, prd, 1, 'online', {}, phone), 429, 'RATE_LIMITED');
    const ip = freshIp();
    const from = () => guestOrder(shop.code, prd, 1, 'online', { 'cf-connecting-ip': ip }, uniquePhone());
    for (let i = 0; i < 20; i++) expect((await from()).status).toBe(201);
    expectError(await from(), 429, 'RATE_LIMITED');
  });
});

describe('a guest Idempotency-Key is scoped by key and body, not by address', () => {
  it('the same key and body from another address returns the first order; another body is refused', async () => {
    const prd = await product(10);
    const phone = uniquePhone();
    const key = `k-${phone}`;
    const first = await guestOrder(shop.code, prd, 1, 'online', { 'idempotency-key': key }, phone);
    expect(first.status).toBe(201);
    const again = await guestOrder(shop.code, prd, 1, 'online', { 'idempotency-key': key }, phone);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.orderToken).toBe(first.body.orderToken);
    expect(await stockOf('brand', prd)).toBe(9);
    expectError(
      await guestOrder(shop.code, prd, 2, 'online', { 'idempotency-key': key }, phone),
      422,
      'IDEMPOTENCY_CONFLICT',
    );
    expect(await stockOf('brand', prd)).toBe(9);
  });
});

describe('a consumer is not told stock counts', () => {
  it('a shortage says only 库存不足; an agent restocking still sees its supplier’s count', async () => {
    const prd = await product(3);
    const res = await guestOrder(shop.code, prd, 4, 'online', {}, uniquePhone());
    expectError(res, 409, 'OUT_OF_STOCK', 'lines');
    const message = (res.body as unknown as { error: { message: string } }).error.message;
    // The whole message is the product's name and 库存不足: no count (the name itself may hold digits).
    expect(message).toMatch(/^「[^」]+」库存不足$/);
    const restock = await api<OrderBody>('/api/orders', {
      token: shop.token,
      body: { kind: 'restock', lines: [{ productId: prd, qty: 4 }], paymentMethod: 'online' },
    });
    expectError(restock, 409, 'STOCK_INSUFFICIENT', 'lines');
    expect((restock.body as unknown as { error: { message: string } }).error.message).toContain('仅剩 3 件');
  });
});
