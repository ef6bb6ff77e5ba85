// The local D1 database of an orders benchmark network (bench/orders-1m.mjs): the network of db/seed/network.mjs,
// the catalog and order history of db/seed/orders.mjs, kept under its persist directory between runs (reset to the
// generated data first) and rebuilt when db/migrations or the generators change, with the sellers the requests use.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateNetwork, timePart } from '../../db/seed/network.mjs';
import { generateCatalog, orderStatements } from '../../db/seed/orders.mjs';
import { hashPassword } from '../../scripts/lib/password.mjs';
import { applyMigrations, ROOT } from '../../scripts/lib/wrangler.mjs';
import { loadRows, runStatements, secondaryIndexes, withLocalD1 } from './d1.mjs';

const STATE_VERSION = 2;
const PASSWORD = 'demo1234';
/** Units of each product in the warehouse: no load of this benchmark can run out. */
const STOCK_QTY = 100_000_000;
/** The tables the order history fills: their secondary indexes are dropped during the load and built after it. */
const ORDER_TABLES = ['orders', 'order_lines', 'order_shares', 'ledger_entries', 'balances'];

/**
 * @typedef {{ name: string, dir: string, agentCount: number, orderCount: number, seed: string, port: number,
 *   suffix: string, load: boolean }} Network
 * @typedef {{ id: string, code: string, level: number, above: number }} Seller
 *   above: active agents above it; a consumer order through it writes above + 2 settlement rows per line
 * @typedef {{ deep: Seller & { orders: number }, sellers: Seller[], products: string[] }} Picks
 * @typedef {{ fingerprint: string, agentCount: number, orderCount: number, now: number, maxLedgerId: number,
 *   rows: Record<string, number>, seedSeconds: number, picks: Picks }} StateMeta
 * @typedef {import('./d1.mjs').D1Like} D1Like
 * @typedef {(line: string) => void} Log
 */

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
export async function prepareState(net, log, signal) {
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

  const bytes = databaseBytes(dir);
  /** @type {StateMeta} */
  const fresh = {
    fingerprint: print,
    agentCount: net.agentCount,
    orderCount: net.orderCount,
    now,
    maxLedgerId: built.maxLedgerId,
    rows: { ...built.rows, database_megabytes: Math.round(bytes / 1_000_000), database_bytes: bytes },
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
    // What the runs' paid orders added to the held counters.
    db
      .prepare(
        `UPDATE held_shares SET held_fen = held_fen - (SELECT coalesce(sum(s.amount_fen - s.refunded_qty *
           (s.sell_unit_fen - s.buy_unit_fen)), 0) FROM order_shares s
           WHERE s.order_id >= ?1 AND s.status = 'pending' AND s.party_id = held_shares.agent_id)
         WHERE agent_id IN (SELECT party_id FROM order_shares WHERE order_id >= ?1 AND status = 'pending')`,
      )
      .bind(after),
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
