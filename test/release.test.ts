import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import type { BatchItem } from 'drizzle-orm/batch';
import { describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { heldItems } from '../db/held';
import { newId } from '../db/ids';
import { type Posting, postPostings, postTransaction } from '../db/ledger';
import { newMeter } from '../db/metered';
import { heldDeltas, paymentPostings, refundMoves } from '../worker/domain/holds';
import { account, type Transfer } from '../worker/domain/ledger';
import worker from '../worker/index';
import { releaseDueShares } from '../worker/release';
import { admin, api, createAgent, expectError } from './helpers';
import {
  balance,
  expectLedgerBalanced,
  guestOrder,
  held,
  notify,
  type OrderBody,
  product,
  RETAIL,
  setModel,
  sixLevelChain,
  transaction,
  withdrawable,
} from './order-helpers';

const db = createDb(env.DB, newMeter());
const DAY = 86_400_000;

interface ShareSeed {
  partyId: string;
  buyUnitFen: number;
  sellUnitFen: number;
  qty: number;
  releaseAt: number | null;
  refundedQty?: number;
}

async function post(kind: string, orderId: string, transfers: Transfer[]) {
  const now = Date.now();
  const [head, ...tail] = postTransaction(db, { id: newId('txn', now), kind, orderId, at: now }, transfers);
  if (head) await db.batch([head, ...tail]);
}

async function book(kind: string, orderId: string, postings: Posting[], more: BatchItem<'sqlite'>[]) {
  const now = Date.now();
  const [head, ...tail] = [...postPostings(db, { id: newId('txn', now), kind, orderId, at: now }, postings), ...more];
  if (head) await db.batch([head, ...tail]);
}

// A completed order, its shares credited and held as the payment books them, and any refunded units reversed as a
// refund before the release books them.
async function completedOrder(shares: ShareSeed[], payeeId = 'brand') {
  await admin();
  const orderId = newId('ord');
  const productId = newId('prd');
  const now = Date.now();
  const amountFen = shares.reduce((s, x) => s + (x.sellUnitFen - x.buyUnitFen) * x.qty, 0);
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, payment_method, status, amount_fen,
       refunded_fen, created_at, paid_at, completed_at)
       VALUES (?, 'consumer', 'direct', ?, ?, 'brand', 'online', 'completed', ?, 0, ?, ?, ?)`,
    ).bind(orderId, shares[0]?.partyId ?? 'brand', payeeId, amountFen, now, now, now),
    ...shares.map((s) =>
      env.DB.prepare(
        `INSERT INTO order_shares (order_id, product_id, party_id, level, buy_unit_fen, sell_unit_fen, qty, amount_fen,
         status, refunded_qty, release_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?, 'pending', ?, ?)`,
      ).bind(
        orderId,
        productId,
        s.partyId,
        s.buyUnitFen,
        s.sellUnitFen,
        s.qty,
        (s.sellUnitFen - s.buyUnitFen) * s.qty,
        s.refundedQty ?? 0,
        s.releaseAt,
      ),
    ),
  ]);
  const total = { paymentMethod: 'online' as const, payeeId, amountFen };
  const credits = shares.map((s) => ({ partyId: s.partyId, amountFen: (s.sellUnitFen - s.buyUnitFen) * s.qty }));
  await book('payment', orderId, paymentPostings(total, credits), [
    ...(payeeId === 'brand'
      ? heldItems(
          db,
          heldDeltas(
            credits.map((c) => ({ ...c, fen: c.amountFen })),
            1,
          ),
        )
      : []),
  ]);
  for (const s of shares.filter((x) => x.refundedQty)) {
    const moves = refundMoves(total, [
      { units: s.refundedQty ?? 0, unitFen: s.sellUnitFen - s.buyUnitFen, shares: [{ ...s, status: 'pending' }] },
    ]);
    await book('refund', orderId, moves.postings, heldItems(db, moves.held));
  }
  return orderId;
}

async function runCron(at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/15 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function statuses(orderId: string): Promise<Record<string, string>> {
  const rows = await env.DB.prepare('SELECT party_id, status FROM order_shares WHERE order_id = ?')
    .bind(orderId)
    .all<{ party_id: string; status: string }>();
  return Object.fromEntries(rows.results.map((r) => [r.party_id, r.status]));
}

async function entryCount(): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM ledger_entries').first<{ n: number }>();
  return row?.n ?? 0;
}

describe('release of shares on the cron trigger', () => {
  it('moves only due shares from pending to available, once, however often it runs', async () => {
    const now = Date.now();
    const [a, b, late] = [await createAgent(6), await createAgent(5), await createAgent(4)];
    const due = await completedOrder([
      { partyId: a.id, buyUnitFen: 22_900, sellUnitFen: 29_900, qty: 2, releaseAt: now - 1_000 },
      // One of three units refunded while pending: only the rest is released.
      { partyId: b.id, buyUnitFen: 20_400, sellUnitFen: 22_900, qty: 3, releaseAt: now - 1_000, refundedQty: 1 },
      { partyId: 'brand', buyUnitFen: 0, sellUnitFen: 20_400, qty: 2, releaseAt: now - 1_000 },
    ]);
    const notYet = await completedOrder([
      { partyId: late.id, buyUnitFen: 18_400, sellUnitFen: 20_400, qty: 1, releaseAt: now + 3 * DAY },
    ]);
    // Still frozen (no completion yet): never released.
    const open = await completedOrder([
      { partyId: a.id, buyUnitFen: 1_000, sellUnitFen: 2_000, qty: 1, releaseAt: null },
    ]);

    const before = await entryCount();
    expect(await held(a.id)).toBe(15_000);
    expect(await withdrawable(a.id)).toBe(0);
    await runCron(now);
    expect(await statuses(due)).toEqual({ [a.id]: 'available', [b.id]: 'available', brand: 'available' });
    expect(await statuses(notYet)).toEqual({ [late.id]: 'pending' });
    expect(await statuses(open)).toEqual({ [a.id]: 'pending' });
    // The release writes no ledger entry: the payment credited the wallet, the held counter made it unwithdrawable.
    expect(await entryCount()).toBe(before);
    expect(await balance(account.available(a.id))).toBe(15_000);
    expect(await held(a.id)).toBe(1_000);
    expect(await withdrawable(a.id)).toBe(14_000);
    expect(await balance(account.available(b.id))).toBe(5_000);
    expect(await held(b.id)).toBe(0);
    expect(await withdrawable(b.id)).toBe(5_000);
    expect(await held(late.id)).toBe(2_000);
    expect(await withdrawable(late.id)).toBe(0);
    await expectLedgerBalanced();

    await runCron(now);
    await runCron(now + 1_000);
    expect(await entryCount()).toBe(before);
    expect(await withdrawable(a.id)).toBe(14_000);
    expect(await withdrawable(b.id)).toBe(5_000);

    // Two runs at once (a retried trigger) read the same due share: only one releases it.
    await Promise.all([runCron(now + 3 * DAY), runCron(now + 3 * DAY), releaseDueShares(db, now + 3 * DAY)]);
    expect(await statuses(notYet)).toEqual({ [late.id]: 'available' });
    expect(await withdrawable(late.id)).toBe(2_000);
    expect(await held(late.id)).toBe(0);
    await expectLedgerBalanced();
  });

  it('books an order in one payment transaction of one entry per account, and its release in none', async () => {
    const now = Date.now();
    const [seller, upline] = [await createAgent(6), await createAgent(5)];
    const orderId = await completedOrder([
      { partyId: seller.id, buyUnitFen: 22_900, sellUnitFen: 29_900, qty: 1, releaseAt: now - 1 },
      { partyId: upline.id, buyUnitFen: 20_400, sellUnitFen: 22_900, qty: 1, releaseAt: now - 1 },
      { partyId: 'brand', buyUnitFen: 0, sellUnitFen: 20_400, qty: 1, releaseAt: now - 1 },
    ]);
    await runCron(now);
    const rows = await env.DB.prepare(
      'SELECT kind, account, amount_fen AS amount FROM ledger_entries WHERE order_id = ? ORDER BY id',
    )
      .bind(orderId)
      .all();
    expect(rows.results).toEqual([
      { kind: 'payment', account: account.gateway, amount: -29_900 },
      { kind: 'payment', account: account.available(seller.id), amount: 7_000 },
      { kind: 'payment', account: account.available(upline.id), amount: 2_500 },
      { kind: 'payment', account: account.brandRevenue, amount: 20_400 },
    ]);
    expect(await withdrawable(seller.id)).toBe(7_000);
  });

  it('repays a debt first: released earnings net against a negative available balance', async () => {
    const now = Date.now();
    const agent = await createAgent(6);
    const old = newId('ord');
    await post('refund', old, [{ from: account.available(agent.id), to: account.clearing, amountFen: 3_000 }]);
    await completedOrder([{ partyId: agent.id, buyUnitFen: 22_900, sellUnitFen: 29_900, qty: 1, releaseAt: now - 1 }]);
    expect(await withdrawable(agent.id)).toBe(-3_000);
    await runCron(now);
    expect(await withdrawable(agent.id)).toBe(4_000);
    expect(await balance(account.available(agent.id))).toBe(4_000);
  });

  it('flips a share paid straight to an agent without moving money it never held', async () => {
    const now = Date.now();
    const [seller, upline] = [await createAgent(6), await createAgent(3)];
    const orderId = await completedOrder(
      [{ partyId: seller.id, buyUnitFen: 0, sellUnitFen: 29_900, qty: 1, releaseAt: now - 1 }],
      upline.id,
    );
    await runCron(now);
    expect(await statuses(orderId)).toEqual({ [seller.id]: 'available' });
    expect(await held(seller.id)).toBe(0);
    expect(await balance(account.available(seller.id))).toBe(0);
    expect(await balance(account.offline(upline.id))).toBe(29_900);
    await expectLedgerBalanced();
  });

  it('releases at most `limit` shares a run, oldest due first, and the next run takes the rest', async () => {
    // Far in the future so shares of other tests are never the oldest here.
    const later = Date.now() + 400 * DAY;
    const [x, y] = [await createAgent(6), await createAgent(6)];
    const first = await completedOrder([
      { partyId: x.id, buyUnitFen: 100, sellUnitFen: 200, qty: 1, releaseAt: later - 2 },
    ]);
    const second = await completedOrder([
      { partyId: y.id, buyUnitFen: 100, sellUnitFen: 300, qty: 1, releaseAt: later - 1 },
    ]);
    await runCron(Date.now());
    const pendingBefore = await env.DB.prepare(
      "SELECT count(*) AS n FROM order_shares WHERE status = 'pending' AND release_at <= ?",
    )
      .bind(later)
      .first<{ n: number }>();
    expect(pendingBefore?.n).toBe(2);
    expect(await releaseDueShares(db, later, 1)).toBe(1);
    expect(await statuses(first)).toEqual({ [x.id]: 'available' });
    expect(await statuses(second)).toEqual({ [y.id]: 'pending' });
    expect(await releaseDueShares(db, later, 1)).toBe(1);
    expect(await statuses(second)).toEqual({ [y.id]: 'available' });
    expect(await withdrawable(y.id)).toBe(200);
    expect(await releaseDueShares(db, later, 1)).toBe(0);
  });
});

describe('POST /api/brand/jobs/release', () => {
  it('a partial refund before release reverses only the refunded units, held or not', async () => {
    await setModel('direct', 7);
    const [f] = await sixLevelChain();
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd, 3);
    await notify(transaction(placed.body.id, RETAIL * 3));
    const res = await api<OrderBody>(`/api/orders/${placed.body.id}/refund`, {
      token: await admin(),
      body: { lines: [{ productId: prd, qty: 1 }], reason: '少发一件' },
    });
    expect(res.body).toMatchObject({ status: 'paid', refundedFen: RETAIL });
    // Reversed from the wallet account, and the held counter drops by as much: nothing withdrawable changes.
    expect(await held(f?.id ?? '')).toBe(8000);
    expect(await balance(account.available(f?.id ?? ''))).toBe(8000);
    expect(await withdrawable(f?.id ?? '')).toBe(0);
    expectError(
      await api(`/api/orders/${placed.body.id}/refund`, {
        token: await admin(),
        body: { lines: [{ productId: prd, qty: 3 }], reason: '超量' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectLedgerBalanced();
  });

  it('the brand releases due shares at once; agents may not', async () => {
    await setModel('direct', 0);
    const [f] = await sixLevelChain();
    const prd = await product();
    const placed = await guestOrder(f?.code ?? '', prd);
    await notify(transaction(placed.body.id, RETAIL));
    const brand = await admin();
    await api(`/api/orders/${placed.body.id}/ship`, {
      token: brand,
      body: { carrier: '顺丰速运', trackingNo: 'SF555666777' },
    });
    await api(`/api/orders/${placed.body.id}/complete`, { method: 'POST', token: brand });
    expectError(await api('/api/brand/jobs/release', { method: 'POST', token: f?.token }), 403, 'FORBIDDEN');
    const res = await api<{ released: number }>('/api/brand/jobs/release', { method: 'POST', token: brand });
    expect(res.body.released).toBeGreaterThanOrEqual(7);
    expect(await withdrawable(f?.id ?? '')).toBe(4000);
    await expectLedgerBalanced();
    await setModel('direct', 7);
  });
});
