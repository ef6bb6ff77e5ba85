import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { account } from '../worker/domain/ledger';
import { settle } from '../worker/domain/settlement';
import { admin, api, createAgent, expectError } from './helpers';
import {
  balance,
  expectLedgerBalanced,
  guestOrder,
  held,
  notify,
  type OrderBody,
  PRICES,
  product,
  RETAIL,
  setModel,
  setStock,
  stockOf,
  transaction,
} from './order-helpers';

beforeAll(async () => {
  await setModel('cloud');
});

async function restock(token: string, productId: string, qty: number, paymentMethod: 'online' | 'offline') {
  return api<OrderBody>('/api/orders', {
    token,
    body: { kind: 'restock', lines: [{ productId, qty }], paymentMethod },
  });
}

describe('the cloud model (云仓)', () => {
  it('a restock moves units from the supplier to the buyer, and the supplier is credited P(buyer) × q', async () => {
    const top = await createAgent(1);
    const mid = await createAgent(3, top);
    const prd = await product(0);
    await setStock(top.id, prd, 20);
    const order = await restock(mid.token, prd, 5, 'online');
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body).toMatchObject({ amountFen: PRICES[2] * 5, payeeId: 'brand' });
    expect(await stockOf(top.id, prd)).toBe(15);
    await notify(transaction(order.body.id, PRICES[2] * 5));
    // The supplier delivers into the buyer's cloud stock, which completes the restock.
    const delivered = await api<OrderBody>(`/api/orders/${order.body.id}/ship`, { token: top.token, body: {} });
    expect(delivered.body.status).toBe('completed');
    expect(await stockOf(mid.id, prd)).toBe(5);
    expect(await held(top.id)).toBe(PRICES[2] * 5);
    expect(await balance(account.available(top.id))).toBe(PRICES[2] * 5);
    await expectLedgerBalanced();
  });

  it('refuses a restock whole when the supplier has too few units, naming the product', async () => {
    const top = await createAgent(1);
    const mid = await createAgent(3, top);
    const prd = await product(0);
    await setStock(top.id, prd, 2);
    const res = await restock(mid.token, prd, 3, 'online');
    expectError(res, 409, 'STOCK_INSUFFICIENT', 'lines');
    expect((res.body as unknown as { error: { message: string } }).error.message).toContain('焕颜精华');
    expect(await stockOf(top.id, prd)).toBe(2);
  });

  it('a consumer order takes the seller’s own units and credits it the retail price; margins match the direct model', async () => {
    const top = await createAgent(1);
    const seller = await createAgent(6, top);
    const prd = await product(0);
    await setStock(top.id, prd, 10);
    const bought = await restock(seller.token, prd, 2, 'online');
    await notify(transaction(bought.body.id, PRICES[5] * 2));
    await api(`/api/orders/${bought.body.id}/ship`, { token: top.token, body: {} });
    const sold = await guestOrder(seller.code, prd, 1);
    expect(sold.status).toBe(201);
    expect(await stockOf(seller.id, prd)).toBe(1);
    await notify(transaction(sold.body.id, RETAIL));
    expect(await held(seller.id)).toBe(RETAIL);
    // Per unit that reached a consumer, each agent's cloud margin (what it was credited less what it paid) equals
    // its share of the same sale in the direct model.
    const direct = settle({
      chain: [
        { id: seller.id, level: 6, status: 'active' },
        { id: top.id, level: 1, status: 'active' },
      ],
      prices: Object.fromEntries(PRICES.map((p, i) => [i + 1, p])),
      unitFen: RETAIL,
      quantity: 1,
    });
    const sellerMargin = (await held(seller.id)) - PRICES[5];
    const topMargin = (await held(top.id)) / 2 - PRICES[0];
    expect(sellerMargin).toBe(direct.find((s) => s.agentId === seller.id)?.amountFen);
    expect(topMargin).toBe(direct.find((s) => s.agentId === top.id)?.amountFen);
    await expectLedgerBalanced();
  });

  it('an offline restock is confirmed by the supplier it was paid to; nobody else can confirm', async () => {
    const top = await createAgent(1);
    const mid = await createAgent(3, top);
    const other = await createAgent(1);
    const prd = await product(0);
    await setStock(top.id, prd, 10);
    const order = await restock(mid.token, prd, 1, 'offline');
    expect(order.body.payeeId).toBe(top.id);
    expectError(
      await api(`/api/orders/${order.body.id}/confirm-payment`, { method: 'POST', token: other.token }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await api(`/api/orders/${order.body.id}/confirm-payment`, { method: 'POST', token: mid.token }),
      404,
      'NOT_FOUND',
    );
    const key = { 'idempotency-key': `pay-${order.body.id}` };
    const [a, b] = await Promise.all([
      api<OrderBody>(`/api/orders/${order.body.id}/confirm-payment`, {
        method: 'POST',
        token: top.token,
        headers: key,
      }),
      api<OrderBody>(`/api/orders/${order.body.id}/confirm-payment`, {
        method: 'POST',
        token: top.token,
        headers: key,
      }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.status).toBe('paid');
    // Paid directly: recorded, never withdrawable.
    expect(await balance(account.offline(top.id))).toBe(PRICES[2]);
    expect(await balance(account.available(top.id))).toBe(0);
    const payments = await env.DB.prepare(
      "SELECT count(DISTINCT txn_id) AS n FROM ledger_entries WHERE order_id = ? AND kind = 'payment'",
    )
      .bind(order.body.id)
      .first<{ n: number }>();
    expect(payments?.n).toBe(1);
    await expectLedgerBalanced();
  });

  it('the supplier may refuse a paid restock: the buyer is refunded and the units return', async () => {
    const top = await createAgent(1);
    const mid = await createAgent(3, top);
    const prd = await product(0);
    await setStock(top.id, prd, 10);
    const order = await restock(mid.token, prd, 4, 'online');
    await notify(transaction(order.body.id, PRICES[2] * 4));
    const refused = await api<OrderBody>(`/api/orders/${order.body.id}/refuse`, {
      token: top.token,
      body: { reason: '暂不供货' },
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
    expect(refused.body).toMatchObject({ status: 'refused', refundedFen: PRICES[2] * 4 });
    expect(await stockOf(top.id, prd)).toBe(10);
    expect(await held(top.id)).toBe(0);
    expect(await balance(account.available(top.id))).toBe(0);
    await expectLedgerBalanced();
  });

  it('a suspended agent cannot restock and its shop is closed', async () => {
    const top = await createAgent(1);
    const mid = await createAgent(3, top);
    const prd = await product(0);
    await api(`/api/agents/${mid.id}/suspend`, { body: { reason: '停货' }, token: await admin() });
    expectError(await restock(mid.token, prd, 1, 'online'), 409, 'SUPPLY_STOPPED');
    expectError(await guestOrder(mid.code, prd), 409, 'SHOP_CLOSED');
  });

  it('pickup (提货) ships the agent’s own units to an address', async () => {
    const top = await createAgent(1);
    const prd = await product(0);
    await setStock(top.id, prd, 3);
    const res = await api<OrderBody>('/api/orders', {
      token: top.token,
      body: {
        kind: 'pickup',
        lines: [{ productId: prd, qty: 2 }],
        shipping: { name: '李总', phone: '13600001111', address: '广东省广州市天河区体育西路 1 号' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'paid', amountFen: 0 });
    expect(await stockOf(top.id, prd)).toBe(1);
    const shipped = await api<OrderBody>(`/api/orders/${res.body.id}/ship`, {
      token: await admin(),
      body: { carrier: '中通快递', trackingNo: 'ZT9988776655' },
    });
    expect(shipped.body.status).toBe('shipped');
  });

  it('two concurrent one-unit refunds of a two-unit pickup never leave it fully refunded but marked paid', async () => {
    const top = await createAgent(1);
    const prd = await product(0);
    await setStock(top.id, prd, 2);
    const res = await api<OrderBody>('/api/orders', {
      token: top.token,
      body: {
        kind: 'pickup',
        lines: [{ productId: prd, qty: 2 }],
        shipping: { name: '李总', phone: '13600001111', address: '广东省广州市天河区体育西路 1 号' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const token = await admin();
    const refunds = await Promise.all(
      [1, 2].map(() =>
        api<OrderBody>(`/api/orders/${res.body.id}/refund`, {
          token,
          body: { lines: [{ productId: prd, qty: 1 }], reason: '部分退货' },
        }),
      ),
    );
    const ok = refunds.filter((r) => r.status === 200).length;
    for (const r of refunds) expect([200, 409]).toContain(r.status);
    const order = await api<OrderBody>(`/api/orders/${res.body.id}`, { token });
    const refundedUnits = order.body.lines.reduce((n, l) => n + l.refundedQty, 0);
    expect(refundedUnits).toBe(ok);
    expect(order.body.status).toBe(refundedUnits === 2 ? 'refunded' : 'paid');
    expect(await stockOf(top.id, prd)).toBe(ok);
  });
});
