// The daily reconciliation of WeChat Pay's trade bills with the ledger: the pure rules, then the brand's run, list and
// resolve through HTTP, with real D1 and a fake WeChat Pay answering the Worker's signed calls (test/wechatpay-fake.ts).
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareDay, ledgerTotals, parseDay, parseTradeBill, previousDay, yuanToFen } from '../worker/domain/reconcile';
import { runScheduled } from '../worker/scheduled';
import { admin, api, createAgent, expectError } from './helpers';
import { guestOrder, notify, product, RETAIL, setModel, transaction } from './order-helpers';
import { billCsv, createFakePay, type FakePay, installFakePay } from './wechatpay-fake';

interface Difference {
  id: string;
  day: string;
  kind: string;
  orderId: string;
  issue: string;
  ledgerFen: number;
  billFen: number;
  status: string;
  note: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

describe('reconciliation rules', () => {
  it('reads yuan exactly as fen and refuses what is not an amount', () => {
    expect(yuanToFen('299.00')).toBe(29_900);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('1234567.89')).toBe(123_456_789);
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('abc')).toBeNull();
  });

  it('cuts days in Beijing time and refuses dates that do not exist', () => {
    expect(parseDay('2026-12-03')).toEqual({
      start: Date.UTC(2026, 11, 2, 16),
      end: Date.UTC(2026, 11, 3, 16),
    });
    expect(parseDay('2026-02-30')).toBeNull();
    // 01:00 on Dec 4 in Beijing is still Dec 3 in UTC: the previous Beijing day is Dec 3.
    expect(previousDay(Date.UTC(2026, 11, 3, 17))).toBe('2026-12-03');
  });

  it('sums a bill per order, payments and refunds apart, and stops at the summary', () => {
    const bill = parseTradeBill(
      billCsv([
        { orderId: 'ord_a', fen: 29_900 },
        { orderId: 'ord_a', fen: 100 },
        { orderId: 'ord_b', fen: 5_000, refund: true },
      ]),
    );
    expect([...bill.payments]).toEqual([['ord_a', 30_000]]);
    expect([...bill.refunds]).toEqual([['ord_b', 5_000]]);
    expect(parseTradeBill('')).toEqual({ payments: new Map(), refunds: new Map() });
    expect(() => parseTradeBill('a,b\n1,2')).toThrow(/column/);
  });

  it('lists every order missing on either side or with another amount, and nothing that matches', () => {
    const ledger = ledgerTotals([
      { orderId: 'ord_same', amountFen: -100 },
      { orderId: 'ord_only_ledger', amountFen: -200 },
      { orderId: 'ord_diff', amountFen: -300 },
      { orderId: 'ord_same', amountFen: 50 },
    ]);
    const bill = {
      payments: new Map([
        ['ord_same', 100],
        ['ord_diff', 299],
        ['ord_only_bill', 400],
      ]),
      refunds: new Map([['ord_same', 50]]),
    };
    expect(compareDay(ledger, bill)).toEqual([
      { kind: 'payment', orderId: 'ord_diff', issue: 'amount_mismatch', ledgerFen: 300, billFen: 299 },
      { kind: 'payment', orderId: 'ord_only_bill', issue: 'missing_in_ledger', ledgerFen: 0, billFen: 400 },
      { kind: 'payment', orderId: 'ord_only_ledger', issue: 'missing_in_bill', ledgerFen: 200, billFen: 0 },
    ]);
  });
});

let adminToken: string;
let fake: FakePay;
let uninstall: () => void;
const day = previousDay(Date.now());

// An order paid online through a signed notification, its ledger moved back into `day` (bills exist only for
// days that ended; the postings themselves are the notification's).
async function paidYesterday(shopCode: string, productId: string): Promise<string> {
  const placed = await guestOrder(shopCode, productId);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  expect((await notify(transaction(placed.body.id, RETAIL))).status).toBe(200);
  await env.DB.prepare('UPDATE ledger_entries SET at = at - 86400000 WHERE order_id = ?').bind(placed.body.id).run();
  return placed.body.id;
}

function run(body: unknown, token = adminToken) {
  return api<{ day: string; status: string; payments: number; refunds: number; differences: number }>(
    '/api/reconciliation/runs',
    { body, token },
  );
}

function differences(query = '') {
  return api<Page<Difference>>(`/api/reconciliation/differences${query}`, { token: adminToken });
}

let ids: { same: string; lost: string; mismatched: string; unbilled: string };

beforeAll(async () => {
  adminToken = await admin();
  fake = await createFakePay();
  uninstall = installFakePay(fake);
  await setModel('direct');
  const agent = await createAgent(1);
  const prd = await product(100);
  const same = await paidYesterday(agent.code, prd);
  const mismatched = await paidYesterday(agent.code, prd);
  const unbilled = await paidYesterday(agent.code, prd);
  // Paid at WeChat Pay, but its notification never reached the Worker.
  const lost = (await guestOrder(agent.code, prd)).body.id;
  ids = { same, lost, mismatched, unbilled };
  fake.bills.set(
    `${day}:SUCCESS`,
    billCsv([
      { orderId: same, fen: RETAIL },
      { orderId: lost, fen: RETAIL },
      { orderId: mismatched, fen: RETAIL - 100 },
    ]),
  );
  fake.bills.set(`${day}:REFUND`, billCsv([{ orderId: same, fen: 5_000, refund: true }]));
});
afterAll(() => uninstall());

describe('POST /api/reconciliation/runs and the differences', () => {
  it('lists a day’s missing and mismatched payments and a refund the ledger lacks', async () => {
    const res = await run({ day });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ day, status: 'done', payments: 3, refunds: 1, differences: 4 });
    expect(fake.badSignatures).toBe(0);
    const list = await differences();
    const found = list.body.items.map(({ kind, orderId, issue, ledgerFen, billFen }) => ({
      kind,
      orderId,
      issue,
      ledgerFen,
      billFen,
    }));
    expect(found).toHaveLength(4);
    expect(found).toEqual(
      expect.arrayContaining([
        { kind: 'payment', orderId: ids.lost, issue: 'missing_in_ledger', ledgerFen: 0, billFen: RETAIL },
        {
          kind: 'payment',
          orderId: ids.mismatched,
          issue: 'amount_mismatch',
          ledgerFen: RETAIL,
          billFen: RETAIL - 100,
        },
        { kind: 'payment', orderId: ids.unbilled, issue: 'missing_in_bill', ledgerFen: RETAIL, billFen: 0 },
        { kind: 'refund', orderId: ids.same, issue: 'missing_in_ledger', ledgerFen: 0, billFen: 5_000 },
      ]),
    );
    const runs = await api<Page<{ day: string }>>('/api/reconciliation/runs', { token: adminToken });
    expect(runs.body.items[0]?.day).toBe(day);
  });

  it('pages by cursor, and a rerun replaces the open differences without duplicating them', async () => {
    await run({ day });
    const first = await differences('?limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await differences(`?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items].map((d) => `${d.kind}:${d.orderId}`);
    expect(new Set(all).size).toBe(4);
  });

  it('a difference resolved with a note leaves the open list and stays resolved after another run', async () => {
    const open = await differences(`?day=${day}`);
    const target = open.body.items.find((d) => d.orderId === ids.mismatched);
    if (!target) throw new Error('the mismatch is not listed');
    const res = await api<Difference>(`/api/reconciliation/differences/${target.id}/resolve`, {
      body: { note: '优惠券抵扣 1 元，已核实' },
      token: adminToken,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'resolved', note: '优惠券抵扣 1 元，已核实' });
    expectError(
      await api(`/api/reconciliation/differences/${target.id}/resolve`, { body: { note: '再次' }, token: adminToken }),
      409,
      'INVALID_STATE',
    );
    await run({ day });
    const after = await differences();
    expect(after.body.items.map((d) => d.orderId)).not.toContain(ids.mismatched);
    expect(after.body.items).toHaveLength(3);
    const resolved = await differences('?status=resolved');
    expect(resolved.body.items).toEqual([expect.objectContaining({ id: target.id, note: '优惠券抵扣 1 元，已核实' })]);
  });

  it('a bill that does not match its hash fails the run and changes no difference', async () => {
    const other = '2026-11-01';
    fake.bills.set(`${other}:SUCCESS`, billCsv([{ orderId: ids.same, fen: RETAIL }]));
    const real = fake.fetcher;
    // The download is tampered with on its way: one byte differs from what the signed answer's SHA1 vouches for.
    fake.fetcher = async (input, init) => {
      const res = await real(input, init);
      if (!String(input instanceof Request ? input.url : input).includes('billdownload')) return res;
      return new Response(`${await res.text()} `, { status: 200 });
    };
    globalThis.fetch = fake.fetcher;
    try {
      const before = await differences('?limit=100');
      const res = await run({ day: other });
      expectError(res, 502, 'RECON_GATEWAY_FAILED');
      expect((await differences('?limit=100')).body.items).toEqual(before.body.items);
      const runs = await api<Page<{ day: string; status: string; error: string }>>('/api/reconciliation/runs', {
        token: adminToken,
      });
      expect(runs.body.items.find((r) => r.day === other)).toMatchObject({ status: 'failed' });
    } finally {
      fake.fetcher = real;
      globalThis.fetch = real;
    }
  });

  it('refuses days to come, dates that do not exist, and callers who are not the brand', async () => {
    const tomorrow = previousDay(Date.now() + 2 * 86_400_000);
    expectError(await run({ day: tomorrow }), 400, 'VALIDATION_FAILED', 'day');
    expectError(await run({ day: '2026-02-30' }), 400, 'VALIDATION_FAILED', 'day');
    const agent = await createAgent(2);
    expectError(await run({ day }, agent.token), 403, 'FORBIDDEN');
    expectError(await api('/api/reconciliation/differences', { token: agent.token }), 403, 'FORBIDDEN');
    expectError(
      await api('/api/reconciliation/differences/rcd_01jx0000000000000000000000/resolve', {
        body: { note: 'x' },
        token: adminToken,
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('a day being reconciled elsewhere is not run twice; a run that died long ago is taken over', async () => {
    const busy = '2026-10-01';
    fake.bills.set(`${busy}:SUCCESS`, billCsv([{ orderId: 'ord_busy_day_00000000000000000', fen: 100 }]));
    await env.DB.prepare("INSERT INTO recon_runs (day, status, started_at) VALUES (?, 'running', ?)")
      .bind(busy, Date.now())
      .run();
    expectError(await run({ day: busy }), 409, 'RECON_RUNNING');
    expect((await differences(`?day=${busy}`)).body.items).toHaveLength(0);
    await env.DB.prepare('UPDATE recon_runs SET started_at = ? WHERE day = ?')
      .bind(Date.now() - 11 * 60_000, busy)
      .run();
    expect((await run({ day: busy })).body).toMatchObject({ status: 'done', differences: 1 });
  });

  it('the cron reconciles the previous day once WeChat Pay has cut its bills (10:00 Beijing)', async () => {
    const at = Date.UTC(2026, 10, 20, 2, 30); // 10:30 in Beijing on Nov 20
    fake.bills.set('2026-11-19:SUCCESS', billCsv([{ orderId: 'ord_not_ours_0000000000000000', fen: 100 }]));
    await runScheduled(env, Date.UTC(2026, 10, 20, 1, 30)); // 09:30: too early
    expect((await differences('?day=2026-11-19')).body.items).toHaveLength(0);
    await runScheduled(env, at);
    expect((await differences('?day=2026-11-19')).body.items).toEqual([
      expect.objectContaining({ orderId: 'ord_not_ours_0000000000000000', issue: 'missing_in_ledger' }),
    ]);
  });
});
