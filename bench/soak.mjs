// A bounded soak: several minutes of mixed load on the local server (the Worker's bundle served by Miniflare on a
// persisted local D1 holding the 30-agent demo network; bench/lib/miniflare.mjs says why not wrangler dev), then every
// invariant of the seeded simulation (bench/lib/invariants.mjs) checked against the local D1 file once it has stopped.
//   soak.requests                 HTTP requests sent (the load stops at SOAK_MAX_REQUESTS or SOAK_SECONDS)
//   soak.rps                      requests per second of wall time, over the load
//   soak.errors                   answers outside what each request may get: any 5xx, and any status or error code the
//                                 operation does not allow (target 0); the breakdown is logged
//   soak.invariant_violations     invariants broken after the load (target 0); each is logged
//   soak.orders / soak.payments   orders placed, and payments answered 200 (notifications and confirmations)
//   soak.p99_ms                   99th percentile of request latency
// The mix: guest consumer orders (online and offline), WeChat Pay notifications signed with a key made for the run
// (a fifth of them delivered twice at once), offline confirmations, shipping, completion, refunds (whole or one
// unit), cancellations, the release job, agents' restocks and withdrawals with the brand's decisions, certificate
// lookups, shop pages, the product list and code verifications. The choices come from a seeded generator.
// Run alone: npm run bench -- soak (SOAK_SECONDS=60 SOAK_MAX_REQUESTS=5000 for a short one)
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../scripts/lib/wrangler.mjs';
import { withLocalD1 } from './lib/d1.mjs';
import { checkDatabase } from './lib/invariants.mjs';
import { percentile } from './lib/load.mjs';
import { withMiniflare } from './lib/miniflare.mjs';
import { bundleWorker } from './lib/server.mjs';
import { createCalls } from './lib/soak-calls.mjs';
import { createMix } from './lib/soak-mix.mjs';
import { ADMIN_PASSWORD, PASSWORD, prepareWorld } from './lib/soak-world.mjs';
import { createWechatPayKit } from './lib/wechatpay.mjs';

export const timeoutMs = 15 * 60_000;

const DIR = 'bench/.state/soak';
const PORT = 8797;
const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const MAX_REQUESTS = Number(process.env.SOAK_MAX_REQUESTS ?? 50_000);
const CONCURRENCY = 8;

/**
 * @typedef {(line: string) => void} Log
 * @typedef {import('./lib/soak-mix.mjs').Code} Code
 * @typedef {import('./lib/soak-world.mjs').World} World
 */

/** @param {World} world @param {string} base @param {ReturnType<typeof createWechatPayKit>} kit @param {Log} log @param {AbortSignal | undefined} signal */
async function soak(world, base, kit, log, signal) {
  const { tally, call, post } = createCalls(base);
  const { errors, samples, answers, latencies } = tally;

  const adminToken = (
    await call(
      'admin login',
      '/api/auth/login',
      post({ role: 'admin', account: world.admin, password: ADMIN_PASSWORD }),
    )
  ).session;
  for (const agent of world.agents) {
    const res = await call(
      'agent login',
      '/api/auth/login',
      post({ role: 'agent', account: agent.phone, password: PASSWORD }),
    );
    agent.token = res.session ?? undefined;
    // Withdrawals paid by hand need to know where to pay.
    await call(
      'payout account',
      '/api/agents/me/payout-account',
      { ...post({ kind: 'alipay', name: '代理', account: `${agent.phone}@example.com` }, agent.token), method: 'PUT' },
      [200],
    );
  }
  // Labels for the verifications: half of a batch shipped to one agent.
  let batch = (
    await call(
      'code batch',
      '/api/brand/code-batches',
      post({ productId: world.products[0], size: 200 }, adminToken),
      [201],
    )
  ).body;
  while (batch.status !== 'ready') {
    batch = (await call('generate', `/api/brand/code-batches/${batch.id}/generate`, post({}, adminToken))).body;
  }
  const csv = await fetch(`${base}/api/brand/code-batches/${batch.id}/codes.csv`, {
    headers: { Authorization: `Bearer ${adminToken}` },
  }).then((r) => r.text());
  const holder = world.agents[0];
  /** @type {Code[]} */
  const codes = csv
    .split('\r\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const [serial, code] = line.split(',');
      return { code: String(code).replaceAll('-', ''), serial: Number(serial), agentId: null, verifications: 0 };
    });
  const to = batch.serialStart + 99;
  await call(
    'bind',
    '/api/brand/code-bindings',
    post({ agentId: holder?.id, ranges: [{ from: batch.serialStart, to }] }, adminToken),
    [201],
  );
  for (const c of codes) if (c.serial <= to) c.agentId = holder?.id ?? null;

  const { pickAction, stats } = createMix({ world, codes, adminToken, kit, call, post });

  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let lastLog = started;
  const client = async () => {
    while (performance.now() < deadline && tally.requests < MAX_REQUESTS && !signal?.aborted) {
      await pickAction()();
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(
          `  ${tally.requests} requests, ${stats.placed} orders, ${Object.values(errors).reduce((a, b) => a + b, 0)} errors`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (performance.now() - started) / 1000;
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
  log(`load: ${tally.requests} requests in ${seconds.toFixed(1)} s, ${stats.placed} orders, ${stats.booked} payments`);
  log(
    `  answers: ${Object.entries(answers)
      .sort()
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ')}`,
  );
  for (const [key, n] of Object.entries(errors)) log(`  error ${key} × ${n}`);
  for (const s of samples) log(`  e.g. ${s}`);
  latencies.sort((a, b) => a - b);
  return {
    codes,
    figures: {
      'soak.requests': tally.requests,
      'soak.rps': Number((tally.requests / seconds).toFixed(1)),
      'soak.errors': errorCount,
      'soak.orders': stats.placed,
      'soak.payments': stats.booked,
      'soak.p99_ms': Math.round(percentile(latencies, 99)),
      'soak.seconds': Number(seconds.toFixed(1)),
    },
  };
}

/** @param {{ log: Log, signal?: AbortSignal }} context */
export default async function run({ log, signal }) {
  const distDir = path.join(ROOT, 'site', 'dist');
  if (!existsSync(distDir)) {
    // wrangler dev needs the assets directory; a missing one only makes the shop pages answer without the site.
    mkdirSync(distDir, { recursive: true });
    log('site/dist was missing: created it empty (run npm run build:site for the real site)');
  }
  const script = await bundleWorker(path.join(ROOT, 'bench', '.state', 'soak-worker'));
  const world = await prepareWorld(DIR, log, signal);
  const kit = createWechatPayKit();
  const server = {
    name: 'soak',
    dir: DIR,
    port: PORT,
    script,
    vars: { ...kit.vars, DB_METRICS: '1', LOG_REQUESTS: '0' },
  };
  const result = await withMiniflare(server, log, signal, (base) => soak(world, base, kit, log, signal));
  // The server has stopped: the local database holds everything the load wrote.
  const { violations, stored } = await withLocalD1(
    DIR,
    async (db) => ({
      violations: await checkDatabase(db, { injected: world.injected, codes: result.codes }),
      stored: Number((await db.prepare('SELECT count(*) AS n FROM orders').first())?.n ?? 0),
    }),
    signal,
  );
  // The check must read what the load wrote, not an untouched copy.
  if (stored < result.figures['soak.orders']) {
    throw new Error(`the checked database holds ${stored} orders, the load placed ${result.figures['soak.orders']}`);
  }
  for (const v of violations) log(`invariant broken: ${v.name}: ${v.detail}`);
  log(
    `invariants: ${violations.length} broken${world.baselineViolations ? ` (${world.baselineViolations} already in the seed)` : ''}`,
  );
  return { ...result.figures, 'soak.invariant_violations': violations.length };
}
