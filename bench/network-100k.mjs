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
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../scripts/lib/wrangler.mjs';
import { measure } from './lib/http.mjs';
import { PASSWORD, prepareState } from './lib/network-state.mjs';
import { withServer } from './lib/server.mjs';

export const timeoutMs = 9 * 60_000;

/**
 * @typedef {import('./lib/network-state.mjs').Network} Network
 * @typedef {import('./lib/network-state.mjs').StateMeta} StateMeta
 * @typedef {import('./lib/http.mjs').Measured} Measured
 * @typedef {(line: string) => void} Log
 */

/** @type {Network[]} */
const NETWORKS = [
  { name: 'small', dir: 'bench/.state/small', agentCount: 30, seed: 'agentry-demo', port: 8791, suffix: '_small' },
  { name: 'network', dir: 'bench/.state/network', agentCount: 100_000, seed: 'agentry-bench', port: 8790, suffix: '' },
];

let uniqueCounter = 0;
/** A phone and WeChat ID no generated agent has: the generator never uses prefix 170. */
function freshContact() {
  uniqueCounter++;
  const n = (Date.now() * 10 + uniqueCounter) % 100_000_000;
  return { phone: `170${String(n).padStart(8, '0')}`, wechat: `bench_${Date.now().toString(36)}_${uniqueCounter}` };
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
    const server = { name: net.name, dir: net.dir, port: net.port, args: ['--var', 'DB_METRICS:1'] };
    Object.assign(figures, await withServer(server, log, signal, () => measureNetwork(net, state, log)));
  }
  return figures;
}
