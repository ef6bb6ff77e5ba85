// Team PK leaderboard and brand dashboard reads on the orders benchmark's networks (bench/orders-1m.mjs builds and
// keeps them: 100,000 agents with 1,000,000 orders, and the 30-agent demo network with 300 orders). The order history
// is generated with the triggers of migration 0012 in place, so the rollup rows are what the orders imply.
//   leaderboard.rows_read   GET /api/board/agents?limit=50 as the brand: the month's top 50 agents by sales
//                           (the generated month with the most ranked agents; target ≤ 200)
//   dashboard.rows_read     GET /api/dashboard/daily over the 90 days that end at the last generated order
//                           (the sales chart; target ≤ 500)
// Both include the rows the session check reads. The demo network's figures carry the suffix _small.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../scripts/lib/wrangler.mjs';
import { withLocalD1 } from './lib/d1.mjs';
import { measure } from './lib/http.mjs';
import { prepareState } from './lib/orders-state.mjs';
import { bundleWorker, withServer } from './lib/server.mjs';

export const timeoutMs = 30 * 60_000;

/** The networks of bench/orders-1m.mjs (same directories, so one build serves both), on ports of their own. */
const NETWORKS = [
  {
    name: 'small',
    dir: 'bench/.state/orders-small',
    agentCount: 30,
    orderCount: 300,
    seed: 'agentry-demo',
    port: 8795,
    suffix: '_small',
    load: false,
  },
  {
    name: 'orders-1m',
    dir: 'bench/.state/orders-1m',
    agentCount: 100_000,
    orderCount: 1_000_000,
    seed: 'agentry-bench',
    port: 8794,
    suffix: '',
    load: false,
  },
];

/** The busiest month of the ranking and the last day with sales. @param {string} dir @param {AbortSignal | undefined} signal */
async function pickPeriods(dir, signal) {
  return withLocalD1(
    dir,
    async (db) => {
      const month = await db
        .prepare(
          "SELECT month, count(*) AS n FROM board_agents WHERE metric = 'sales' GROUP BY month ORDER BY n DESC LIMIT 1",
        )
        .first();
      const last = await db.prepare('SELECT max(day) AS day FROM daily_stats WHERE orders > 0').first();
      const admin = await db.prepare('SELECT username FROM admins ORDER BY created_at LIMIT 1').first();
      return {
        month: String(month?.month),
        ranked: Number(month?.n),
        lastDay: String(last?.day),
        admin: String(admin?.username),
      };
    },
    signal,
  );
}

const dayBefore = (/** @type {string} */ day, /** @type {number} */ n) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** @param {{ log: (line: string) => void, signal?: AbortSignal }} context */
export default async function run({ log, signal }) {
  const distDir = path.join(ROOT, 'site', 'dist');
  if (!existsSync(distDir)) mkdirSync(distDir, { recursive: true });
  const script = await bundleWorker(path.join(ROOT, 'bench', '.state', 'board-worker'));
  /** @type {Record<string, number>} */
  const figures = {};
  const only = process.env.BENCH_BOARD_ONLY;
  for (const net of NETWORKS.filter((n) => !only || n.name === only)) {
    const state = await prepareState(net, log, signal);
    const periods = await pickPeriods(net.dir, signal);
    const server = { name: `${net.name}-board`, dir: net.dir, port: net.port, script, args: ['--var', 'DB_METRICS:1'] };
    const measured = await withServer(server, log, signal, async (base) => {
      const login = await measure(`${base}/api/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ role: 'admin', account: periods.admin, password: 'admin1234' }),
      });
      if (login.status !== 200 || !login.session) throw new Error(`${net.name}: admin sign-in: HTTP ${login.status}`);
      const auth = { Authorization: `Bearer ${login.session}` };
      const top = await measure(`${base}/api/board/agents?month=${periods.month}&metric=sales&limit=50`, {
        headers: auth,
      });
      const items = /** @type {{ items?: unknown[] }} */ (top.body)?.items ?? [];
      if (top.status !== 200 || items.length !== Math.min(50, periods.ranked))
        throw new Error(`${net.name}: leaderboard: HTTP ${top.status} ${JSON.stringify(top.body).slice(0, 300)}`);
      const from = dayBefore(periods.lastDay, 89);
      const daily = await measure(`${base}/api/dashboard/daily?from=${from}&to=${periods.lastDay}`, { headers: auth });
      const days = /** @type {{ days?: unknown[] }} */ (daily.body)?.days ?? [];
      if (daily.status !== 200 || days.length !== 90)
        throw new Error(`${net.name}: dashboard: HTTP ${daily.status} ${JSON.stringify(daily.body).slice(0, 300)}`);
      log(
        `${net.name} (${state.agentCount} agents, ${state.orderCount} orders): top 50 of ${periods.ranked} ranked ` +
          `in ${periods.month}: ${top.rowsRead} rows read, ${top.roundTrips} round trips; 90 days to ` +
          `${periods.lastDay}: ${daily.rowsRead} rows read, ${daily.roundTrips} round trips`,
      );
      return { leaderboard: top.rowsRead ?? Number.NaN, dashboard: daily.rowsRead ?? Number.NaN };
    });
    figures[`leaderboard.rows_read${net.suffix}`] = measured.leaderboard;
    figures[`dashboard.rows_read${net.suffix}`] = measured.dashboard;
  }
  return figures;
}
