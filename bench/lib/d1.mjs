// The local D1 database of a persist directory (the storage `wrangler dev --persist-to DIR` uses), opened through
// wrangler's getPlatformProxy (scripts/lib/localD1.mjs), for loading generated rows and running SQL while no server runs on it.
import { tableStatements } from '../../db/seed/sql.mjs';
import { withLocalD1 } from '../../scripts/lib/localD1.mjs';

export { withLocalD1 };

/**
 * @typedef {{ results?: Record<string, unknown>[], meta?: { duration?: number } }} D1Result
 * @typedef {{ bind(...values: unknown[]): D1Statement, first(): Promise<Record<string, unknown> | null>,
 *   all(): Promise<D1Result>, run(): Promise<D1Result> }} D1Statement
 * @typedef {{ prepare(sql: string): D1Statement, batch(statements: D1Statement[]): Promise<D1Result[]> }} D1Like
 * @typedef {(line: string) => void} Log
 */

/**
 * Loads rows with multi-row INSERTs, `perBatch` statements per D1 batch (each batch is one transaction).
 * @param {D1Like} db @param {Record<string, readonly Record<string, unknown>[]>} tables
 * @param {{ perBatch?: number, signal?: AbortSignal }} [options] @returns {Promise<number>} statements run
 */
export async function loadRows(db, tables, options = {}) {
  const { perBatch = 50, signal } = options;
  /** @type {string[]} */
  let batch = [];
  let statements = 0;
  const flush = async () => {
    signal?.throwIfAborted();
    if (batch.length > 0) await db.batch(batch.map((s) => db.prepare(s)));
    statements += batch.length;
    batch = [];
  };
  for (const sql of tableStatements(tables)) {
    batch.push(sql);
    if (batch.length >= perBatch) await flush();
  }
  await flush();
  return statements;
}

/**
 * The secondary indexes of `tables` (not the primary keys' automatic ones), with the SQL that creates them.
 * @param {D1Like} db @param {readonly string[]} tables @returns {Promise<{ name: string, sql: string }[]>}
 */
export async function secondaryIndexes(db, tables) {
  const list = tables.map((t) => `'${t.replaceAll("'", "''")}'`).join(', ');
  const { results = [] } = await db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${list})`)
    .all();
  return results.map((r) => ({ name: String(r.name), sql: String(r.sql) }));
}

/**
 * Runs statements one by one (each its own transaction). When `log` is given, logs one line per group of statements
 * with the time of each step in it.
 * @param {D1Like} db @param {readonly { group?: string, step: string, sql: string }[]} statements
 * @param {{ log?: Log, signal?: AbortSignal }} [options]
 */
export async function runStatements(db, statements, options = {}) {
  const { log, signal } = options;
  /** @type {string | undefined} */
  let group;
  /** @type {Map<string, number>} */
  let steps = new Map();
  const report = () => {
    if (log && group !== undefined) {
      const total = [...steps.values()].reduce((a, b) => a + b, 0);
      const parts = [...steps].map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)}`).join(', ');
      log(`  ${group}: ${(total / 1000).toFixed(1)} s (${parts})`);
    }
  };
  for (const statement of statements) {
    signal?.throwIfAborted();
    if (statement.group !== group) {
      report();
      group = statement.group;
      steps = new Map();
    }
    const started = Date.now();
    try {
      await db.prepare(statement.sql).run();
    } catch (err) {
      throw new Error(
        `${statement.step}: ${err instanceof Error ? err.message : err}\n${statement.sql.slice(0, 400)}`,
        {
          cause: err,
        },
      );
    }
    steps.set(statement.step, (steps.get(statement.step) ?? 0) + Date.now() - started);
  }
  report();
}
