// The brand's order search by a consignee's phone on the orders benchmark's networks (bench/orders-1m.mjs builds and
// keeps them: 100,000 agents with 1,000,000 orders, and the 30-agent demo network with 300 orders).
//   order_search.rows_read          GET /api/orders/search?q=<phone>&limit=20 as the brand, for the phone with the
//                                   most orders (the worst case: a full first page); target ≤ 50
//   order_search.rows_read_single   the same for a phone with one order
//   order_search.orders_of_phone    how many orders the busiest phone has (the page shows at most 20)
// Rows read include the session check and each listed order's first line, product and line count.
// The demo network's figures carry the suffix _small.
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
    port: 8797,
    suffix: '_small',
    load: false,
  },
  {
    name: 'orders-1m',
    dir: 'bench/.state/orders-1m',
    agentCount: 100_000,
    orderCount: 1_000_000,
    seed: 'agentry-bench',
    port: 8798,
    suffix: '',
    load: false,
  },
];

/** The busiest phone and one with a single order, read through the phone index (no server runs meanwhile). */
async function pickPhones(/** @type {string} */ dir, /** @type {AbortSignal | undefined} */ signal) {
  return withLocalD1(
    dir,
    async (db) => {
      const busiest = await db
        .prepare(
          'SELECT ship_phone AS phone, count(*) AS n FROM orders WHERE ship_phone IS NOT NULL GROUP BY ship_phone ORDER BY n DESC LIMIT 1',
        )
        .first();
      const single = await db
        .prepare(
          'SELECT ship_phone AS phone FROM orders WHERE ship_phone IS NOT NULL GROUP BY ship_phone HAVING count(*) = 1 LIMIT 1',
        )
        .first();
      const admin = await db.prepare('SELECT username FROM admins ORDER BY created_at LIMIT 1').first();
      return {
        busiest: String(busiest?.phone),
        busiestOrders: Number(busiest?.n),
        single: single ? String(single.phone) : null,
        admin: String(admin?.username),
      };
    },
    signal,
  );
}

/** @param {{ log: (line: string) => void, signal?: AbortSignal }} context */
export default async function run({ log, signal }) {
  const distDir = path.join(ROOT, 'site', 'dist');
  if (!existsSync(distDir)) mkdirSync(distDir, { recursive: true });
  const script = await bundleWorker(path.join(ROOT, 'bench', '.state', 'order-search-worker'));
  /** @type {Record<string, number>} */
  const figures = {};
  const only = process.env.BENCH_SEARCH_ONLY;
  for (const net of NETWORKS.filter((n) => !only || n.name === only)) {
    const state = await prepareState(net, log, signal);
    const phones = await pickPhones(net.dir, signal);
    const server = {
      name: `${net.name}-search`,
      dir: net.dir,
      port: net.port,
      script,
      args: ['--var', 'DB_METRICS:1'],
    };
    const measured = await withServer(server, log, signal, async (base) => {
      const login = await measure(`${base}/api/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ role: 'admin', account: phones.admin, password: 'admin1234' }),
      });
      if (login.status !== 200 || !login.session) throw new Error(`${net.name}: admin sign-in: HTTP ${login.status}`);
      const auth = { Authorization: `Bearer ${login.session}` };
      const search = async (/** @type {string} */ phone, /** @type {number} */ expected) => {
        const res = await measure(`${base}/api/orders/search?q=${phone}&limit=20`, { headers: auth });
        const items = /** @type {{ items?: unknown[] }} */ (res.body)?.items ?? [];
        if (res.status !== 200 || items.length !== Math.min(20, expected))
          throw new Error(`${net.name}: search ${phone}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        return res;
      };
      // One warm-up so the session and the brand row are read as on any later request.
      await search(phones.busiest, phones.busiestOrders);
      const busiest = await search(phones.busiest, phones.busiestOrders);
      const single = phones.single ? await search(phones.single, 1) : null;
      log(
        `${net.name} (${state.agentCount} agents, ${state.orderCount} orders): phone with ${phones.busiestOrders} ` +
          `orders: ${busiest.rowsRead} rows read, ${busiest.roundTrips} round trips; phone with one order: ` +
          `${single?.rowsRead ?? '—'} rows read`,
      );
      return { busiest: busiest.rowsRead ?? Number.NaN, single: single?.rowsRead ?? Number.NaN };
    });
    figures[`order_search.rows_read${net.suffix}`] = measured.busiest;
    figures[`order_search.rows_read_single${net.suffix}`] = measured.single;
    figures[`order_search.orders_of_phone${net.suffix}`] = phones.busiestOrders;
  }
  return figures;
}
