// Orders on a brand with 100,000 agents and 1,000,000 orders behind them (and on the 30-agent demo network with
// 300 orders, for comparison: the per-order figures must not grow with the data; DESIGN.md, Scale).
//
// Builds a local D1 database per network under bench/.state/<name> (kept between runs, rebuilt when db/migrations
// or the generators change): the network of db/seed/network.mjs, the catalog of db/seed/orders.mjs (the network's
// own demo catalog is left out), the brand in the `direct` stock model, and the order history of
// db/seed/orders.mjs, generated inside SQLite (orders, lines, settlement rows, ledger, balances). Every run first
// takes out what earlier runs added (orders after the generation time, their ledger entries and balance changes,
// payment events, rate-limit windows) and refills the warehouse, so it starts from the database as generated.
// Then it runs `wrangler dev` on a bundle of the Worker made at the start of the run (so other people's edits do
// not restart it mid-measurement) with DB_METRICS=1, BENCH_ENDPOINTS=1 and WeChat Pay settings made for the run:
//   order_direct_6.*            a guest consumer order through a 天使 with 县代, 市代, 省代, 总代 and 联创 above it
//                               (POST /api/orders), paid by a signed WeChat Pay notification
//                               (POST /api/payments/wechat/notify): rows read and round trips of each step, and the
//                               max of both (targets: ≤ 60 rows, ≤ 2 round trips per step, the same on both networks)
//   order_throughput.*          orders per second of POST /api/orders under a closed-loop load (16 clients, 15 s or
//                               3,000 requests), and of POST /api/bench/floor (worker/routes/benchFloor.ts: the same
//                               rows in one batch, no reads) under the same load, alternating in 3 rounds;
//                               ratio_to_floor = orders ÷ floor
//   order_latency.p50_ms/p99_ms POST /api/orders at 50 concurrent clients (2,000 requests or 20 s)
//   orders.*                    the size of the generated data; seed_seconds when it was (re)built
// The demo network's figures carry the suffix _small.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateNetwork, timePart } from '../db/seed/network.mjs';
import { generateCatalog, orderStatements } from '../db/seed/orders.mjs';
import { hashPassword } from '../scripts/lib/password.mjs';
import { applyMigrations, ROOT } from '../scripts/lib/wrangler.mjs';
import { loadRows, runStatements, secondaryIndexes, withLocalD1 } from './lib/d1.mjs';
import { measure, nextIp } from './lib/http.mjs';
import { percentile, runLoad } from './lib/load.mjs';
import { bundleWorker, withServer } from './lib/server.mjs';
import { createWechatPayKit, toEnvFile } from './lib/wechatpay.mjs';

// A first build of the million orders takes about 4 minutes on 2 cores; the measurements about 2.
export const timeoutMs = 20 * 60_000;

const STATE_VERSION = 1;
const PASSWORD = 'demo1234';
/** Units of each product in the warehouse: no load of this benchmark can run out. */
const STOCK_QTY = 100_000_000;
/** The tables the order history fills: their secondary indexes are dropped during the load and built after it. */
const ORDER_TABLES = ['orders', 'order_lines', 'order_shares', 'ledger_entries', 'balances'];
/** The shipping address of every order the benchmark places. */
const SHIPPING = { name: '王小明', phone: '13700001111', address: '浙江省杭州市西湖区文三路 100 号' };
let guestSeq = 0;
/** A guest's phone binds it to the first shop it orders from (锁粉): each order comes from a new guest, as a first
 * order through a shared link does, so the load is not one member's orders piling onto one agent. */
function shipping() {
  guestSeq++;
  const n = (process.pid * 7919 + guestSeq * 104_729) % 100_000_000;
  return { ...SHIPPING, phone: `137${String(n).padStart(8, '0')}` };
}
const THROUGHPUT = { concurrency: 16, maxRequests: 3_000, maxMs: 15_000, rounds: 3 };
const LATENCY = { concurrency: 50, maxRequests: 2_000, maxMs: 20_000 };
const WARMUP = { concurrency: 16, maxRequests: 64, maxMs: 15_000 };

/**
 * @typedef {{ name: string, dir: string, agentCount: number, orderCount: number, seed: string, port: number,
 *   suffix: string, load: boolean }} Network
 * @typedef {{ id: string, code: string, level: number, above: number }} Seller
 *   above: active agents above it; a consumer order through it writes above + 2 settlement rows per line
 * @typedef {{ deep: Seller & { orders: number }, sellers: Seller[], products: string[] }} Picks
 * @typedef {{ fingerprint: string, agentCount: number, orderCount: number, now: number, maxLedgerId: number,
 *   rows: Record<string, number>, seedSeconds: number, picks: Picks }} StateMeta
 * @typedef {import('./lib/d1.mjs').D1Like} D1Like
 * @typedef {(line: string) => void} Log
 */

/** @type {Network[]} */
const NETWORKS = [
  {
    name: 'small',
    dir: 'bench/.state/orders-small',
    agentCount: 30,
    orderCount: 300,
    seed: 'agentry-demo',
    port: 8793,
    suffix: '_small',
    load: false,
  },
  {
    name: 'orders-1m',
    dir: 'bench/.state/orders-1m',
    agentCount: 100_000,
    orderCount: 1_000_000,
    seed: 'agentry-bench',
    port: 8792,
    suffix: '',
    load: true,
  },
];

/** What the generated database depends on: a change to any of it rebuilds the state. @param {Network} net */
function fingerprint(net) {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({ v: STATE_VERSION, agentCount: net.agentCount, orderCount: net.orderCount, seed: net.seed }),
  );
  const migrations = path.join(ROOT, 'db', 'migrations');
  const files = readdirSync(migrations, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? d.path, d.name))
    .sort();
  const generators = ['network.mjs', 'sql.mjs', 'orders.mjs'].map((f) => path.join(ROOT, 'db', 'seed', f));
  for (const file of [...files, ...generators]) {
    hash.update(path.relative(ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** @param {string} dir @returns {StateMeta | null} */
function readMeta(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'bench-seed.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** Bytes of the local D1 files of a persist directory. @param {string} dir */
function databaseBytes(dir) {
  const d1 = path.join(dir, 'v3', 'd1');
  if (!existsSync(d1)) return 0;
  return readdirSync(d1, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .reduce((sum, d) => sum + statSync(path.join(d.parentPath ?? d.path, d.name)).size, 0);
}

/**
 * The state of a network: reused (and reset to the generated data) when its fingerprint matches, otherwise rebuilt.
 * @param {Network} net @param {Log} log @param {AbortSignal | undefined} signal
 * @returns {Promise<StateMeta & { rebuilt: boolean }>}
 */
async function prepareState(net, log, signal) {
  const dir = path.join(ROOT, net.dir);
  const print = fingerprint(net);
  const meta = readMeta(dir);
  if (meta && meta.fingerprint === print && existsSync(path.join(dir, 'v3'))) {
    const started = Date.now();
    const removed = await withLocalD1(net.dir, (db) => resetState(db, meta), signal);
    log(
      `${net.name}: reusing ${net.dir} (${meta.agentCount} agents, ${meta.orderCount} orders, built in ` +
        `${meta.seedSeconds} s); removed ${removed} orders of earlier runs in ${Date.now() - started} ms`,
    );
    return { ...meta, rebuilt: false };
  }
  log(
    `${net.name}: building ${net.dir} with ${net.agentCount} agents and ${net.orderCount} orders` +
      `${meta ? ' (migrations or generators changed)' : ''}`,
  );
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await applyMigrations({ persistTo: dir, capture: true });
  const now = Date.now();
  // One hash for every account: 100,000 PBKDF2 runs would take an hour.
  const hash = hashPassword(PASSWORD);
  const { tables } = generateNetwork({
    agentCount: net.agentCount,
    seed: net.seed,
    now,
    hashes: { admin: hashPassword('admin1234'), agent: hash, member: hash, application: hash },
  });
  // The catalog is the order generator's (with stock for any load); the brand ships every order itself.
  const {
    products: _products,
    product_prices: _prices,
    stock: _stock,
    ...network
  } = /** @type {Record<string, Record<string, unknown>[]>} */ (/** @type {unknown} */ (tables));
  network.brand = (network.brand ?? []).map((b) => ({ ...b, stock_model: 'direct' }));
  const catalog = generateCatalog({ seed: net.seed, now, levels: tables.levels, stockQty: STOCK_QTY });
  const freezeDays = Number(network.brand[0]?.freeze_days ?? 7);

  const built = await withLocalD1(
    net.dir,
    async (db) => {
      const t0 = Date.now();
      const statements = await loadRows(db, { ...network, ...catalog }, { signal });
      log(`${net.name}: network and catalog loaded (${statements} INSERT statements) in ${Date.now() - t0} ms`);

      const t1 = Date.now();
      const indexes = await secondaryIndexes(db, ORDER_TABLES);
      for (const index of indexes) await db.prepare(`DROP INDEX "${index.name.replaceAll('"', '""')}"`).run();
      await runStatements(
        db,
        orderStatements({
          orderCount: net.orderCount,
          seed: net.seed,
          now,
          freezeDays,
          productCount: catalog.products.length,
        }),
        { log: net.orderCount >= 100_000 ? log : undefined, signal },
      );
      const t2 = Date.now();
      log(`${net.name}: ${net.orderCount} orders generated in ${t2 - t1} ms`);
      for (const index of indexes) {
        signal?.throwIfAborted();
        await db.prepare(index.sql).run();
      }
      log(`${net.name}: ${indexes.length} indexes built in ${Date.now() - t2} ms`);

      const rows = await countRows(db);
      if (rows.orders !== net.orderCount) throw new Error(`generated ${rows.orders} orders, not ${net.orderCount}`);
      const sum = await db.prepare('SELECT coalesce(sum(balance_fen), 0) AS s FROM balances').first();
      if (Number(sum?.s) !== 0) throw new Error(`the balances sum to ${sum?.s} fen, not 0`);
      const last = await db.prepare('SELECT coalesce(max(id), 0) AS id FROM ledger_entries').first();
      const picks = await pick(
        db,
        catalog.products.map((p) => p.id),
      );
      return { rows, maxLedgerId: Number(last?.id ?? 0), picks };
    },
    signal,
  );

  /** @type {StateMeta} */
  const fresh = {
    fingerprint: print,
    agentCount: net.agentCount,
    orderCount: net.orderCount,
    now,
    maxLedgerId: built.maxLedgerId,
    rows: { ...built.rows, database_megabytes: Math.round(databaseBytes(dir) / 1_000_000) },
    seedSeconds: Math.round((Date.now() - started) / 100) / 10,
    picks: built.picks,
  };
  writeFileSync(path.join(dir, 'bench-seed.json'), `${JSON.stringify(fresh, null, 2)}\n`);
  log(`${net.name}: built in ${fresh.seedSeconds} s: ${JSON.stringify(fresh.rows)}`);
  return { ...fresh, rebuilt: true };
}

/** Rows of the order tables. @param {D1Like} db @returns {Promise<Record<string, number>>} */
async function countRows(db) {
  const row = await db
    .prepare(
      `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_lines) AS order_lines,
         (SELECT count(*) FROM order_shares) AS order_shares, (SELECT max(id) FROM ledger_entries) AS ledger_entries,
         (SELECT count(*) FROM balances) AS balances, (SELECT count(*) FROM agents) AS agents`,
    )
    .first();
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v ?? 0)]));
}

/**
 * Takes out what earlier runs added: orders placed after the generation (and their lines, settlement rows, ledger
 * entries and balance changes), payment events, rate-limit windows, idempotency keys and sessions; refills the
 * warehouse. @param {D1Like} db @param {StateMeta} meta @returns {Promise<number>} orders removed
 */
async function resetState(db, meta) {
  // Ids begin with their creation time, and every generated order was created before `now`.
  const after = `ord_${timePart(meta.now).toLowerCase()}`;
  const last = meta.maxLedgerId;
  const counted = await db.prepare('SELECT count(*) AS n FROM orders WHERE id >= ?').bind(after).first();
  await db.batch([
    db
      .prepare(
        `UPDATE balances SET balance_fen = balance_fen -
           (SELECT coalesce(sum(e.amount_fen), 0) FROM ledger_entries e WHERE e.account = balances.account AND e.id > ?1)
         WHERE account IN (SELECT account FROM ledger_entries WHERE id > ?1)`,
      )
      .bind(last),
    db
      .prepare(
        `DELETE FROM balances WHERE account IN (SELECT account FROM ledger_entries WHERE id > ?1)
           AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.account = balances.account AND e.id <= ?1)`,
      )
      .bind(last),
    db.prepare('DELETE FROM ledger_entries WHERE id > ?').bind(last),
    db.prepare('DELETE FROM order_shares WHERE order_id >= ?').bind(after),
    db.prepare('DELETE FROM order_lines WHERE order_id >= ?').bind(after),
    db.prepare('DELETE FROM orders WHERE id >= ?').bind(after),
    db.prepare('DELETE FROM payment_events WHERE at >= ?').bind(meta.now),
    db.prepare("UPDATE stock SET qty = ? WHERE owner_id = 'brand'").bind(STOCK_QTY),
    db.prepare("DELETE FROM stock WHERE owner_id <> 'brand'"),
    db.prepare('DELETE FROM rate_limits'),
    db.prepare('DELETE FROM idempotency'),
    db.prepare('DELETE FROM sessions WHERE created_at >= ?').bind(meta.now),
  ]);
  return Number(counted?.n ?? 0);
}

/**
 * The agents and products the requests use: the bottom-level agent with a full chain of active agents above it
 * that sold the most, and a fixed sample of active agents for the load.
 * @param {D1Like} db @param {string[]} products @returns {Promise<Picks>}
 */
async function pick(db, products) {
  const activeAbove = `(SELECT count(*) FROM team_members t JOIN agents x ON x.id = t.ancestor_id
      WHERE t.member_id = a.id AND x.status = 'active')`;
  const deep = await db
    .prepare(
      `WITH bottom AS (SELECT max(rank) AS rank FROM levels)
       SELECT a.id, a.code, a.level, ${activeAbove} AS above,
         (SELECT count(*) FROM orders o WHERE o.agent_id = a.id) AS orders
       FROM agents a, bottom
       WHERE a.level = bottom.rank AND a.status = 'active' AND ${activeAbove} = bottom.rank - 1
       ORDER BY orders DESC, a.id LIMIT 1`,
    )
    .first();
  if (!deep) throw new Error('the network has no bottom-level agent with a full chain of active agents above it');
  const { results: sellers = [] } = await db
    .prepare(
      `SELECT a.id, a.code, a.level, ${activeAbove} AS above FROM agents a WHERE a.status = 'active'
       ORDER BY substr(a.id, 15) LIMIT 256`,
    )
    .all();
  const seller = (/** @type {Record<string, unknown>} */ r) => ({
    id: String(r.id),
    code: String(r.code),
    level: Number(r.level),
    above: Number(r.above),
  });
  return { deep: { ...seller(deep), orders: Number(deep.orders) }, sellers: sellers.map(seller), products };
}

/** A guest consumer order of one unit. @param {string} shopCode @param {string} productId */
function orderBody(shopCode, productId) {
  return JSON.stringify({
    kind: 'consumer',
    shopCode,
    lines: [{ productId, qty: 1 }],
    paymentMethod: 'online',
    shipping: shipping(),
  });
}

/** The floor's body for the same rows as a consumer order of one unit through `seller`. */
function floorBody(/** @type {Seller} */ seller, /** @type {string} */ productId) {
  return JSON.stringify({ agentId: seller.id, lines: [{ productId, qty: 1 }], sharesPerLine: seller.above + 2 });
}

/** @param {string} text */
function errorCode(text) {
  try {
    return JSON.parse(text)?.error?.code ?? null;
  } catch {
    return null;
  }
}

/**
 * Sends request `n` of a load: the order (or floor) of seller n, product n; answers 201 when it worked.
 * @param {string} url @param {(seller: Seller, productId: string) => string} body @param {Picks} picks
 */
function sender(url, body, picks) {
  return async (/** @type {number} */ n, /** @type {AbortSignal} */ signal) => {
    const seller = /** @type {Seller} */ (picks.sellers[n % picks.sellers.length]);
    const productId = /** @type {string} */ (picks.products[(n * 7 + Math.floor(n / 256)) % picks.products.length]);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': nextIp() },
      body: body(seller, productId),
      signal,
    });
    const text = await res.text();
    return { ok: res.status === 201, status: res.status, code: res.status === 201 ? null : errorCode(text) };
  };
}

/** Rounds of one load as one. @param {import('./lib/load.mjs').LoadResult[]} rounds */
function mergeLoads(rounds) {
  const sent = rounds.reduce((n, r) => n + r.sent, 0);
  const ok = rounds.reduce((n, r) => n + r.ok, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  /** @type {Record<string, number>} */
  const failures = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
  const latenciesMs = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  return { sent, ok, failed: sent - ok, failures, seconds, perSecond: ok / seconds, latenciesMs };
}

/** @param {import('./lib/load.mjs').LoadResult} r */
function describeLoad(r) {
  const failures = Object.entries(r.failures)
    .map(([k, v]) => `${v}× ${k}`)
    .join(', ');
  return (
    `${r.ok}/${r.sent} in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s, p50 ` +
    `${percentile(r.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(r.latenciesMs, 99).toFixed(1)} ms` +
    `${failures ? `; failed: ${failures}` : ''}`
  );
}

/**
 * Runs the requests against one network's server and returns its figures.
 * @param {Network} net @param {StateMeta} state @param {string} base
 * @param {import('./lib/wechatpay.mjs').WechatPayKit} kit @param {Log} log @param {AbortSignal | undefined} signal
 * @returns {Promise<Record<string, number>>}
 */
async function measureNetwork(net, state, base, kit, log, signal) {
  const s = net.suffix;
  const { picks } = state;
  /** @type {Record<string, number>} */
  const figures = {};
  const fail = (/** @type {string} */ what, /** @type {import('./lib/http.mjs').Measured} */ m) =>
    new Error(`${net.name}: ${what}: HTTP ${m.status} ${JSON.stringify(m.body).slice(0, 300)}`);

  // 1. One order through the 天使 with six levels, then its payment notification.
  const deep = picks.deep;
  const place = await measure(`${base}/api/orders`, {
    method: 'POST',
    body: orderBody(deep.code, picks.products[0] ?? ''),
  });
  if (place.status !== 201) throw fail('placing the order', place);
  if (place.rowsRead === null) throw new Error(`${net.name}: no X-D1-Rows-Read header (is DB_METRICS=1?)`);
  const order = /** @type {{ id: string, amountFen: number, shipping: { phone: string } }} */ (place.body);
  const notification = kit.notification({ orderId: order.id, totalFen: order.amountFen });
  const pay = await measure(`${base}/api/payments/wechat/notify`, {
    method: 'POST',
    headers: notification.headers,
    body: notification.body,
  });
  if (pay.status !== 200 && pay.status !== 204) throw fail('the payment notification', pay);
  const tracked = await measure(`${base}/api/orders/${order.id}/track?phone=${order.shipping.phone}`);
  const status = /** @type {{ status?: string }} */ (tracked.body)?.status;
  if (status !== 'paid')
    throw new Error(
      `${net.name}: the order is ${status ?? `unreadable (HTTP ${tracked.status})`} after the notification, not paid`,
    );
  log(
    `${net.name}: order through a level-${deep.level} agent with ${deep.above} active agents above it ` +
      `(${deep.orders} earlier orders): place ${place.rowsRead} rows read, ${place.roundTrips} round trips, ` +
      `${place.rowsWritten} rows written, ${place.ms.toFixed(0)} ms; pay ${pay.rowsRead} rows read, ` +
      `${pay.roundTrips} round trips, ${pay.rowsWritten} rows written, ${pay.ms.toFixed(0)} ms`,
  );
  figures[`order_direct_6.place_rows_read${s}`] = place.rowsRead;
  figures[`order_direct_6.pay_rows_read${s}`] = pay.rowsRead ?? Number.NaN;
  figures[`order_direct_6.place_round_trips${s}`] = place.roundTrips ?? Number.NaN;
  figures[`order_direct_6.pay_round_trips${s}`] = pay.roundTrips ?? Number.NaN;
  figures[`order_direct_6.rows_read${s}`] = Math.max(place.rowsRead, pay.rowsRead ?? 0);
  figures[`order_direct_6.round_trips${s}`] = Math.max(place.roundTrips ?? 0, pay.roundTrips ?? 0);
  if (!net.load) return figures;

  // 2. Throughput of order placement and of the floor, under the same load.
  const seller = /** @type {Seller} */ (picks.sellers[0]);
  const product = picks.products[0] ?? '';
  const one = await measure(`${base}/api/orders`, { method: 'POST', body: orderBody(seller.code, product) });
  if (one.status !== 201) throw fail('an order', one);
  const floor = await measure(`${base}/api/bench/floor`, { method: 'POST', body: floorBody(seller, product) });
  if (floor.status !== 201) throw fail('the floor endpoint', floor);
  log(
    `${net.name}: rows written by an order through an agent with ${seller.above} above it: ${one.rowsWritten} ` +
      `(${one.roundTrips} round trips); by the floor for the same rows: ${floor.rowsWritten} (${floor.roundTrips})`,
  );
  figures['order_throughput.place_rows_written'] = one.rowsWritten ?? Number.NaN;
  figures['order_throughput.floor_rows_written'] = floor.rowsWritten ?? Number.NaN;

  const orders = sender(`${base}/api/orders`, (sel, prd) => orderBody(sel.code, prd), picks);
  const floors = sender(`${base}/api/bench/floor`, floorBody, picks);
  await runLoad({ ...WARMUP, signal, send: orders });
  await runLoad({ ...WARMUP, signal, send: floors });
  // The two loads alternate in rounds, so a change in what else the machine does meanwhile weighs on both alike.
  /** @type {import('./lib/load.mjs').LoadResult[]} */
  const placedRounds = [];
  /** @type {import('./lib/load.mjs').LoadResult[]} */
  const flooredRounds = [];
  const round = {
    concurrency: THROUGHPUT.concurrency,
    maxRequests: Math.ceil(THROUGHPUT.maxRequests / THROUGHPUT.rounds),
    maxMs: THROUGHPUT.maxMs / THROUGHPUT.rounds,
  };
  for (let r = 0; r < THROUGHPUT.rounds; r++) {
    placedRounds.push(await runLoad({ ...round, signal, send: orders }));
    flooredRounds.push(await runLoad({ ...round, signal, send: floors }));
  }
  const placed = mergeLoads(placedRounds);
  const floored = mergeLoads(flooredRounds);
  log(`${net.name}: POST /api/orders, ${THROUGHPUT.concurrency} clients: ${describeLoad(placed)}`);
  log(`${net.name}: POST /api/bench/floor, ${THROUGHPUT.concurrency} clients: ${describeLoad(floored)}`);
  if (placed.ok > 0 && floored.ok > 0) {
    figures['order_throughput.orders_per_second'] = Math.round(placed.perSecond * 10) / 10;
    figures['order_throughput.floor_per_second'] = Math.round(floored.perSecond * 10) / 10;
    figures['order_throughput.ratio_to_floor'] = Math.round((placed.perSecond / floored.perSecond) * 1000) / 1000;
  }

  // 3. Latency at 50 concurrent clients.
  const latency = await runLoad({ ...LATENCY, signal, send: orders });
  log(`${net.name}: POST /api/orders, ${LATENCY.concurrency} clients: ${describeLoad(latency)}`);
  if (latency.ok > 0) {
    figures['order_latency.p50_ms'] = Math.round(percentile(latency.latenciesMs, 50) * 10) / 10;
    figures['order_latency.p99_ms'] = Math.round(percentile(latency.latenciesMs, 99) * 10) / 10;
  }
  return figures;
}

/** @param {{ log: Log, signal?: AbortSignal }} context */
export default async function run({ log, signal }) {
  const distDir = path.join(ROOT, 'site', 'dist');
  if (!existsSync(distDir)) {
    // wrangler dev needs the assets directory; the API measured here does not need its content.
    mkdirSync(distDir, { recursive: true });
    log('site/dist was missing: created it empty (run npm run build:site for the real site)');
  }
  // One build of the Worker for the whole run: a source file edited meanwhile does not restart the server.
  const script = await bundleWorker(path.join(ROOT, 'bench', '.state', 'orders-worker'));
  /** @type {Record<string, number>} */
  const figures = {};
  for (const net of NETWORKS) {
    const state = await prepareState(net, log, signal);
    const s = net.suffix;
    figures[`orders.count${s}`] = state.orderCount;
    figures[`orders.ledger_rows${s}`] = state.rows.ledger_entries ?? 0;
    figures[`orders.share_rows${s}`] = state.rows.order_shares ?? 0;
    if (state.rebuilt) figures[`orders.seed_seconds${s}`] = state.seedSeconds;
    if (s === '') figures['orders.database_megabytes'] = state.rows.database_megabytes ?? 0;

    // WeChat Pay settings made for this run, passed as a .env file (PEM keys do not survive --var).
    const kit = createWechatPayKit();
    const envFile = path.join(ROOT, net.dir, 'bench.env');
    writeFileSync(envFile, toEnvFile(kit.vars), { mode: 0o600 });
    const server = {
      name: net.name,
      dir: net.dir,
      port: net.port,
      script,
      args: ['--var', 'DB_METRICS:1', '--var', 'BENCH_ENDPOINTS:1', '--env-file', envFile],
    };
    try {
      Object.assign(
        figures,
        await withServer(server, log, signal, (base) => measureNetwork(net, state, base, kit, log, signal)),
      );
    } finally {
      rmSync(envFile, { force: true });
    }
  }
  return figures;
}
