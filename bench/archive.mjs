// The archive (worker/archive/) on a brand with 24 months of history, 6 of them kept in D1 (the default setting):
// a network of db/seed/network.mjs and an order history of db/seed/orders.mjs (the orders-1m generators) spread
// over 730 days (ARCHIVE_SPREAD: `even`, the default, the same number of orders every day, a brand of steady size as
// the issue's reference brand of about 70,000 orders a month; `growing`, orders in proportion to the agents who had
// joined by then, so the recent months hold most of them), then the Worker's own cron (its scheduled handler, in Miniflare on the local D1 with a local R2
// bucket) run again and again until every closed month older than 6 months is archived.
//   archive.orders_measured, archive.agents_measured   the size measured (ARCHIVE_BENCH_ORDERS, default 50,000: the
//                                                       whole 1,000,000 would take hours of cron runs on 2 cores)
//   archive.months_archived                             months the cron archived
//   archive.d1_megabytes_before/_after_measured         D1's live pages (page_count − freelist_count) before/after
//   archive.d1_megabytes_after_vacuum_measured          the same data after VACUUM (half-empty index pages packed)
//   archive.d1_file_megabytes_after_measured            the file's size, free pages too (what D1 reports)
//   archive.orders_kept_share                           share of the orders in the 6 months kept and this one
//   archive.seconds_per_month_measured                  wall time of the cron runs per archived month (mean)
//   archive.d1_megabytes_after, archive.seconds_per_month   extrapolated to 1,000,000 orders: the network's own
//                                                       pages stay, order pages and seconds scale with the orders
//   archive.statement_rows_read                         D1 rows read (X-D1-Rows-Read) by one page (20 entries) of
//                                                       an agent's statement inside the oldest archived month
// The `growing` run writes only archive.d1_megabytes_after_growing and archive.orders_kept_share_growing, so that
// every other figure stays the `even` run's.
// Run: npm run bench -- archive   (ARCHIVE_BENCH_ORDERS=1000000 npm run bench -- archive measures the full size;
// ARCHIVE_SPREAD=growing npm run bench -- archive the growing network's history)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { generateNetwork } from '../db/seed/network.mjs';
import { generateCatalog, orderStatements } from '../db/seed/orders.mjs';
import { hashPassword } from '../scripts/lib/password.mjs';
import { applyMigrations, ROOT } from '../scripts/lib/wrangler.mjs';
import { loadRows, runStatements, secondaryIndexes, withLocalD1 } from './lib/d1.mjs';
import { measure } from './lib/http.mjs';
import { bundleWorker } from './lib/server.mjs';

export const timeoutMs = 60 * 60_000;

const FULL = 1_000_000;
const ORDERS = Number(process.env.ARCHIVE_BENCH_ORDERS || 50_000);
const AGENTS = Number(process.env.ARCHIVE_BENCH_AGENTS || 100_000);
const SPAN_DAYS = 730;
const SPREAD = process.env.ARCHIVE_SPREAD || 'even';
const DIR = 'bench/.state/archive';
const PASSWORD = 'demo1234';
const DAY = 86_400_000;

/** @typedef {import('./lib/d1.mjs').D1Like} D1Like @typedef {(line: string) => void} Log */

/**
 * Live megabytes of the local D1 file: pages in use (page_count − freelist_count), which is what the data takes
 * (deleted rows leave free pages that later writes reuse). D1 refuses these PRAGMAs, so Python's sqlite3 reads them.
 */
function localFile() {
  const d1 = path.join(ROOT, DIR, 'v3', 'd1');
  const file = readdirSync(d1, { recursive: true, withFileTypes: true }).find(
    (d) => d.isFile() && d.name.endsWith('.sqlite') && d.name !== 'metadata.sqlite',
  );
  if (!file) throw new Error(`no database file under ${d1}`);
  return path.join(file.parentPath ?? file.path, file.name);
}

/**
 * Live megabytes (see above), or with `vacuumed` those of the same data rebuilt, or with `file` the whole file,
 * free pages too: what D1 reports as a database's size (PRAGMA page_count × page_size; D1 runs no VACUUM, so the
 * file never shrinks, and pages freed by archiving are reused by later writes instead).
 * @param {boolean | 'file'} [vacuumed]
 */
function liveMegabytes(vacuumed = false) {
  const free = vacuumed === 'file' ? '0' : 'q("freelist_count")';
  const script =
    'import sqlite3,sys\nc=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True)\n' +
    `q=lambda p:c.execute("PRAGMA "+p).fetchone()[0]\nprint((q("page_count")-${free})*q("page_size"))`;
  const compact =
    'import sqlite3,sys,os,tempfile\nt=os.path.join(tempfile.mkdtemp(),"v.sqlite")\n' +
    'sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True).execute("VACUUM INTO ?",(t,))\n' +
    'print(os.path.getsize(t))\nos.remove(t)';
  const bytes = Number(execFileSync('python3', ['-c', vacuumed === true ? compact : script, localFile()]));
  return Math.round(bytes / 100_000) / 10;
}

/**
 * Where the pages are: megabytes per table and index (sqlite's dbstat), the largest first, and how full their pages
 * are (used bytes / page bytes), so a breakdown says what stays in D1 after archiving and what is half-empty.
 */
function breakdown() {
  const script =
    'import sqlite3,sys\nc=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True)\n' +
    'r=c.execute("SELECT name,sum(pgsize),sum(pgsize-unused),count(*) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()\n' +
    'print(" ".join("%s:%.1fMB/%d%%" % (n,s/1e6,100*u/max(s,1)) for n,s,u,p in r if s>=500000))';
  return String(execFileSync('python3', ['-c', script, localFile()])).trim();
}

/** @param {Log} log @param {AbortSignal | undefined} signal */
async function build(log, signal) {
  if (SPREAD !== 'even' && SPREAD !== 'growing') throw new Error(`ARCHIVE_SPREAD must be even or growing: ${SPREAD}`);
  const dir = path.join(ROOT, DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await applyMigrations({ persistTo: dir, capture: true });
  const now = Date.now();
  const hash = hashPassword(PASSWORD);
  const { tables } = generateNetwork({
    agentCount: AGENTS,
    seed: 'agentry-archive',
    now,
    spanDays: SPAN_DAYS,
    hashes: { admin: hashPassword('admin1234'), agent: hash, member: hash, application: hash },
  });
  const {
    products: _p,
    product_prices: _pp,
    stock: _s,
    ...network
  } = /** @type {Record<string, Record<string, unknown>[]>} */ (/** @type {unknown} */ (tables));
  network.brand = (network.brand ?? []).map((b) => ({ ...b, stock_model: 'direct' }));
  const catalog = generateCatalog({ seed: 'agentry-archive', now, levels: tables.levels, stockQty: 1_000_000 });
  return withLocalD1(
    DIR,
    async (db) => {
      const t0 = Date.now();
      await loadRows(db, { ...network, ...catalog }, { signal });
      const networkMb = liveMegabytes();
      const indexes = await secondaryIndexes(db, [
        'orders',
        'order_lines',
        'order_shares',
        'ledger_entries',
        'balances',
      ]);
      for (const index of indexes) await db.prepare(`DROP INDEX "${index.name.replaceAll('"', '""')}"`).run();
      const freezeDays = Number(network.brand?.[0]?.freeze_days ?? 7);
      const statements = orderStatements({
        orderCount: ORDERS,
        seed: 'agentry-archive',
        now,
        spanDays: SPAN_DAYS,
        freezeDays,
        productCount: catalog.products.length,
        spread: SPREAD,
      });
      await runStatements(db, statements, { log, signal });
      for (const index of indexes) await db.prepare(index.sql).run();
      const beforeMb = liveMegabytes();
      log(`before, MB per table and index (full %): ${breakdown()}`);
      const months = await db
        .prepare(
          `SELECT strftime('%Y-%m', created_at / 1000 + 28800, 'unixepoch') AS m, count(*) AS n FROM orders GROUP BY m`,
        )
        .all();
      log(
        `built ${AGENTS} agents, ${ORDERS} orders (${SPREAD}) over ${SPAN_DAYS} days in ${((Date.now() - t0) / 1000).toFixed(0)} s: ` +
          `${beforeMb} MB live (${networkMb} MB without orders); orders a month ${JSON.stringify(
            (months.results ?? []).map((r) => `${r.m}:${r.n}`),
          )}`,
      );
      // `even`: the months kept hold about 6.5/24 of the orders (this month is partly over); `growing`: the network
      // grows over the history and orders with it, so the months kept hold more.
      const [y, m] = new Date(now + 8 * 3_600_000).toISOString().slice(0, 7).split('-').map(Number);
      const firstKept = new Date(Date.UTC(Number(y), Number(m) - 1 - 6, 1)).toISOString().slice(0, 7);
      const kept = (months.results ?? []).filter((r) => String(r.m) >= firstKept).reduce((n, r) => n + Number(r.n), 0);
      const keptShare = Math.round((kept / ORDERS) * 1000) / 1000;
      log(`${kept} orders (${(keptShare * 100).toFixed(1)} %) in the months kept (${firstKept} on)`);
      return { now, networkMb, beforeMb, keptShare };
    },
    signal,
  );
}

/** @param {{ log: Log, signal?: AbortSignal }} context */
export default async function run({ log, signal }) {
  const script = await bundleWorker(path.join(ROOT, 'bench', '.state', 'archive-worker'));
  const built = await build(log, signal);
  const { Miniflare } = await import('miniflare');
  const mf = new Miniflare({
    name: 'agentry',
    modules: true,
    scriptPath: script,
    compatibilityDate: '2026-04-26',
    compatibilityFlags: ['nodejs_compat'],
    host: '127.0.0.1',
    port: 8796,
    bindings: { APP_VERSION: '0.1.0', DB_METRICS: '1', ARCHIVE_CHUNK_ROWS: '1000', ARCHIVE_RUN_CHUNKS: '200' },
    d1Databases: { DB: '00000000-0000-0000-0000-000000000000' },
    d1Persist: path.join(ROOT, DIR, 'v3', 'd1'),
    r2Buckets: ['ARCHIVE', 'FILES'],
    r2Persist: path.join(ROOT, DIR, 'v3', 'r2'),
    ratelimits: { VERIFY_LIMITER: { simple: { limit: 20, period: 60 } } },
    serviceBindings: { ASSETS: () => new Response('Not found', { status: 404 }) },
  });
  const dispose = () => mf.dispose().catch(() => {});
  signal?.addEventListener('abort', dispose, { once: true });
  try {
    const base = (await mf.ready).origin;
    const worker = await mf.getWorker();
    const db = /** @type {D1Like} */ (/** @type {unknown} */ (await mf.getD1Database('DB')));
    const state = async () =>
      (await db.prepare('SELECT month, phase, chunks, ledger_to_id AS toId FROM archive_months ORDER BY month').all())
        .results ?? [];
    /** @type {Map<string, number>} */
    const msByMonth = new Map();
    let last = '';
    for (let runs = 0; ; runs++) {
      signal?.throwIfAborted();
      const started = Date.now();
      await worker.scheduled({ scheduledTime: built.now + DAY, cron: '*/5 * * * *' });
      const ms = Date.now() - started;
      const rows = await state();
      const active = rows.find((r) => r.phase !== 'done') ?? rows[rows.length - 1];
      const now = JSON.stringify(rows);
      if (now === last) break;
      last = now;
      if (active) msByMonth.set(String(active.month), (msByMonth.get(String(active.month)) ?? 0) + ms);
      if (runs % 20 === 0) log(`run ${runs}: ${active?.month} ${active?.phase} chunk ${active?.chunks} (${ms} ms)`);
    }
    const rows = await state();
    const done = rows.filter((r) => r.phase === 'done');
    if (done.length === 0) throw new Error(`no month archived: ${JSON.stringify(rows)}`);
    const seconds = done.reduce((s, r) => s + (msByMonth.get(String(r.month)) ?? 0), 0) / 1000 / done.length;
    const afterMb = liveMegabytes();
    log(`after, MB per table and index (full %): ${breakdown()}`);
    // Deleted rows leave half-empty index pages: what the same data takes once D1's file is rebuilt.
    const vacuumedMb = liveMegabytes(true);
    const fileMb = liveMegabytes('file');
    const check = await db
      .prepare(
        `SELECT count(*) AS n FROM balances b WHERE b.balance_fen <>
           coalesce((SELECT sum(amount_fen) FROM ledger_entries e WHERE e.account = b.account), 0)
           + coalesce((SELECT balance_fen FROM closing_balances c WHERE c.account = b.account), 0)`,
      )
      .first();
    if (Number(check?.n) !== 0) throw new Error(`${check?.n} balances differ from their entries plus closing balances`);
    log(`${done.length} months archived (${done.map((r) => r.month).join(', ')}); balances exact`);

    // One page of a statement inside the oldest archived month, as its agent reads it.
    const oldest = /** @type {{ month: string, toId: number }} */ (done[0]);
    const top = await db
      .prepare(
        "SELECT account FROM closing_balances WHERE account LIKE 'agent:%' ORDER BY abs(balance_fen) DESC LIMIT 1",
      )
      .first();
    const agentId = String(top?.account ?? '').split(':')[1] ?? '';
    const agent = await db.prepare('SELECT id, phone FROM agents WHERE id = ?').bind(agentId).first();
    const login = await measure(`${base}/api/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ role: 'agent', account: agent?.phone, password: PASSWORD }),
    });
    if (!login.session) throw new Error(`sign-in of ${agent?.id}: HTTP ${login.status} ${JSON.stringify(login.body)}`);
    const page = await measure(`${base}/api/agents/${agent?.id}/statement?limit=20&cursor=${oldest.toId + 1}`, {
      headers: { Authorization: `Bearer ${login.session}` },
    });
    const items = /** @type {{ items?: unknown[] }} */ (page.body)?.items?.length ?? 0;
    if (page.status !== 200) throw new Error(`statement: HTTP ${page.status}`);
    log(`statement page in ${oldest.month}: ${items} entries, ${page.rowsRead} rows read, ${page.ms.toFixed(0)} ms`);

    const scale = FULL / ORDERS;
    const afterFull = Math.round(built.networkMb + (afterMb - built.networkMb) * scale);
    if (SPREAD === 'growing') {
      return { 'archive.d1_megabytes_after_growing': afterFull, 'archive.orders_kept_share_growing': built.keptShare };
    }
    const figures = {
      'archive.orders_measured': ORDERS,
      'archive.agents_measured': AGENTS,
      'archive.months_archived': done.length,
      'archive.d1_megabytes_before_measured': built.beforeMb,
      'archive.d1_megabytes_after_measured': afterMb,
      'archive.d1_megabytes_after_vacuum_measured': vacuumedMb,
      'archive.d1_file_megabytes_after_measured': fileMb,
      'archive.orders_kept_share': built.keptShare,
      'archive.seconds_per_month_measured': Math.round(seconds * 10) / 10,
      'archive.d1_megabytes_after': afterFull,
      'archive.seconds_per_month': Math.round(seconds * scale * 10) / 10,
      'archive.statement_rows_read': page.rowsRead ?? Number.NaN,
    };
    return figures;
  } finally {
    signal?.removeEventListener('abort', dispose);
    await dispose();
  }
}
