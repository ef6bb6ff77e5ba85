// Anti-counterfeit codes end to end on the local server: a batch of 100,000 codes generated through the API, its
// printer CSV, and what a public verification costs.
//
// Every run starts from a fresh local D1 database under bench/.state/codes: migrations, then the 30-agent demo
// network of db/seed/network.mjs (brand, levels, admin, agents with certificates, demo products). `wrangler dev` runs
// a bundle of the Worker made at the start (so edits meanwhile do not restart it) with DB_METRICS=1. Then, as the
// brand admin over HTTP:
//   codes_100k.seconds        POST /api/brand/code-batches {size: 100000}, then POST …/generate until ready
//                             (target ≤ 30 s); codes_100k.chunks is the number of requests that took
//   codes_100k.csv_seconds    GET …/codes.csv of that batch, read to the end (100,001 lines checked)
//   verify.rows_read          POST /api/codes/verify of codes bound to an agent, in steady state (the Worker's
//   verify.round_trips        product and level caches warm), each from a new client address: the max over 5
//                             (targets 3 rows, 1 round trip), from the X-D1-Rows-Read / X-D1-Round-Trips headers
//   verify.rows_read_cold     the first verification of the run (caches empty)
//   verify.rows_read_repeat   a second verification from the same address within the minute (the rate limit is
//                             counted by Workers Rate Limiting, not in D1, so it should equal verify.rows_read)
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { generateNetwork } from '../db/seed/network.mjs';
import { hashPassword } from '../scripts/lib/password.mjs';
import { applyMigrations, ROOT } from '../scripts/lib/wrangler.mjs';
import { loadRows, withLocalD1 } from './lib/d1.mjs';
import { measure, nextIp } from './lib/http.mjs';
import { bundleWorker, withServer } from './lib/server.mjs';

export const timeoutMs = 6 * 60_000;

const DIR = 'bench/.state/codes';
const PORT = 8796;
const SIZE = 100_000;
const ADMIN_PASSWORD = 'admin1234';
const STEADY_SAMPLES = 5;

/**
 * @typedef {(line: string) => void} Log
 * @typedef {import('./lib/http.mjs').Measured} Measured
 */

/** A fresh database with the demo network; returns a product and an agent with a certificate. @param {Log} log */
async function prepare(log, /** @type {AbortSignal | undefined} */ signal) {
  const dir = path.join(ROOT, DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await applyMigrations({ persistTo: dir, capture: true });
  const hash = hashPassword('demo1234');
  const { tables } = generateNetwork({
    agentCount: 30,
    seed: 'agentry-demo',
    hashes: { admin: hashPassword(ADMIN_PASSWORD), agent: hash, member: hash, application: hash },
  });
  await withLocalD1(DIR, (db) => loadRows(db, tables, { signal }), signal);
  const certified = new Set(tables.certificates.map((c) => c.agent_id));
  const agent = tables.agents.find((a) => a.status === 'active' && certified.has(a.id));
  const product = tables.products[0];
  if (!agent || !product) throw new Error('the demo network lacks an agent with a certificate or a product');
  log(`database ready: ${tables.agents.length} agents, ${tables.products.length} products`);
  return { productId: String(product.id), agentId: String(agent.id), admin: String(tables.admins[0]?.username) };
}

/** @param {Measured} m @param {string} what @param {number[]} ok */
function expectStatus(m, what, ok) {
  if (!ok.includes(m.status)) throw new Error(`${what}: HTTP ${m.status} ${JSON.stringify(m.body).slice(0, 300)}`);
  return /** @type {Record<string, any>} */ (m.body);
}

/**
 * @param {string} base @param {{ productId: string, agentId: string, admin: string }} picks @param {Log} log
 * @param {AbortSignal | undefined} signal
 */
async function measureCodes(base, picks, log, signal) {
  /** @type {Record<string, number>} */
  const figures = {};
  const login = await measure(`${base}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ role: 'admin', account: picks.admin, password: ADMIN_PASSWORD }),
  });
  expectStatus(login, 'admin login', [200]);
  const auth = { Authorization: `Bearer ${login.session}` };

  // 100,000 codes, chunk by chunk, as the console drives it.
  const started = performance.now();
  let batch = expectStatus(
    await measure(`${base}/api/brand/code-batches`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ productId: picks.productId, size: SIZE, note: 'bench' }),
    }),
    'create batch',
    [201],
  );
  let chunks = 1;
  log(`batch ${batch.id}: ${batch.generated} codes after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  while (batch.status !== 'ready') {
    signal?.throwIfAborted();
    const m = await measure(`${base}/api/brand/code-batches/${batch.id}/generate`, { method: 'POST', headers: auth });
    batch = expectStatus(m, 'generate', [200]);
    chunks++;
    log(
      `  ${batch.generated} codes after ${((performance.now() - started) / 1000).toFixed(1)} s (${Math.round(m.ms)} ms)`,
    );
    if (chunks > 20) throw new Error('the batch did not finish in 20 requests');
  }
  const seconds = (performance.now() - started) / 1000;
  figures['codes_100k.seconds'] = Number(seconds.toFixed(1));
  figures['codes_100k.chunks'] = chunks;
  log(`100,000 codes in ${seconds.toFixed(1)} s over ${chunks} requests (target ≤ 30 s)`);

  // The printer's CSV, read to the end.
  const csvStarted = performance.now();
  const res = await fetch(`${base}/api/brand/code-batches/${batch.id}/codes.csv`, {
    headers: auth,
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  const csvSeconds = (performance.now() - csvStarted) / 1000;
  const lines = text.split('\r\n').filter(Boolean);
  if (res.status !== 200 || lines.length !== SIZE + 1) {
    throw new Error(`CSV: HTTP ${res.status}, ${lines.length} lines (expected ${SIZE + 1})`);
  }
  figures['codes_100k.csv_seconds'] = Number(csvSeconds.toFixed(1));
  log(`CSV of ${lines.length - 1} codes (${(text.length / 1e6).toFixed(1)} MB of text) in ${csvSeconds.toFixed(1)} s`);
  const codes = lines.slice(1, 1 + 2 + 2 * STEADY_SAMPLES).map((line) => String(line.split(',')[1]));

  // Ship the first 1,000 to an agent, then verify.
  expectStatus(
    await measure(`${base}/api/brand/code-bindings`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        agentId: picks.agentId,
        ranges: [{ from: batch.serialStart, to: batch.serialStart + 999 }],
      }),
    }),
    'bind',
    [201],
  );
  const verify = (/** @type {string} */ code, /** @type {string} */ ip = nextIp()) =>
    measure(`${base}/api/codes/verify`, {
      method: 'POST',
      headers: { 'CF-Connecting-IP': ip },
      body: JSON.stringify({ code }),
    });
  const cold = await verify(codes[0] ?? '');
  expectStatus(cold, 'cold verification', [200]);
  figures['verify.rows_read_cold'] = cold.rowsRead ?? 0;
  log(`first verification: ${cold.rowsRead} rows read, ${cold.roundTrips} round trips (caches empty)`);
  let rows = 0;
  let trips = 0;
  for (let i = 0; i < STEADY_SAMPLES; i++) {
    const m = await verify(codes[1 + i] ?? '');
    const body = expectStatus(m, 'verification', [200]);
    if (!body.agent) throw new Error('a bound code verified without its agent');
    rows = Math.max(rows, m.rowsRead ?? 0);
    trips = Math.max(trips, m.roundTrips ?? 0);
  }
  figures['verify.rows_read'] = rows;
  figures['verify.round_trips'] = trips;
  log(`steady state over ${STEADY_SAMPLES} verifications: ${rows} rows read, ${trips} round trips (targets 3, 1)`);
  const ip = nextIp();
  await verify(codes[1 + STEADY_SAMPLES] ?? '', ip);
  const repeat = await verify(codes[2 + STEADY_SAMPLES] ?? '', ip);
  expectStatus(repeat, 'repeat verification', [200]);
  figures['verify.rows_read_repeat'] = repeat.rowsRead ?? 0;
  log(`same address again within the minute: ${repeat.rowsRead} rows read, ${repeat.roundTrips} round trips`);
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
  const script = await bundleWorker(path.join(ROOT, 'bench', '.state', 'codes-worker'));
  const picks = await prepare(log, signal);
  const server = { name: 'codes', dir: DIR, port: PORT, script, args: ['--var', 'DB_METRICS:1'] };
  return withServer(server, log, signal, (base) => measureCodes(base, picks, log, signal));
}
