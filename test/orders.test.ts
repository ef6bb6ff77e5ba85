import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { account } from '../worker/domain/ledger';
import {
  admin,
  api,
  createAgent,
  type ErrorBody,
  expectError,
  freshIp,
  PASSWORD,
  sessionToken,
  uniquePhone,
  withSmsCode,
} from './helpers';
import {
  balance,
  expectLedgerBalanced,
  guestAuth,
  guestOrder,
  held,
  notify,
  type OrderBody,
  PRICES,
  product,
  RETAIL,
  setModel,
  setStock,
  sixLevelChain,
  stockOf,
  track,
  transaction,
  withdrawable,
} from './order-helpers';

beforeAll(async () => {
  await setModel('direct');
});

describe('a consumer order in the direct model', () => {
  it('splits the retail price along a six-level chain exactly as the worked example when WeChat Pay notifies', async () => {
    const [f, e, d, c, b, a] = await sixLevelChain();
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({ status: 'pending_payment', amountFen: RETAIL, payeeId: 'brand' });
    const res = await notify(transaction(placed.body.id, RETAIL));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expected = [
      [f, 4000],
      [e, 3000],
      [d, 2500],
      [c, 2000],
      [b, 1500],
      [a, 1000],
    ] as const;
    // Credited to each agent's wallet account at once, held (待结算) until the release.
    for (const [agent, fen] of expected) {
      expect(await balance(account.available(agent?.id ?? ''))).toBe(fen);
      expect(await held(agent?.id ?? '')).toBe(fen);
    }
    const wallet = await api<{ pendingFen: number; availableFen: number }>(`/api/agents/${f?.id}/wallet`, {
      token: f?.token,
    });
    expect(wallet.body).toMatchObject({ pendingFen: 4000, availableFen: 0 });
    // The statement says the credit is held (待结算).
    const statement = await api<{ items: { kind: string; amountFen: number; settlement: string | null }[] }>(
      `/api/agents/${f?.id}/statement`,
      { token: f?.token },
    );
    expect(statement.body.items).toMatchObject([{ kind: 'payment', amountFen: 4000, settlement: 'held' }]);
    const words = await api<{ items: { words: string }[] }>(`/api/agents/${f?.id}/statement/lines`, {
      token: f?.token,
    });
    expect(words.body.items.map((l) => l.words)).toEqual([expect.stringMatching(/^订单 \d{18} 收益 ¥40\.00 待结算$/)]);
    // One payment transaction: the gateway's entry and one per party (six agents and the brand), 8 in all.
    const entries = await env.DB.prepare(
      'SELECT kind, count(*) AS n, count(DISTINCT txn_id) AS txns FROM ledger_entries WHERE order_id = ? GROUP BY kind',
    )
      .bind(placed.body.id)
      .all();
    expect(entries.results).toEqual([{ kind: 'payment', n: 8, txns: 1 }]);
    const shares = await env.DB.prepare(
      'SELECT party_id, amount_fen, buy_unit_fen, sell_unit_fen FROM order_shares WHERE order_id = ?',
    )
      .bind(placed.body.id)
      .all<{ party_id: string; amount_fen: number; buy_unit_fen: number; sell_unit_fen: number }>();
    expect(shares.results.find((s) => s.party_id === 'brand')?.amount_fen).toBe(15_900);
    expect(shares.results.reduce((sum, s) => sum + s.amount_fen, 0)).toBe(RETAIL);
    // Each tier is recorded as a purchase at its own price and a resale one step down.
    expect(shares.results.find((s) => s.party_id === f?.id)).toMatchObject({
      buy_unit_fen: PRICES[5],
      sell_unit_fen: RETAIL,
    });
    expect(shares.results.find((s) => s.party_id === a?.id)).toMatchObject({
      buy_unit_fen: PRICES[0],
      sell_unit_fen: PRICES[1],
    });
    const order = await api<OrderBody>(`/api/orders/${placed.body.id}`, { token: f?.token });
    expect(order.body.status).toBe('paid');
    await expectLedgerBalanced();
  });

  it('passes over a suspended agent: its margin goes to the next active supplier', async () => {
    const [f, e, d, c] = await sixLevelChain();
    await api(`/api/agents/${d?.id}/suspend`, { body: { reason: '违规' }, token: await admin() });
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd);
    await notify(transaction(placed.body.id, RETAIL));
    expect(await held(d?.id ?? '')).toBe(0);
    expect(await balance(account.available(d?.id ?? ''))).toBe(0);
    expect(await held(c?.id ?? '')).toBe(PRICES[3] - PRICES[2] + (PRICES[4] - PRICES[3]));
    expect(await held(e?.id ?? '')).toBe(PRICES[5] - PRICES[4]);
    await expectLedgerBalanced();
  });

  it('places and pays in at most two round trips each, reading a bounded number of rows', async () => {
    const [f] = await sixLevelChain();
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd);
    expect(Number(placed.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);
    expect(Number(placed.headers.get('x-d1-rows-read'))).toBeLessThanOrEqual(60);
    const paid = await notify(transaction(placed.body.id, RETAIL));
    expect(Number(paid.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);
    // 60 before the leaderboard and dashboard counters (migration 0012), whose triggers read about 20 more rows in
    // the payment's own statement; still a constant, whatever the size of the network or its history.
    expect(Number(paid.headers.get('x-d1-rows-read'))).toBeLessThanOrEqual(80);
  });
});

describe('exactly once', () => {
  it('a repeated notification, a replayed event and concurrent confirmations settle an order once', async () => {
    const [f] = await sixLevelChain();
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd);
    const tx = transaction(placed.body.id, RETAIL);
    const results = await Promise.all([notify(tx, 'evt-1'), notify(tx, 'evt-1'), notify(tx, 'evt-2'), notify(tx)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await held(f?.id ?? '')).toBe(4000);
    expect(await balance(account.available(f?.id ?? ''))).toBe(4000);
    const entries = await env.DB.prepare(
      "SELECT count(DISTINCT txn_id) AS n FROM ledger_entries WHERE order_id = ? AND kind = 'payment'",
    )
      .bind(placed.body.id)
      .first<{ n: number }>();
    expect(entries?.n).toBe(1);
    await expectLedgerBalanced();
  });

  it('refuses a notification whose amount differs, and one with a bad signature', async () => {
    const [f] = await sixLevelChain();
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd);
    const wrong = await notify(transaction(placed.body.id, RETAIL - 1));
    expect(wrong.status).toBe(400);
    expect((wrong.body as { code: string }).code).toBe('FAIL');
    const forged = await api('/api/payments/wechat/notify', {
      method: 'POST',
      raw: '{"id":"x"}',
      headers: {
        'wechatpay-signature': 'AAAA',
        'wechatpay-timestamp': String(Math.floor(Date.now() / 1000)),
        'wechatpay-nonce': 'n',
        'wechatpay-serial': env.WECHAT_PLATFORM_SERIAL,
      },
    });
    expect(forged.status).toBe(401);
    expect((await track(placed)).body.status).toBe('pending_payment');
  });

  it('an Idempotency-Key on creation returns the first order for a repeat and refuses another body', async () => {
    const [f] = await sixLevelChain();
    const prd = await product();
    const ip = freshIp();
    const key = { 'idempotency-key': `k-${Date.now()}`, 'cf-connecting-ip': ip };
    const [one, two] = await Promise.all([
      guestOrder(f?.code ?? '', prd, 1, 'online', key),
      guestOrder(f?.code ?? '', prd, 1, 'online', key),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 201]);
    expect(one.body.id).toBe(two.body.id);
    expect(await stockOf('brand', prd)).toBe(999);
    const other = await guestOrder(f?.code ?? '', prd, 2, 'online', key);
    expectError(other, 422, 'IDEMPOTENCY_CONFLICT');
  });
});

describe('online payment start and the demo simulator', () => {
  it('without merchant credentials the prepay step says online payment is unavailable; the simulator is off', async () => {
    const [f] = await sixLevelChain();
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd);
    expectError(
      await api(`/api/orders/${placed.body.id}/pay`, {
        body: { channel: 'jsapi' },
        headers: guestAuth(placed),
      }),
      409,
      'PAYMENT_UNAVAILABLE',
    );
    expectError(
      await api(`/api/orders/${placed.body.id}/simulate-payment`, { method: 'POST', headers: guestAuth(placed) }),
      404,
      'ROUTE_NOT_FOUND',
    );
    expect((await track(placed)).body.status).toBe('pending_payment');
  });
});

describe('stock', () => {
  it('200 concurrent orders against a stock of 50 accept exactly 50', async () => {
    const [f] = await sixLevelChain();
    const prd = await product(50);
    // 200 guests (a phone each: one phone may place only a few orders at a time).
    const results = await Promise.all(
      Array.from({ length: 200 }, () => guestOrder(f?.code ?? '', prd, 1, 'online', {}, uniquePhone())),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(50);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(150);
    // A consumer is told the stock is short, never how many are left.
    for (const r of refused) {
      expectError(r, 409, 'OUT_OF_STOCK', 'lines');
      expect((r.body as unknown as ErrorBody).error.message).toMatch(/^「[^」]+」库存不足$/);
    }
    expect(await stockOf('brand', prd)).toBe(0);
    const count = await env.DB.prepare('SELECT count(*) AS n FROM order_lines WHERE product_id = ?')
      .bind(prd)
      .first<{ n: number }>();
    expect(count?.n).toBe(50);
  }, 120_000);

  it('cancelling before payment gives the units back', async () => {
    const [f] = await sixLevelChain();
    const prd = await product(5);
    const signup = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '会员乙', password: PASSWORD, ref: f?.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    const placed = await api<OrderBody>('/api/orders', {
      token: sessionToken(signup),
      body: {
        kind: 'consumer',
        shopCode: f?.code,
        lines: [{ productId: prd, qty: 3 }],
        paymentMethod: 'online',
        shipping: { name: '会员乙', phone: '13700002222', address: '上海市浦东新区世纪大道 1 号' },
      },
    });
    expect(placed.status).toBe(201);
    expect(await stockOf('brand', prd)).toBe(2);
    expect(
      (await api<OrderBody>(`/api/orders/${placed.body.id}/cancel`, { method: 'POST', token: sessionToken(signup) }))
        .body.status,
    ).toBe('cancelled');
    expect(await stockOf('brand', prd)).toBe(5);
    expectError(
      await api(`/api/orders/${placed.body.id}/cancel`, { method: 'POST', token: sessionToken(signup) }),
      409,
      'INVALID_STATE',
    );
  });
});

describe('shipping, completion, release and refunds', () => {
  it('ships one or many, completes, releases after the freeze via the cron, and a later refund claws back', async () => {
    await setModel('direct', 0);
    const [f, e] = await sixLevelChain();
    const prd = await product();
    const one = await guestOrder(f?.code ?? '', prd);
    const two = await guestOrder(f?.code ?? '', prd);
    for (const o of [one, two]) await notify(transaction(o.body.id, RETAIL));
    const brand = await admin();
    const shipped = await api<{ results: { ok: boolean }[] }>('/api/orders/ship', {
      token: brand,
      body: { items: [one, two].map((o) => ({ orderId: o.body.id, carrier: '顺丰速运', trackingNo: 'SF100200300' })) },
    });
    expect(shipped.body.results.every((r) => r.ok)).toBe(true);
    const tracked = await track(one);
    expect(tracked.body).toMatchObject({ status: 'shipped', trackingNo: 'SF100200300' });
    for (const o of [one, two]) {
      expect(
        (await api<OrderBody>(`/api/orders/${o.body.id}/complete`, { method: 'POST', token: brand })).body.status,
      ).toBe('completed');
    }
    const { runScheduled } = await import('../worker/scheduled');
    await runScheduled(env, Date.now() + 1000);
    expect(await withdrawable(f?.id ?? '')).toBe(8000);
    expect(await held(f?.id ?? '')).toBe(0);
    // A six-level consumer order's whole life (payment and release) is 8 ledger entries: the release writes none.
    const lifetime = await env.DB.prepare('SELECT count(*) AS n FROM ledger_entries WHERE order_id = ?')
      .bind(two.body.id)
      .first<{ n: number }>();
    expect(lifetime?.n).toBe(8);
    const statement = await api<{ items: { kind: string; settlement: string | null }[] }>(
      `/api/agents/${f?.id}/statement`,
      { token: f?.token },
    );
    expect(statement.body.items.map((e) => [e.kind, e.settlement])).toEqual([
      ['payment', 'released'],
      ['payment', 'released'],
    ]);
    // In words: no release line, each order's credit now says 已结算 (it said 待结算 while held).
    const lines = await api<{ items: { words: string }[] }>(`/api/agents/${f?.id}/statement/lines`, {
      token: f?.token,
    });
    expect(lines.body.items.map((l) => l.words)).toEqual(
      [two, one].map((o) => `订单 ${o.body.number} 收益 ¥40.00 已结算`),
    );
    // Refunding one unit after release takes the shares back from the available balances.
    const refunded = await api<OrderBody>(`/api/orders/${one.body.id}/refund`, {
      token: brand,
      body: { reason: '质量问题' },
    });
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'refunded', refundedFen: RETAIL });
    expect(await withdrawable(f?.id ?? '')).toBe(4000);
    expect(await withdrawable(e?.id ?? '')).toBe(3000);
    expect(await stockOf('brand', prd)).toBe(999);
    await expectLedgerBalanced();
    await setModel('direct', 7);
  });

  it('only those who take part see an order; others get 404', async () => {
    const [f] = await sixLevelChain();
    const stranger = await createAgent(6);
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd);
    expect((await api(`/api/orders/${placed.body.id}`, { token: f?.token })).status).toBe(200);
    expectError(await api(`/api/orders/${placed.body.id}`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(
      await api(`/api/orders/${placed.body.id}/ship`, {
        token: stranger.token,
        body: { carrier: 'x', trackingNo: 'SF123456' },
      }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await api(`/api/orders/${placed.body.id}/track?phone=13900000000`, { headers: guestAuth(placed) }),
      404,
      'NOT_FOUND',
    );
    const list = await api<{ items: { id: string }[] }>('/api/orders?role=sold', { token: f?.token });
    expect(list.body.items.map((o) => o.id)).toContain(placed.body.id);
    const theirs = await api<{ items: { id: string }[] }>('/api/orders', { token: stranger.token });
    expect(theirs.body.items.map((o) => o.id)).not.toContain(placed.body.id);
  });
});

describe('who ships a consumer order', () => {
  it('in the direct model the brand ships it: the selling agent is refused (403), the brand ships (200)', async () => {
    await setModel('direct');
    const [f] = await sixLevelChain();
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd);
    await notify(transaction(placed.body.id, RETAIL));
    const tracking = { carrier: '顺丰速运', trackingNo: 'SF200300400' };
    expectError(await api(`/api/orders/${placed.body.id}/ship`, { token: f?.token, body: tracking }), 403, 'FORBIDDEN');
    const batch = await api<{ results: { ok: boolean; error?: string }[] }>('/api/orders/ship', {
      token: f?.token,
      body: { items: [{ orderId: placed.body.id, ...tracking }] },
    });
    expect(batch.body.results).toEqual([{ orderId: placed.body.id, ok: false, error: 'FORBIDDEN' }]);
    const shipped = await api<OrderBody>(`/api/orders/${placed.body.id}/ship`, {
      token: await admin(),
      body: tracking,
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body.status).toBe('shipped');
  });

  it('in the cloud model the agent whose units it takes ships it (200)', async () => {
    await setModel('cloud');
    try {
      const seller = await createAgent(6);
      const prd = await product(0);
      // Exactly what the order takes: the model can switch back only once no agent holds cloud stock.
      await setStock(seller.id, prd, 1);
      const placed = await guestOrder(seller.code, prd);
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      await notify(transaction(placed.body.id, RETAIL));
      const shipped = await api<OrderBody>(`/api/orders/${placed.body.id}/ship`, {
        token: seller.token,
        body: { carrier: '中通快递', trackingNo: 'ZT100200300' },
      });
      expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
      expect(shipped.body.status).toBe('shipped');
    } finally {
      await setModel('direct');
    }
  });
});
