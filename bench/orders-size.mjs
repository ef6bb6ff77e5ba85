// The storage figures of the orders-1m data at any size, without the local D1 server: the same migrations, network,
// catalog and order history (db/seed/*.mjs, as bench/lib/orders-state.mjs builds them) applied with the sqlite3
// command-line shell to a plain SQLite file (the engine local D1 runs), then bytes and ledger rows per order.
//   node bench/orders-size.mjs [orders] [agents]      (default 100,000 orders, 10,000 agents; needs /usr/bin/sqlite3)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { generateNetwork } from '../db/seed/network.mjs';
import { generateCatalog, orderStatements } from '../db/seed/orders.mjs';
import { tableStatements } from '../db/seed/sql.mjs';
import { ROOT } from '../scripts/lib/wrangler.mjs';

const orderCount = Number(process.argv[2] ?? 100_000);
const agentCount = Number(process.argv[3] ?? 10_000);
const dir = path.join(ROOT, 'bench/.state/orders-size');
const file = path.join(dir, `orders-${orderCount}.sqlite`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

/** @param {string} sql @returns {string} */
const run = (sql) => execFileSync('sqlite3', [file], { input: sql, maxBuffer: 1 << 30 }).toString();

const migrations = path.join(ROOT, 'db/migrations');
for (const name of readdirSync(migrations)
  .filter((f) => f.endsWith('.sql'))
  .sort()) {
  run(readFileSync(path.join(migrations, name), 'utf8').replaceAll('--> statement-breakpoint', ''));
}
const now = Date.now();
const { tables } = generateNetwork({
  agentCount,
  seed: 'agentry-bench',
  now,
  hashes: { admin: 'x', agent: 'x', member: 'x', application: 'x' },
});
const { products: _p, product_prices: _pp, stock: _s, ...network } = /** @type {Record<string, any[]>} */ (tables);
network.brand = (network.brand ?? []).map((b) => ({ ...b, stock_model: 'direct' }));
const catalog = generateCatalog({ seed: 'agentry-bench', now, levels: tables.levels, stockQty: 100_000_000 });
run(`BEGIN;\n${[...tableStatements({ ...network, ...catalog })].join(';\n')};\nCOMMIT;`);

// As orders-state.mjs: the order tables' secondary indexes are dropped during the load and built after it.
const indexes = run(
  "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('orders', 'order_lines', 'order_shares', 'ledger_entries', 'balances')",
);
const names = run(
  "SELECT 'DROP INDEX \"' || name || '\";' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('orders', 'order_lines', 'order_shares', 'ledger_entries', 'balances')",
);
run(names);
const started = Date.now();
for (const s of orderStatements({ orderCount, seed: 'agentry-bench', now, productCount: catalog.products.length })) {
  run(`${s.sql};`);
}
run(indexes);
const count = (/** @type {string} */ t) => Number(run(`SELECT count(*) FROM ${t};`).trim());
const bytes = statSync(file).size;
const ledger = count('ledger_entries');
const balanced = run('SELECT coalesce(sum(balance_fen), 0) FROM balances;').trim();
console.log(
  JSON.stringify({
    orders: count('orders'),
    agents: count('agents'),
    order_lines: count('order_lines'),
    order_shares: count('order_shares'),
    ledger_entries: ledger,
    balances_sum: Number(balanced),
    seconds: Math.round((Date.now() - started) / 1000),
    bytes,
    bytes_per_order: Math.round(bytes / orderCount),
    ledger_rows_per_order: Math.round((ledger / orderCount) * 100) / 100,
  }),
);
