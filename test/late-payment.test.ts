import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { account } from '../worker/domain/ledger';
import { admin, api, createAgent, expectError, later } from './helpers';
import {
  balance,
  expectLedgerBalanced,
  guestOrder,
  notify,
  type OrderBody,
  product,
  RETAIL,
  setModel,
  signedNotification,
  stockOf,
  transaction,
} from './order-helpers';

interface LateOrder extends OrderBody {
  latePayment: { amountFen: number; refundedAt: number | null; reference: string | null } | null;
}

beforeAll(async () => {
  await setModel('direct');
});

async function cancelledOrder() {
  const agent = await createAgent(1);
  const prd = await product(10);
  const placed = await guestOrder(agent.code, prd, 2);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const token = await admin();
  const cancelled = await api<OrderBody>(`/api/orders/${placed.body.id}/cancel`, { method: 'POST', token });
  expect(cancelled.body.status).toBe('cancelled');
  return { id: placed.body.id, prd, token };
}

describe('a payment that arrives after the order was cancelled', () => {
  it('is acknowledged once, recorded as owed back to the payer, and the order stays cancelled with its stock back', async () => {
    const { id, prd, token } = await cancelledOrder();
    const before = await balance(account.refundsDue);
    const tx = transaction(id, RETAIL * 2);
    const first = await notify(tx);
    expect(first.status).toBe(200);
    // WeChat retries and may send a new notification id for the same transaction: neither books it twice.
    expect((await notify(tx)).status).toBe(200);
    expect((await notify(tx, `evt-${id}-again`)).status).toBe(200);
    expect(await balance(account.refundsDue)).toBe(before + RETAIL * 2);
    const order = await api<LateOrder>(`/api/orders/${id}`, { token });
    expect(order.body.status).toBe('cancelled');
    expect(order.body.latePayment).toEqual({ amountFen: RETAIL * 2, refundedAt: null, reference: null });
    expect(await stockOf('brand', prd)).toBe(10);
    const shares = await env.DB.prepare(
      `SELECT count(*) AS n FROM order_shares WHERE order_id = ? AND status IN ('pending', 'available')`,
    )
      .bind(id)
      .first<{ n: number }>();
    expect(shares?.n).toBe(0);
    await expectLedgerBalanced();
  });

  it('a wrong amount is still refused, so nothing is recorded', async () => {
    const { id } = await cancelledOrder();
    const before = await balance(account.refundsDue);
    expect((await notify(transaction(id, RETAIL))).status).toBe(400);
    expect(await balance(account.refundsDue)).toBe(before);
  });

  it('the brand records the refund once; agents and members may not', async () => {
    const { id, token } = await cancelledOrder();
    expectError(
      await api(`/api/orders/${id}/late-payment-refund`, { body: { reference: 'R1' }, token }),
      409,
      'INVALID_STATE',
    );
    await notify(transaction(id, RETAIL * 2));
    const agent = await createAgent(1);
    expectError(
      await api(`/api/orders/${id}/late-payment-refund`, { body: { reference: 'R1' }, token: agent.token }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api(`/api/orders/${id}/late-payment-refund`, { body: { reference: '' }, token }),
      400,
      'VALIDATION_FAILED',
      'reference',
    );
    const before = await balance(account.refundsDue);
    const done = await Promise.all(
      [1, 2].map(() =>
        api<LateOrder>(`/api/orders/${id}/late-payment-refund`, { body: { reference: '5000123' }, token }),
      ),
    );
    expect(done.map((r) => r.status).sort()).toEqual([200, 409]);
    const ok = done.find((r) => r.status === 200);
    expect(ok?.body.latePayment).toMatchObject({ amountFen: RETAIL * 2, reference: '5000123' });
    expect(ok?.body.latePayment?.refundedAt).toBeTypeOf('number');
    expect(await balance(account.refundsDue)).toBe(before - RETAIL * 2);
    await expectLedgerBalanced();
  });
});

describe('a payment that races the order closing', () => {
  it('a restock refused before payment and paid afterwards is owed back, not acknowledged and dropped', async () => {
    const buyer = await createAgent(2);
    const prd = await product(10);
    const placed = await api<OrderBody>('/api/orders', {
      body: { kind: 'restock', lines: [{ productId: prd, qty: 1 }], paymentMethod: 'online' },
      token: buyer.token,
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const token = await admin();
    const refused = await api<OrderBody>(`/api/orders/${placed.body.id}/refuse`, {
      body: { reason: '暂不供货' },
      token,
    });
    expect(refused.body.status).toBe('refused');
    const before = await balance(account.refundsDue);
    expect((await notify(transaction(placed.body.id, placed.body.amountFen))).status).toBe(200);
    expect(await balance(account.refundsDue)).toBe(before + placed.body.amountFen);
    const order = await api<LateOrder>(`/api/orders/${placed.body.id}`, { token });
    expect(order.body).toMatchObject({ status: 'refused', latePayment: { amountFen: placed.body.amountFen } });
    await expectLedgerBalanced();
  });

  it('a notification racing a cancellation is booked as paid or as owed back, whichever came second', async () => {
    // Found by the simulation (orderRace, pay ‖ cancel): the payment lost the race, was acknowledged, booked nowhere.
    // The notification arrives a little later each time, so some cancellation lands between its read and its write.
    const buyer = await createAgent(2);
    const prd = await product(1000);
    for (let delay = 0; delay < 8; delay++) {
      const placed = await api<OrderBody>('/api/orders', {
        body: { kind: 'restock', lines: [{ productId: prd, qty: 1 }], paymentMethod: 'online' },
        token: buyer.token,
      });
      const send = await signedNotification(transaction(placed.body.id, placed.body.amountFen));
      const [cancelled, paid] = await Promise.all([
        api<OrderBody>(`/api/orders/${placed.body.id}/cancel`, { method: 'POST', token: buyer.token }),
        later(delay).then(send),
      ]);
      expect(paid.status).toBe(200);
      const row = await env.DB.prepare(
        `SELECT o.status, o.late_paid_fen AS late, (SELECT count(*) FROM ledger_entries e WHERE e.order_id = o.id
           AND e.account = 'external:gateway') AS postings FROM orders o WHERE o.id = ?`,
      )
        .bind(placed.body.id)
        .first<{ status: string; late: number; postings: number }>();
      expect(row?.postings, `${cancelled.status} ${row?.status}`).toBe(1);
      expect(row?.status === 'cancelled' ? row.late : placed.body.amountFen).toBe(placed.body.amountFen);
    }
    await expectLedgerBalanced();
  });
});

describe('the brand finds the payments it owes back', () => {
  it('lists cancelled orders paid afterwards until their refund is recorded', async () => {
    const { id, token } = await cancelledOrder();
    await notify(transaction(id, RETAIL * 2));
    const due = await api<{ items: { id: string }[] }>('/api/orders?lateRefundDue=1&limit=100', { token });
    expect(due.body.items.map((o) => o.id)).toContain(id);
    await api(`/api/orders/${id}/late-payment-refund`, { body: { reference: 'R-2' }, token });
    const after = await api<{ items: { id: string }[] }>('/api/orders?lateRefundDue=1&limit=100', { token });
    expect(after.body.items.map((o) => o.id)).not.toContain(id);
  });
});
