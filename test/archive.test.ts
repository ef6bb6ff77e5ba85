import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { account } from '../worker/domain/ledger';
import worker from '../worker/index';
import { admin, api, BASE, expectError, type TestAgent, workerFetch } from './helpers';
import {
  expectHeldExact,
  guestAuth,
  guestOrder,
  notify,
  type OrderBody,
  product,
  RETAIL,
  setModel,
  sixLevelChain,
  transaction,
} from './order-helpers';

// Closed months leave D1 for R2 (worker/archive/) and read back the same: the statement, an order by id and every CSV
// export answer byte for byte what they answered before, at every step of the job, and a restore puts it all back.

const DAY = 86_400_000;
// Far enough ahead that this month is older than the brand's 6 months.
const LATER = Date.now() + 250 * DAY;
const TABLES = ['orders', 'order_lines', 'order_shares', 'ledger_entries', 'sale_facts'];
const EXPORTS = [
  '/api/exports/orders.csv',
  '/api/exports/orders.csv?status=completed',
  '/api/exports/ledger.csv',
  `/api/exports/ledger.csv?from=${Date.now() - DAY}`,
  '/api/exports/purchases.csv',
];

let adminToken: string;
let chain: TestAgent[];
let seller: TestAgent;
let completed: { body: OrderBody }[];
let month: string;

async function cron(at: number, vars: Record<string, string> = {}) {
  // The cron also ends sessions past their time: these stay signed in across the months that pass.
  await env.DB.prepare('UPDATE sessions SET expires_at = ?')
    .bind(at + DAY)
    .run();
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ scheduledTime: at, cron: '*/5 * * * *' }),
    { ...env, ...vars },
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

async function count(table: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? 0;
}

async function job() {
  return env.DB.prepare(
    'SELECT month, phase, table_idx, chunks FROM archive_months ORDER BY month DESC LIMIT 1',
  ).first<{
    month: string;
    phase: string;
    table_idx: number;
    chunks: number;
  }>();
}

// Every page of the selling agent's statement (or of its statement in words), three a page (so pages cross from D1
// into the archive).
async function statement(agent: TestAgent, path = 'statement'): Promise<string[]> {
  const pages: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await workerFetch(
      `${BASE}/api/agents/${agent.id}/${path}?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: { authorization: `Bearer ${agent.token}` } },
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    pages.push(text);
    cursor = (JSON.parse(text) as { nextCursor: string | null }).nextCursor;
  } while (cursor);
  return pages;
}

async function exportsNow(): Promise<string[]> {
  const out: string[] = [];
  for (const path of EXPORTS) {
    const res = await workerFetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(200);
    out.push(new TextDecoder().decode(await res.arrayBuffer()));
  }
  return out;
}

async function views(): Promise<string[]> {
  const out: string[] = [];
  for (const placed of completed) {
    const asGuest = await workerFetch(`${BASE}/api/orders/${placed.body.id}`, { headers: guestAuth(placed) });
    const asAdmin = await workerFetch(`${BASE}/api/orders/${placed.body.id}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect([asGuest.status, asAdmin.status]).toEqual([200, 200]);
    out.push(await asGuest.text(), await asAdmin.text());
  }
  return out;
}

// Balances from what D1 holds: the closing balance at the archived end plus the entries still in D1.
async function balancesFromEntries(): Promise<Record<string, number>> {
  const rows = await env.DB.prepare(
    `SELECT account, sum(s) AS b FROM (
       SELECT account, balance_fen AS s FROM closing_balances
       UNION ALL SELECT account, amount_fen AS s FROM ledger_entries) GROUP BY account`,
  ).all<{ account: string; b: number }>();
  return Object.fromEntries(rows.results.filter((r) => r.b !== 0).map((r) => [r.account, r.b]));
}

async function balancesKept(): Promise<Record<string, number>> {
  const rows = await env.DB.prepare('SELECT account, balance_fen AS b FROM balances WHERE balance_fen <> 0').all<{
    account: string;
    b: number;
  }>();
  return Object.fromEntries(rows.results.map((r) => [r.account, r.b]));
}

async function snapshotReads() {
  return {
    statement: await statement(seller),
    lines: await statement(seller, 'statement/lines'),
    exports: await exportsNow(),
    views: await views(),
  };
}

// A guest's order of i + 1 units, paid, shipped and confirmed received.
async function completedOrder(productId: string, i: number) {
  const placed = await guestOrder(seller.code, productId, i + 1);
  expect(placed.status).toBe(201);
  expect((await notify(transaction(placed.body.id, RETAIL * (i + 1)))).status).toBe(200);
  const shipped = await api(`/api/orders/${placed.body.id}/ship`, {
    token: adminToken,
    body: { carrier: '顺丰速运', trackingNo: `SF10000000${i}` },
  });
  expect(shipped.status).toBe(200);
  const done = await api(`/api/orders/${placed.body.id}/complete`, { method: 'POST', headers: guestAuth(placed) });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return placed;
}

async function sellerPendingFen(): Promise<number> {
  const res = await api<{ pendingFen: number }>(`/api/agents/${seller.id}/wallet`, { token: seller.token });
  return res.body.pendingFen;
}

beforeAll(async () => {
  adminToken = await admin();
  await setModel('direct', 0);
  chain = await sixLevelChain();
  seller = chain[0] as TestAgent;
  const productId = await product();
  completed = [];
  for (let i = 0; i < 3; i++) completed.push(await completedOrder(productId, i));
  // One order never paid, cancelled by its guest: final, with its planned shares.
  const unpaid = await guestOrder(seller.code, productId, 1);
  expect(
    (await api(`/api/orders/${unpaid.body.id}/cancel`, { method: 'POST', headers: guestAuth(unpaid) })).status,
  ).toBe(200);
  // Freeze days 0: every share is released now.
  expect((await api('/api/brand/jobs/release', { method: 'POST', token: adminToken })).status).toBe(200);
  // One more order completes under a 90-day freeze: its shares stay held (待结算), so the month is not closed yet.
  await setModel('direct', 90);
  completed.push(await completedOrder(productId, 3));
  await setModel('direct', 0);
  month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
});

describe('archiving a closed month', () => {
  it('waits for the brand’s months, then archives step by step: each run stopped after one chunk, the next goes on, and every read stays byte for byte the same', async () => {
    // Old enough for a brand keeping 1 month, but a share is still held: the month stays open, nothing moves.
    await api('/api/brand/settings', { method: 'PATCH', token: adminToken, body: { archiveAfterMonths: 1 } });
    await cron(Date.now() + 62 * DAY);
    expect(await job()).toBeNull();
    expect(await count('orders')).toBe(completed.length + 1);
    expect(await sellerPendingFen()).toBeGreaterThan(0);
    // The freeze ends: the cron releases the held shares (the brand keeps 12 months, so nothing is archived yet).
    await api('/api/brand/settings', { method: 'PATCH', token: adminToken, body: { archiveAfterMonths: 12 } });
    await cron(Date.now() + 91 * DAY);
    expect(await job()).toBeNull();
    expect(await sellerPendingFen()).toBe(0);
    await expectHeldExact();

    const before = await snapshotReads();
    // The statement in words has several pages of lines naming their orders (and so does the archive later).
    expect(before.lines.length).toBeGreaterThan(1);
    expect(before.lines.join('')).toMatch(/"orderNo":"[^"]+"/);
    const rowsBefore = Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await count(t)] as const)));
    const kept = await balancesKept();
    expect(await balancesFromEntries()).toEqual(kept);
    // The board's facts of each paid order leave with the month too.
    expect(rowsBefore.sale_facts).toBe(completed.length);

    // The brand keeps 12 months: nothing moves 8 months on.
    const patched = await api('/api/brand/settings', {
      method: 'PATCH',
      token: adminToken,
      body: { archiveAfterMonths: 12 },
    });
    expect(patched.status).toBe(200);
    await cron(LATER);
    expect(await job()).toBeNull();
    await api('/api/brand/settings', { method: 'PATCH', token: adminToken, body: { archiveAfterMonths: 6 } });

    const vars = { ARCHIVE_CHUNK_ROWS: '3', ARCHIVE_RUN_CHUNKS: '1' };
    const seen: string[] = [];
    let rolledBack = false;
    for (let run = 0; run < 300; run++) {
      const state = await job();
      if (state?.phase === 'done') break;
      // Once, a step's work is done but its state update is lost (as if the run stopped between them): the chunk is
      // done again and nothing is doubled.
      if (state?.phase === 'export' && state.chunks === 3 && !rolledBack) {
        const saved = await env.DB.prepare('SELECT * FROM archive_months WHERE month = ?').bind(state.month).first();
        await cron(LATER, vars);
        await env.DB.prepare(
          'UPDATE archive_months SET chunks = ?, table_idx = ?, cursor = ?, meta = ? WHERE month = ?',
        )
          .bind(saved?.chunks, saved?.table_idx, saved?.cursor, saved?.meta, state.month)
          .run();
        rolledBack = true;
      }
      await cron(LATER, vars);
      const after = await job();
      expect(after?.month).toBe(month);
      seen.push(`${after?.phase}:${after?.table_idx}`);
      // One chunk a run: the job moved by exactly one step.
      expect(after?.chunks).toBe((state?.chunks ?? 0) + 1);
      // Reads between any two chunks of the deletion (every sixth, to keep the file quick) and at the end.
      if ((after?.phase === 'delete' && run % 6 === 0) || after?.phase === 'done') {
        expect(await snapshotReads()).toEqual(before);
        expect(await balancesFromEntries()).toEqual(kept);
      }
    }
    expect(rolledBack).toBe(true);
    expect((await job())?.phase).toBe('done');
    for (const phase of ['export', 'compose', 'verify', 'delete'])
      expect(seen.some((s) => s.startsWith(phase))).toBe(true);
    // Deleted in chunks of three rows: many runs of the delete phase.
    expect(seen.filter((s) => s.startsWith('delete')).length).toBeGreaterThan((rowsBefore.ledger_entries ?? 0) / 3);

    for (const t of TABLES) expect(await count(t), t).toBe(0);
    const manifest = (await (await env.ARCHIVE.get(`archive/${month}/manifest.json`))?.json()) as {
      tables: Record<string, { rows: number; sha256: string; members: unknown[] }>;
    };
    for (const t of TABLES) expect(manifest.tables[t]?.rows, t).toBe(rowsBefore[t]);
    expect(manifest.tables.ledger_entries?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The parts became one file per table; none is left over.
    expect((await env.ARCHIVE.list({ prefix: `archive/${month}/parts/` })).objects).toEqual([]);
    expect(await balancesKept()).toEqual(kept);
    expect(await balancesFromEntries()).toEqual(kept);
    expect(Object.keys(await balancesFromEntries())).toContain(account.available(seller.id));
    // Only released shares were archived: every held counter still equals the held shares (none).
    await expectHeldExact();

    // Done: further runs change nothing.
    await cron(LATER, vars);
    expect(await snapshotReads()).toEqual(before);
  }, 240_000);

  it('an archived order is read by id only by those who take part in it', async () => {
    const placed = completed[0] as { body: OrderBody };
    const stranger = chain[5] as TestAgent;
    expectError(await api(`/api/orders/${placed.body.id}`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(
      await api(`/api/orders/${placed.body.id}`, { headers: { 'x-order-token': 'wrong' } }),
      404,
      'NOT_FOUND',
    );
    expectError(await api(`/api/orders/${placed.body.id}`), 401, 'UNAUTHENTICATED');
    const own = await api<OrderBody>(`/api/orders/${placed.body.id}`, { token: seller.token });
    expect(own.status).toBe(200);
    expect(own.body.status).toBe('completed');
  });

  it('restores the newest month into D1 (admin only), and reads stay the same', async () => {
    const before = await snapshotReads();
    expectError(
      await api(`/api/archive/months/${month}/restore`, { method: 'POST', token: seller.token }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('/api/archive/months/2001-01/restore', { method: 'POST', token: adminToken }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await api('/api/archive/months/2026-13/restore', { method: 'POST', token: adminToken }),
      400,
      'VALIDATION_FAILED',
    );
    const listed = await api<{ items: { month: string; phase: string }[] }>('/api/archive/months', {
      token: adminToken,
    });
    expect(listed.body.items).toEqual([expect.objectContaining({ month, phase: 'done' })]);
    let calls = 0;
    for (;;) {
      const res = await api<{ done: boolean; phase: string }>(`/api/archive/months/${month}/restore`, {
        method: 'POST',
        token: adminToken,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      calls++;
      if (res.body.done) break;
      expect(calls).toBeLessThan(50);
    }
    expect(await count('orders')).toBe(completed.length + 1);
    expect(await count('sale_facts')).toBe(completed.length);
    expect(await count('closing_balances WHERE balance_fen <> 0')).toBe(0);
    expect(await snapshotReads()).toEqual(before);
    expect(await balancesFromEntries()).toEqual(await balancesKept());
    await expectHeldExact();
    const held = await env.DB.prepare('SELECT hold_until AS h FROM archive_months WHERE month = ?').bind(month).first<{
      h: number;
    }>();
    expect(held?.h).toBeGreaterThan(Date.now() + 29 * DAY);
    // Once its hold has ended, the next cron run archives it again (one run's default budget is enough here).
    await cron(LATER);
    expect((await job())?.phase).toBe('done');
    expect(await count('orders')).toBe(0);
    expect(await snapshotReads()).toEqual(before);
  });

  it('a row changed in D1 after its chunk was exported is not lost: the month is put back and archived again', async () => {
    const placed = completed[0] as { body: OrderBody };
    const before = await snapshotReads();
    const kept = await balancesKept();
    for (let n = 0; n < 50; n++) {
      const res = await api<{ done: boolean }>(`/api/archive/months/${month}/restore`, {
        method: 'POST',
        token: adminToken,
      });
      if (res.body.done) break;
    }
    expect(await count('orders')).toBe(completed.length + 1);
    const vars = { ARCHIVE_CHUNK_ROWS: '3', ARCHIVE_RUN_CHUNKS: '1' };
    const phases: string[] = [];
    let changed = false;
    for (let run = 0; run < 600 && (await job())?.phase !== 'done'; run++) {
      const state = await job();
      // Exported and verified, the ledger already half deleted: an order (deleted last) changes in D1.
      if (!changed && state?.phase === 'delete' && state.table_idx === 5 && phases.includes('delete')) {
        await env.DB.prepare('UPDATE orders SET note = ? WHERE id = ?').bind('改过的备注', placed.body.id).run();
        changed = true;
      }
      await cron(LATER, vars);
      phases.push(String((await job())?.phase));
    }
    expect(changed).toBe(true);
    const order = await api<OrderBody & { note: string | null }>(`/api/orders/${placed.body.id}`, {
      token: adminToken,
    });
    expect(order.body.note).toBe('改过的备注');
    // The stale archive was put back (D1's changed row kept) and the month archived again, with the change.
    expect(phases).toContain('restoring');
    expect(phases.slice(phases.indexOf('restoring'))).toContain('export');
    expect((await job())?.phase).toBe('done');
    for (const t of TABLES) expect(await count(t), t).toBe(0);
    const after = await snapshotReads();
    expect([after.statement, after.lines]).toEqual([before.statement, before.lines]);
    expect(await balancesKept()).toEqual(kept);
    expect(await balancesFromEntries()).toEqual(kept);
    await expectHeldExact();
  }, 240_000);
});
