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
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { generateNetwork } from '../db/seed/network.mjs';
import { hashPassword } from '../scripts/lib/password.mjs';
import { applyMigrations, ROOT } from '../scripts/lib/wrangler.mjs';
import { loadRows, withLocalD1 } from './lib/d1.mjs';
import { measure } from './lib/http.mjs';
import { checkDatabase } from './lib/invariants.mjs';
import { percentile } from './lib/load.mjs';
import { withMiniflare } from './lib/miniflare.mjs';
import { bundleWorker } from './lib/server.mjs';
import { createWechatPayKit } from './lib/wechatpay.mjs';

export const timeoutMs = 15 * 60_000;

const DIR = 'bench/.state/soak';
const PORT = 8797;
const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const MAX_REQUESTS = Number(process.env.SOAK_MAX_REQUESTS ?? 50_000);
const CONCURRENCY = 8;
const PASSWORD = 'demo1234';
const ADMIN_PASSWORD = 'admin1234';
const WAREHOUSE = 1_000_000;
const SHIPPING = { name: '王小明', address: '浙江省杭州市西湖区文三路 100 号' };

/**
 * @typedef {(line: string) => void} Log
 * @typedef {import('./lib/http.mjs').Measured} Measured
 * @typedef {{ id: string, amountFen: number, method: string, payeeId: string, status: string, lines: { productId: string, qty: number, refundedQty: number }[] }} Order
 * @typedef {{ id: string, code: string, phone: string, certNumber: string | null, token?: string }} Agent
 * @typedef {{ code: string, serial: number, agentId: string | null, verifications: number }} Code
 */

/** mulberry32: the load's choices are reproducible from its seed. @param {number} seed */
function rng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    next,
    /** @template T @param {T[]} items @returns {T | undefined} */
    pick: (items) => items[Math.floor(next() * items.length)],
    /** @param {number} lo @param {number} hi */
    between: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

/** A fresh database with the demo network, the warehouse full, no freeze period and a low withdrawal minimum. */
async function prepare(/** @type {Log} */ log, /** @type {AbortSignal | undefined} */ signal) {
  const dir = path.join(ROOT, DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await applyMigrations({ persistTo: dir, capture: true });
  const hash = hashPassword(PASSWORD);
  const { tables } = generateNetwork({
    agentCount: 30,
    seed: 'agentry-demo',
    hashes: { admin: hashPassword(ADMIN_PASSWORD), agent: hash, member: hash, application: hash },
  });
  const injected = new Map(tables.products.map((p) => [String(p.id), WAREHOUSE]));
  const baseline = await withLocalD1(
    DIR,
    async (db) => {
      await loadRows(db, tables, { signal });
      await db.batch([
        db.prepare('UPDATE brand SET freeze_days = 0, withdraw_min_fen = 100'),
        db.prepare("UPDATE stock SET qty = ? WHERE owner_id = 'brand'").bind(WAREHOUSE),
        db.prepare("DELETE FROM stock WHERE owner_id <> 'brand'"),
      ]);
      return checkDatabase(db, { injected, codes: [] });
    },
    signal,
  );
  for (const v of baseline) log(`seeded database already breaks ${v.name}: ${v.detail}`);
  const certs = new Map(tables.certificates.map((c) => [String(c.agent_id), String(c.number)]));
  /** @type {Agent[]} */
  const agents = tables.agents
    .filter((a) => a.status === 'active')
    .map((a) => ({
      id: String(a.id),
      code: String(a.code),
      phone: String(a.phone),
      certNumber: certs.get(String(a.id)) ?? null,
    }));
  log(`database ready: ${tables.agents.length} agents (${agents.length} active), ${tables.products.length} products`);
  return {
    agents,
    products: tables.products.map((p) => String(p.id)),
    admin: String(tables.admins[0]?.username),
    injected,
    baselineViolations: baseline.length,
  };
}

/** @param {Awaited<ReturnType<typeof prepare>>} world @param {string} base @param {ReturnType<typeof createWechatPayKit>} kit @param {Log} log @param {AbortSignal | undefined} signal */
async function soak(world, base, kit, log, signal) {
  /** @type {Record<string, number>} */
  const errors = {};
  /** @type {string[]} */
  const samples = [];
  /** @type {Record<string, number>} */
  const answers = {};
  /** @type {number[]} */
  const latencies = [];
  let requests = 0;
  let placed = 0;
  let booked = 0;

  /** @param {string} what @param {string} url @param {RequestInit & { token?: string }} [init] @param {(number | string)[]} [allowed] */
  const call = async (what, url, init = {}, allowed = [200]) => {
    requests++;
    const { token, ...rest } = init;
    const headers = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...rest.headers };
    const m = await measure(`${base}${url}`, { ...rest, headers });
    latencies.push(m.ms);
    const outcome = m.code ? `${m.status} ${m.code}` : String(m.status);
    answers[`${what} ${outcome}`] = (answers[`${what} ${outcome}`] ?? 0) + 1;
    const ok = m.status < 500 && allowed.some((a) => (typeof a === 'number' ? a === m.status : a === outcome));
    if (!ok) {
      const key = `${what}: ${outcome}`;
      errors[key] = (errors[key] ?? 0) + 1;
      if (samples.length < 10) samples.push(`${key} ${JSON.stringify(m.body).slice(0, 300)}`);
    }
    return /** @type {Measured & { body: any }} */ (m);
  };
  const post = (/** @type {unknown} */ body, /** @type {string} */ token = '') => ({
    method: 'POST',
    body: JSON.stringify(body ?? {}),
    ...(token ? { token } : {}),
  });

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

  /** @type {Order[]} */
  const orders = [];
  /** @type {{ id: string }[]} */
  const withdrawals = [];
  const r = rng(20_260_101);
  const inState = (/** @type {string[]} */ ...statuses) => orders.filter((o) => statuses.includes(o.status));
  const take = (/** @type {Order[]} */ list) => r.pick(list);
  const track = (/** @type {Order} */ order, /** @type {Measured & { body: any }} */ res) => {
    if (res.status === 200 && res.body?.status) {
      order.status = res.body.status;
      order.lines = res.body.lines;
    }
  };
  let guest = 0;

  /** @type {[number, () => Promise<void>][]} */
  const actions = [
    [
      25,
      async () => {
        const shop = r.pick(world.agents);
        const method = r.next() < 0.8 ? 'online' : 'offline';
        const phone = `135${String(++guest).padStart(8, '0')}`;
        const body = {
          kind: 'consumer',
          shopCode: shop?.code,
          lines: [{ productId: r.pick(world.products), qty: r.between(1, 2) }],
          paymentMethod: method,
          shipping: { ...SHIPPING, phone },
        };
        const res = await call('order', '/api/orders', post(body), [201, '409 STOCK_INSUFFICIENT', '409 SHOP_CLOSED']);
        if (res.status !== 201) return;
        placed++;
        orders.push({ ...res.body, method: res.body.paymentMethod });
      },
    ],
    [
      20,
      async () => {
        const order = take(inState('pending_payment'));
        if (!order) return;
        if (order.method === 'online') {
          const note = kit.notification({ orderId: order.id, totalFen: order.amountFen });
          const send = () => call('notify', '/api/payments/wechat/notify', { method: 'POST', ...note });
          // WeChat delivers a fifth of the notifications twice, at once.
          const results = await Promise.all(r.next() < 0.2 ? [send(), send()] : [send()]);
          if (results.some((x) => x.status === 200)) {
            order.status = 'paid';
            booked++;
          }
          return;
        }
        const token = order.payeeId === 'brand' ? adminToken : world.agents.find((a) => a.id === order.payeeId)?.token;
        const res = await call('confirm', `/api/orders/${order.id}/confirm-payment`, post(undefined, token), [
          200,
          '409 INVALID_STATE',
        ]);
        if (res.status === 200) booked++;
        track(order, res);
      },
    ],
    [
      12,
      async () => {
        const order = take(inState('paid'));
        if (!order) return;
        const tracking = { carrier: '顺丰速运', trackingNo: `SF${r.between(1e9, 9e9)}` };
        track(
          order,
          await call('ship', `/api/orders/${order.id}/ship`, post(tracking, adminToken), [200, '409 INVALID_STATE']),
        );
      },
    ],
    [
      10,
      async () => {
        const order = take(inState('shipped'));
        if (!order) return;
        track(
          order,
          await call('complete', `/api/orders/${order.id}/complete`, post({}, adminToken), [200, '409 INVALID_STATE']),
        );
      },
    ],
    [
      5,
      async () => {
        const order = take(inState('paid', 'shipped', 'completed'));
        const line = order?.lines.find((l) => l.qty > l.refundedQty);
        if (!order || !line) return;
        const body =
          r.next() < 0.5
            ? { reason: '顾客退货' }
            : { reason: '部分退货', lines: [{ productId: line.productId, qty: 1 }] };
        track(
          order,
          await call('refund', `/api/orders/${order.id}/refund`, post(body, adminToken), [
            200,
            '409 INVALID_STATE',
            '400 VALIDATION_FAILED',
          ]),
        );
      },
    ],
    [
      3,
      async () => {
        const order = take(inState('pending_payment'));
        if (order)
          track(
            order,
            await call('cancel', `/api/orders/${order.id}/cancel`, post({}, adminToken), [200, '409 INVALID_STATE']),
          );
      },
    ],
    [3, async () => void (await call('release', '/api/brand/jobs/release', post({}, adminToken)))],
    [
      5,
      async () => {
        const agent = r.pick(world.agents);
        const body = {
          kind: 'restock',
          lines: [{ productId: r.pick(world.products), qty: r.between(1, 5) }],
          paymentMethod: 'online',
        };
        const res = await call('restock', '/api/orders', post(body, agent?.token), [
          201,
          '409 STOCK_INSUFFICIENT',
          '409 SUPPLY_STOPPED',
        ]);
        if (res.status === 201) orders.push({ ...res.body, method: res.body.paymentMethod });
      },
    ],
    [
      6,
      async () => {
        const agent = r.pick(world.agents);
        const wallet = (await call('wallet', '/api/agents/me/wallet', { token: agent?.token })).body;
        if (!wallet || wallet.availableFen < 100) return;
        const amount = r.between(100, wallet.availableFen);
        const res = await call('withdraw', '/api/withdrawals', post({ amountFen: amount }, agent?.token), [
          201,
          '409 INSUFFICIENT_BALANCE',
          '409 DEBT_OUTSTANDING',
        ]);
        if (res.status === 201) withdrawals.push(res.body);
      },
    ],
    [
      3,
      async () => {
        const w = withdrawals.shift();
        if (!w) return;
        const pay = r.next() < 0.7;
        const body = pay ? { reference: `BANK-${r.between(1e6, 9e6)}` } : { reason: '账户信息有误' };
        await call('decide', `/api/withdrawals/${w.id}/${pay ? 'approve' : 'reject'}`, post(body, adminToken), [
          200,
          '409 INVALID_STATE',
        ]);
      },
    ],
    [
      8,
      async () => {
        const roll = r.next();
        const agent = r.pick(world.agents);
        if (roll < 0.3 && agent?.certNumber)
          await call('lookup', `/api/certificates/lookup?number=${agent.certNumber}`);
        else if (roll < 0.5) await call('shop page', `/s/${agent?.code}`);
        else if (roll < 0.6) await call('products', '/api/products');
        else {
          const c = r.pick(codes);
          if (!c) return;
          const res = await call('verify', '/api/codes/verify', post({ code: c.code }));
          if (res.status === 200) c.verifications++;
        }
      },
    ],
  ];
  const total = actions.reduce((s, [w]) => s + w, 0);
  const pickAction = () => {
    let x = r.next() * total;
    for (const [w, act] of actions) {
      x -= w;
      if (x < 0) return act;
    }
    return actions[0]?.[1] ?? (async () => {});
  };

  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let lastLog = started;
  const client = async () => {
    while (performance.now() < deadline && requests < MAX_REQUESTS && !signal?.aborted) {
      await pickAction()();
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`  ${requests} requests, ${placed} orders, ${Object.values(errors).reduce((a, b) => a + b, 0)} errors`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (performance.now() - started) / 1000;
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
  log(`load: ${requests} requests in ${seconds.toFixed(1)} s, ${placed} orders, ${booked} payments`);
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
      'soak.requests': requests,
      'soak.rps': Number((requests / seconds).toFixed(1)),
      'soak.errors': errorCount,
      'soak.orders': placed,
      'soak.payments': booked,
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
  const world = await prepare(log, signal);
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
