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
//   orders.*                    the size of the generated data (bytes_per_order: the database's files ÷ orders;
//                               ledger_rows_per_order); seed_seconds when it was (re)built
// The demo network's figures carry the suffix _small.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../scripts/lib/wrangler.mjs';
import { measure } from './lib/http.mjs';
import { percentile, runLoad } from './lib/load.mjs';
import { describeLoad, floorBody, mergeLoads, orderBody, sender } from './lib/order-requests.mjs';
import { prepareState } from './lib/orders-state.mjs';
import { bundleWorker, withServer } from './lib/server.mjs';
import { createWechatPayKit, toEnvFile } from './lib/wechatpay.mjs';

// A first build of the million orders takes about 4 minutes on 2 cores; the measurements about 2.
export const timeoutMs = 20 * 60_000;

const THROUGHPUT = { concurrency: 16, maxRequests: 3_000, maxMs: 15_000, rounds: 3 };
const LATENCY = { concurrency: 50, maxRequests: 2_000, maxMs: 20_000 };
const WARMUP = { concurrency: 16, maxRequests: 64, maxMs: 15_000 };

/**
 * @typedef {import('./lib/orders-state.mjs').Network} Network
 * @typedef {import('./lib/orders-state.mjs').Seller} Seller
 * @typedef {import('./lib/orders-state.mjs').StateMeta} StateMeta
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
    // Issue 12's storage targets: every table and index of the database over the orders (≤ 4,000 bytes), and the
    // ledger entries over the orders (a six-level consumer order writes at most 8 in its life).
    if (state.rows.database_bytes) {
      figures[`orders.bytes_per_order${s}`] = Math.round(state.rows.database_bytes / state.orderCount);
    }
    figures[`orders.ledger_rows_per_order${s}`] =
      Math.round(((state.rows.ledger_entries ?? 0) / state.orderCount) * 100) / 100;

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
