import { applyD1Migrations, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { newId } from '../db/ids';
import { postTransaction } from '../db/ledger';
import { newMeter } from '../db/metered';
import { account, type Transfer } from '../worker/domain/ledger';
import { releaseDueShares } from '../worker/release';
import { readWallet } from '../worker/routes/wallet';

// Migration 0024 on a database the schema before it made: LEGACY_DB gets migrations 0000–0023 only, and money
// written as the Worker before 0024 wrote it (payment: payer → clearing → each agent's pending account and the brand's
// revenue; release: pending → available; refund: back from pending through clearing to the payer).
const legacy = env.LEGACY_DB;
const db = createDb(legacy, newMeter());
const DAY = 86_400_000;

interface Share {
  party: string;
  buy: number;
  sell: number;
  qty: number;
  status: 'pending' | 'available';
  refunded?: number;
  releaseAt?: number | null;
}

async function post(kind: string, orderId: string, transfers: Transfer[]) {
  const now = Date.now();
  const [head, ...tail] = postTransaction(db, { id: newId('txn', now), kind, orderId, at: now }, transfers);
  if (head) await db.batch([head, ...tail]);
}

async function legacyOrder(method: 'online' | 'offline', shares: Share[]) {
  const id = newId('ord');
  const now = Date.now();
  const amount = shares.reduce((s, x) => s + (x.sell - x.buy) * x.qty, 0);
  await legacy.batch([
    legacy
      .prepare(
        `INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, payment_method, status,
         amount_fen, refunded_fen, created_at, paid_at) VALUES (?, 'consumer', 'direct', ?, 'brand', 'brand', ?, 'paid', ?, 0, ?, ?)`,
      )
      .bind(id, shares[0]?.party ?? 'brand', method, amount, now, now),
    ...shares.map((s) =>
      legacy
        .prepare(
          `INSERT INTO order_shares (order_id, product_id, party_id, level, buy_unit_fen, sell_unit_fen, qty,
           amount_fen, status, refunded_qty, release_at) VALUES (?, 'prd_x', ?, 1, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          id,
          s.party,
          s.buy,
          s.sell,
          s.qty,
          (s.sell - s.buy) * s.qty,
          s.status,
          s.refunded ?? 0,
          s.releaseAt ?? null,
        ),
    ),
  ]);
  const payer = method === 'online' ? account.gateway : account.offlinePayer;
  const to = (p: string) => (p === 'brand' ? account.brandRevenue : account.pending(p));
  await post('payment', id, [
    { from: payer, to: account.clearing, amountFen: amount },
    ...shares.map((s) => ({ from: account.clearing, to: to(s.party), amountFen: (s.sell - s.buy) * s.qty })),
  ]);
  for (const s of shares.filter((x) => x.refunded)) {
    const back = (s.sell - s.buy) * (s.refunded ?? 0);
    await post('refund', id, [
      { from: to(s.party), to: account.clearing, amountFen: back },
      { from: account.clearing, to: payer, amountFen: back },
    ]);
  }
  for (const s of shares.filter((x) => x.status === 'available' && x.party !== 'brand')) {
    await post('release', id, [
      { from: account.pending(s.party), to: account.available(s.party), amountFen: (s.sell - s.buy) * s.qty },
    ]);
  }
  return id;
}

async function all<T>(query: string): Promise<T[]> {
  return (await legacy.prepare(query).all<T>()).results;
}

async function balancesNow(): Promise<Map<string, number>> {
  const rows = await all<{ account: string; balance_fen: number }>('SELECT * FROM balances');
  return new Map(rows.map((r) => [r.account, r.balance_fen]));
}

async function invariants() {
  expect(await all('SELECT txn_id FROM ledger_entries GROUP BY txn_id HAVING sum(amount_fen) <> 0')).toEqual([]);
  expect(
    await all(`SELECT b.account FROM balances b LEFT JOIN (SELECT account, sum(amount_fen) AS s FROM ledger_entries
      GROUP BY account) e ON e.account = b.account WHERE b.balance_fen <> coalesce(e.s, 0)`),
  ).toEqual([]);
  expect(
    await all(`SELECT coalesce(h.agent_id, s.party_id) AS agent FROM held_shares h FULL OUTER JOIN (
      SELECT s.party_id, sum(s.amount_fen - s.refunded_qty * (s.sell_unit_fen - s.buy_unit_fen)) AS fen
      FROM order_shares s JOIN orders o ON o.id = s.order_id
      WHERE s.status = 'pending' AND o.payee_id = 'brand' AND s.party_id <> 'brand'
      GROUP BY s.party_id) s ON s.party_id = h.agent_id WHERE coalesce(h.held_fen, 0) <> coalesce(s.fen, 0)`),
  ).toEqual([]);
}

describe('migration 0024 (compact ledger) on a database made by the schema before it', () => {
  it('keeps every balance a wallet shows and every statement entry; the next release pays each share once', async () => {
    await applyD1Migrations(
      legacy,
      env.TEST_MIGRATIONS.filter((m) => m.name < '0024'),
    );
    const [a, b] = ['agt_legacy_seller', 'agt_legacy_upline'];
    const now = Date.now();
    // Paid online, one of two units refunded while pending.
    const half = await legacyOrder('online', [
      { party: a, buy: 22_900, sell: 29_900, qty: 2, status: 'pending', refunded: 1 },
      { party: b, buy: 20_400, sell: 22_900, qty: 2, status: 'pending', refunded: 1 },
      { party: 'brand', buy: 0, sell: 20_400, qty: 2, status: 'pending', refunded: 1 },
    ]);
    // Paid offline to the brand and released.
    await legacyOrder('offline', [
      { party: a, buy: 22_900, sell: 29_900, qty: 1, status: 'available' },
      { party: 'brand', buy: 0, sell: 22_900, qty: 1, status: 'available' },
    ]);
    // Completed, its freeze period over: the first cron after the migration releases it.
    const due = await legacyOrder('online', [
      { party: b, buy: 20_400, sell: 23_400, qty: 1, status: 'pending', releaseAt: now - DAY },
      { party: 'brand', buy: 0, sell: 20_400, qty: 1, status: 'pending', releaseAt: now - DAY },
    ]);
    const entriesBefore = await all('SELECT * FROM ledger_entries ORDER BY id');
    const before = await balancesNow();
    // What the wallet showed before 0024: each balance of the agent's accounts as it stood.
    const of = (acct: string) => before.get(acct) ?? 0;
    const walletsBefore = [a, b].map((agent) => ({
      pendingFen: of(account.pending(agent)),
      availableFen: of(account.available(agent)),
      withdrawingFen: of(account.withdrawing(agent)),
      offlineFen: of(account.offline(agent)),
    }));

    await applyD1Migrations(
      legacy,
      env.TEST_MIGRATIONS.filter((m) => m.name.startsWith('0024')),
    );

    // Nothing was edited: the old entries are all there as they were, and one conversion transaction follows.
    const entriesAfter = await all<{ kind: string; account: string; amount_fen: number }>(
      'SELECT * FROM ledger_entries ORDER BY id',
    );
    expect(entriesAfter.slice(0, entriesBefore.length)).toEqual(entriesBefore);
    expect(
      entriesAfter
        .slice(entriesBefore.length)
        .map((e) => [e.kind, e.account, e.amount_fen])
        .sort(),
    ).toEqual(
      [
        ['conversion', account.pending(a), -7_000],
        ['conversion', account.available(a), 7_000],
        ['conversion', account.pending(b), -5_500],
        ['conversion', account.available(b), 5_500],
      ].sort(),
    );
    await invariants();
    // Each wallet shows what it showed: pending from the held counter, available = wallet balance − held.
    expect(await readWallet(db, a)).toMatchObject(walletsBefore[0] ?? {});
    expect(await readWallet(db, b)).toMatchObject(walletsBefore[1] ?? {});
    expect(walletsBefore.map((w) => [w.pendingFen, w.availableFen])).toEqual([
      [7_000, 7_000],
      [5_500, 0],
    ]);
    const after = await balancesNow();
    for (const acct of [account.brandRevenue, account.gateway, account.offlinePayer]) {
      expect(after.get(acct)).toBe(before.get(acct));
    }

    // The due order releases without an entry: the upline's held counter drops, once however often the cron runs.
    const entries = entriesAfter.length;
    expect(await releaseDueShares(db, now)).toBe(2);
    expect(await releaseDueShares(db, now)).toBe(0);
    expect(await all('SELECT count(*) AS n FROM ledger_entries')).toEqual([{ n: entries }]);
    expect(await readWallet(db, b)).toMatchObject({ pendingFen: 2_500, availableFen: 3_000 });
    expect(await readWallet(db, a)).toMatchObject({ pendingFen: 7_000, availableFen: 7_000 });
    expect(await all(`SELECT party_id, status FROM order_shares WHERE order_id = '${due}' ORDER BY party_id`)).toEqual([
      { party_id: b, status: 'available' },
      { party_id: 'brand', status: 'available' },
    ]);
    expect(
      await all(`SELECT count(*) AS n FROM order_shares WHERE order_id = '${half}' AND status = 'pending'`),
    ).toEqual([{ n: 3 }]);
    expect((await balancesNow()).get(account.brandRevenue)).toBe(before.get(account.brandRevenue));
    await invariants();
  });
});
