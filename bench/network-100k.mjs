// Rows read by the hot paths on a network of 100,000 agents, and on the 30-agent demo network for comparison:
// the figures must not grow with the network (DESIGN.md, Scale).
//
// Builds a local D1 database per network under bench/.state/<name> (wrangler --persist-to; kept between runs and
// rebuilt when db/migrations or the generator change), runs `wrangler dev` on it with DB_METRICS=1, and reads the
// X-D1-Rows-Read / X-D1-Round-Trips headers of real HTTP requests:
//   cert_lookup.rows_read      GET /api/certificates/lookup by number, phone and WeChat ID (the max)
//   placement.rows_read        POST /api/applications through a deep 天使's invite: level 6, and level 1 (the max)
//   team_summary.rows_read     GET /api/agents/me/team/summary as the 联创 with the biggest team
//   team_summary.round_trips
// The demo network's figures carry the suffix _small. A route that answers 404 ROUTE_NOT_FOUND is reported and
// its figure skipped (its previous value in results.json stays).
import { createHash } from 'node:crypto';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { generateNetwork } from '../db/seed/network.mjs';
import { tableStatements } from '../db/seed/sql.mjs';
import { hashPassword } from '../scripts/lib/password.mjs';
import { applyMigrations, ROOT, spawnWranglerDev, stopProcessGroup, waitForHttp } from '../scripts/lib/wrangler.mjs';
import { sessionOf } from './lib/http.mjs';

export const timeoutMs = 9 * 60_000;

const PASSWORD = 'demo1234';
const STATE_VERSION = 1;

/**
 * @typedef {{ certNumber: string, certPhone: string, certWechat: string, deepCode: string, deepChain: number,
 *   topPhone: string, topTeam: number }} Picks
 * @typedef {{ fingerprint: string, agentCount: number, teamMembersRows: number, seedSeconds: number,
 *   picks: Picks }} StateMeta
 * @typedef {{ name: string, dir: string, agentCount: number, seed: string, port: number, suffix: string }} Network
 * @typedef {(line: string) => void} Log
 */

/** @type {Network[]} */
const NETWORKS = [
  { name: 'small', dir: 'bench/.state/small', agentCount: 30, seed: 'agentry-demo', port: 8791, suffix: '_small' },
  { name: 'network', dir: 'bench/.state/network', agentCount: 100_000, seed: 'agentry-bench', port: 8790, suffix: '' },
];

/** What the generated database depends on: a change to any of it rebuilds the state. @param {Network} net */
function fingerprint(net) {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ v: STATE_VERSION, agentCount: net.agentCount, seed: net.seed }));
  const migrations = path.join(ROOT, 'db', 'migrations');
  const files = readdirSync(migrations, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? d.path, d.name))
    .sort();
  for (const file of [...files, path.join(ROOT, 'db/seed/network.mjs'), path.join(ROOT, 'db/seed/sql.mjs')]) {
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

/**
 * The state of a network: reused when its fingerprint matches, otherwise rebuilt.
 * @param {Network} net @param {Log} log @returns {Promise<StateMeta & { rebuilt: boolean }>}
 */
async function prepareState(net, log) {
  const dir = path.join(ROOT, net.dir);
  const print = fingerprint(net);
  const meta = readMeta(dir);
  const pristine = path.join(dir, 'pristine');
  if (meta && meta.fingerprint === print && existsSync(pristine)) {
    // Every run starts from the database as generated, not as the previous run left it (sessions, rate-limit
    // windows, lookup logs and applications it added).
    rmSync(path.join(dir, 'v3'), { recursive: true, force: true });
    cpSync(pristine, path.join(dir, 'v3'), { recursive: true });
    log(`${net.name}: reusing ${net.dir} (${meta.agentCount} agents, built in ${meta.seedSeconds} s)`);
    return { ...meta, rebuilt: false };
  }
  log(
    `${net.name}: building ${net.dir} with ${net.agentCount} agents${meta ? ' (migrations or generator changed)' : ''}`,
  );
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await applyMigrations({ persistTo: dir, capture: true });
  const migrated = Date.now();
  log(`${net.name}: migrations applied in ${migrated - started} ms`);

  // One hash for every account: 100,000 PBKDF2 runs would take an hour.
  const hash = hashPassword(PASSWORD);
  const { tables } = generateNetwork({
    agentCount: net.agentCount,
    seed: net.seed,
    hashes: { admin: hashPassword('admin1234'), agent: hash, member: hash, application: hash },
  });
  const generated = Date.now();
  log(
    `${net.name}: generated ${tables.agents.length} agents and ${tables.team_members.length} team rows ` +
      `in ${generated - migrated} ms`,
  );

  // Loaded through wrangler's local D1 (getPlatformProxy, the storage `wrangler dev --persist-to` uses): a single
  // `wrangler d1 execute --file` of 64 MB takes many minutes in wrangler's SQL splitter. Batches of 50 statements,
  // each one transaction.
  const { getPlatformProxy } = await import('wrangler');
  const proxy = await getPlatformProxy({
    configPath: path.join(ROOT, 'wrangler.toml'),
    persist: { path: path.join(dir, 'v3') },
  });
  try {
    const db = /** @type {D1Like} */ (proxy.env.DB);
    /** @type {string[]} */
    let batch = [];
    let statements = 0;
    for (const sql of tableStatements(tables)) {
      batch.push(sql);
      if (batch.length >= 50) {
        await db.batch(batch.map((s) => db.prepare(s)));
        statements += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await db.batch(batch.map((s) => db.prepare(s)));
    statements += batch.length;
    const counted = await db.prepare('SELECT (SELECT count(*) FROM agents) AS agents').first();
    if (Number(counted?.agents) !== net.agentCount) throw new Error(`loaded ${counted?.agents} agents`);
    log(`${net.name}: loaded ${statements} INSERT statements in ${Date.now() - generated} ms`);
  } finally {
    await proxy.dispose();
  }

  cpSync(path.join(dir, 'v3'), pristine, { recursive: true });
  const picks = pick(tables);
  /** @type {StateMeta} */
  const fresh = {
    fingerprint: print,
    agentCount: net.agentCount,
    teamMembersRows: tables.team_members.length,
    seedSeconds: Math.round((Date.now() - started) / 100) / 10,
    picks,
  };
  writeFileSync(path.join(dir, 'bench-seed.json'), `${JSON.stringify(fresh, null, 2)}\n`);
  log(`${net.name}: built in ${fresh.seedSeconds} s`);
  return { ...fresh, rebuilt: true };
}

/**
 * @typedef {{ first(): Promise<Record<string, unknown> | null> }} D1Statement
 * @typedef {{ prepare(sql: string): D1Statement, batch(statements: D1Statement[]): Promise<unknown> }} D1Like
 */

/**
 * The agents the requests use.
 * @param {import('../db/seed/network.mjs').Tables} tables @returns {Picks}
 */
function pick(tables) {
  const agents = tables.agents;
  const byId = new Map(agents.map((a) => [a.id, a]));
  const bottom = Math.max(...tables.levels.map((l) => l.rank));
  const chainOf = (/** @type {import('../db/seed/network.mjs').AgentRow} */ a) => {
    const chain = [];
    for (let s = a.supplier_id; s; s = byId.get(s)?.supplier_id ?? null) chain.push(byId.get(s));
    return chain;
  };
  // The deepest active 天使 whose whole chain is active: placement walks its full chain.
  let deep = agents[0];
  let deepChain = -1;
  for (const a of agents) {
    if (a.level !== bottom || a.status !== 'active') continue;
    const chain = chainOf(a);
    if (chain.every((c) => c?.status === 'active') && chain.length > deepChain) {
      deep = a;
      deepChain = chain.length;
    }
  }
  // The 联创 with the biggest team.
  const teamSize = new Map();
  for (const row of tables.team_counts) teamSize.set(row.owner_id, (teamSize.get(row.owner_id) ?? 0) + row.count);
  const top = agents
    .filter((a) => a.level === 1 && a.status === 'active')
    .reduce((best, a) => ((teamSize.get(a.id) ?? 0) > (teamSize.get(best?.id) ?? -1) ? a : best), undefined);
  // Any active agent in the middle of the network for the certificate lookups.
  const middle = agents.slice(Math.floor(agents.length / 2)).find((a) => a.status === 'active') ?? agents[0];
  const cert = tables.certificates.find((c) => c.agent_id === middle?.id);
  if (!deep || !top || !middle || !cert) throw new Error('the generated network lacks the agents the bench needs');
  return {
    certNumber: cert.number,
    certPhone: middle.phone,
    certWechat: middle.wechat,
    deepCode: deep.code,
    deepChain,
    topPhone: top.phone,
    topTeam: teamSize.get(top.id) ?? 0,
  };
}

// Client addresses are distinct per request and per run, so per-IP rate limits never trip.
let ipCounter = Math.floor(Math.random() * 1_000_000);
function nextIp() {
  ipCounter++;
  return `10.${Math.floor(ipCounter / 62_500) % 250}.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
}

let uniqueCounter = 0;
/** A phone and WeChat ID no generated agent has: the generator never uses prefix 170. */
function freshContact() {
  uniqueCounter++;
  const n = (Date.now() * 10 + uniqueCounter) % 100_000_000;
  return { phone: `170${String(n).padStart(8, '0')}`, wechat: `bench_${Date.now().toString(36)}_${uniqueCounter}` };
}

/**
 * @typedef {{ status: number, code: string | null, body: unknown, rowsRead: number | null,
 *   roundTrips: number | null, session: string | null }} Measured
 */

/**
 * One request with a time limit, its D1 figures read from the response headers.
 * @param {string} url @param {RequestInit} [init] @returns {Promise<Measured>}
 */
async function measure(url, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('CF-Connecting-IP', nextIp());
  if (init.body) headers.set('Content-Type', 'application/json');
  const res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  /** @type {unknown} */
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  const header = (/** @type {string} */ name) => {
    const value = res.headers.get(name);
    return value === null ? null : Number(value);
  };
  const code = /** @type {{ error?: { code?: string } }} */ (body)?.error?.code ?? null;
  return {
    status: res.status,
    code,
    body,
    rowsRead: header('X-D1-Rows-Read'),
    roundTrips: header('X-D1-Round-Trips'),
    session: sessionOf(res),
  };
}

/**
 * Runs the requests against one network's server and returns its figures.
 * @param {Network} net @param {StateMeta} state @param {Log} log @returns {Promise<Record<string, number>>}
 */
async function measureNetwork(net, state, log) {
  const base = `http://127.0.0.1:${net.port}`;
  const { picks } = state;
  /** @type {Record<string, number>} */
  const figures = {};
  const s = net.suffix;
  log(
    `${net.name}: invites through a 天使 with ${picks.deepChain} agents above it; ` +
      `team summary of a 联创 with a team of ${picks.topTeam}`,
  );

  const usable = (/** @type {string} */ what, /** @type {Measured} */ m, /** @type {number[]} */ ok) => {
    if (m.status === 404 && m.code === 'ROUTE_NOT_FOUND') {
      log(`${net.name}: ${what}: the route does not exist yet (404 ROUTE_NOT_FOUND); figure skipped`);
      return false;
    }
    if (!ok.includes(m.status)) {
      log(`${net.name}: ${what}: HTTP ${m.status} ${JSON.stringify(m.body).slice(0, 300)}; figure skipped`);
      return false;
    }
    if (m.rowsRead === null) {
      log(`${net.name}: ${what}: no X-D1-Rows-Read header (is DB_METRICS=1?); figure skipped`);
      return false;
    }
    return true;
  };
  const max = (/** @type {string} */ key, /** @type {number | null} */ value) => {
    if (value !== null) figures[key] = Math.max(figures[key] ?? 0, value);
  };

  // Certificate lookups. The first one in a fresh isolate also loads the brand's name and level names (cached for a
  // minute per isolate): reported apart as the cold figure; the steady state is what every later lookup costs.
  const cold = await measure(`${base}/api/certificates/lookup?number=${encodeURIComponent(picks.certNumber)}`);
  if (usable('cold certificate lookup', cold, [200])) max(`cert_lookup.rows_read_cold${s}`, cold.rowsRead);
  for (const [field, value] of /** @type {[string, string][]} */ ([
    ['number', picks.certNumber],
    ['phone', picks.certPhone],
    ['wechat', picks.certWechat],
  ])) {
    const m = await measure(`${base}/api/certificates/lookup?${field}=${encodeURIComponent(value)}`);
    if (usable(`certificate lookup by ${field}`, m, [200])) {
      log(`${net.name}: certificate lookup by ${field}: ${m.rowsRead} rows read, ${m.roundTrips} round trips`);
      max(`cert_lookup.rows_read${s}`, m.rowsRead);
    }
    if (m.code === 'ROUTE_NOT_FOUND') break;
  }

  // Placement: applications through the deepest 天使's invite.
  for (const level of [6, 1]) {
    const contact = freshContact();
    const m = await measure(`${base}/api/applications`, {
      method: 'POST',
      body: JSON.stringify({
        inviteCode: picks.deepCode,
        name: '压测申请人',
        phone: contact.phone,
        wechat: contact.wechat,
        region: '浙江省杭州市',
        level,
        password: PASSWORD,
      }),
    });
    if (usable(`application (level ${level}, chain of ${picks.deepChain})`, m, [200, 201])) {
      const approver = /** @type {{ approver?: { id: string | null, name: string } }} */ (m.body)?.approver;
      const to = approver
        ? `, approved by ${approver.id === null ? 'the brand' : `${approver.name} (${approver.id})`}`
        : '';
      log(`${net.name}: application level ${level}: ${m.rowsRead} rows read, ${m.roundTrips} round trips${to}`);
      max(`placement.rows_read${s}`, m.rowsRead);
    }
    if (m.code === 'ROUTE_NOT_FOUND') break;
  }

  // Team summary of the 联创 with the biggest team.
  const login = await measure(`${base}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ role: 'agent', account: picks.topPhone, password: PASSWORD }),
  });
  const token = login.session;
  if (usable('login', login, [200]) && token) {
    const m = await measure(`${base}/api/agents/me/team/summary`, { headers: { Authorization: `Bearer ${token}` } });
    if (usable('team summary', m, [200])) {
      const total = /** @type {{ total?: number }} */ (m.body)?.total;
      log(
        `${net.name}: team summary of a team of ${total ?? '?'} (expected ${picks.topTeam}): ` +
          `${m.rowsRead} rows read, ${m.roundTrips} round trips`,
      );
      figures[`team_summary.rows_read${s}`] = m.rowsRead ?? 0;
      if (m.roundTrips !== null) figures[`team_summary.round_trips${s}`] = m.roundTrips;
    }
  }
  return figures;
}

/**
 * Starts `wrangler dev` on a network's state, runs `body`, and always stops the server.
 * @template T @param {Network} net @param {Log} log @param {AbortSignal | undefined} signal
 * @param {() => Promise<T>} body @returns {Promise<T>}
 */
async function withServer(net, log, signal, body) {
  const base = `http://127.0.0.1:${net.port}`;
  const busy = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(1_000) }).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`port ${net.port} is already in use (a server left from an earlier run?)`);
  const logFile = path.join(ROOT, net.dir, 'wrangler-dev.log');
  const out = createWriteStream(logFile);
  const server = spawnWranglerDev(
    ['--ip', '127.0.0.1', '--port', String(net.port), '--persist-to', net.dir, '--var', 'DB_METRICS:1'],
    { stdio: 'pipe', detached: true },
  );
  server.stdout?.pipe(out);
  server.stderr?.pipe(out);
  const stop = () => stopProcessGroup(server, 5_000);
  // The server runs in its own process group, so Ctrl-C does not reach it: stop it on a signal, when the run's
  // deadline passes, and (last resort, synchronously) when this process exits.
  const onSignal = () => {
    stop().finally(() => process.exit(130));
  };
  const onAbort = () => {
    stop();
  };
  const onExit = () => {
    try {
      if (server.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', onExit);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const started = Date.now();
    await waitForHttp(`${base}/api/health`, { timeoutMs: 90_000, child: server }).catch((err) => {
      throw new Error(`${err.message}; see ${path.relative(ROOT, logFile)}`);
    });
    log(`${net.name}: wrangler dev answers on ${base} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return await body();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    signal?.removeEventListener('abort', onAbort);
    await stop();
    process.off('exit', onExit);
    out.end();
  }
}

/** @param {{ log: Log, signal?: AbortSignal }} context */
export default async function run({ log, signal }) {
  const distDir = path.join(ROOT, 'site', 'dist');
  if (!existsSync(distDir)) {
    // wrangler dev needs the assets directory; the API measured here does not need its content.
    mkdirSync(distDir, { recursive: true });
    log('site/dist was missing: created it empty (run npm run build:site for the real site)');
  }
  /** @type {Record<string, number>} */
  const figures = {};
  for (const net of NETWORKS) {
    const state = await prepareState(net, log);
    if (net.suffix === '') {
      figures['network.agents'] = state.agentCount;
      figures['network.team_members_rows'] = state.teamMembersRows;
      if (state.rebuilt) figures['network.seed_seconds'] = state.seedSeconds;
    } else {
      figures[`network.agents${net.suffix}`] = state.agentCount;
      figures[`network.team_members_rows${net.suffix}`] = state.teamMembersRows;
    }
    Object.assign(figures, await withServer(net, log, signal, () => measureNetwork(net, state, log)));
  }
  return figures;
}
