// The local D1 database of a persist directory (the storage `wrangler dev --persist-to DIR` uses, DIR/v3/d1) opened
// in this process through wrangler's getPlatformProxy: one workerd for the whole command instead of a `wrangler d1 …`
// process per step (each starts wrangler's CLI and its own workerd: about 8 s of CPU against about 1 s).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MIGRATIONS_DIR = path.join(ROOT, 'db', 'migrations');
/** wrangler's own bookkeeping of applied migrations (its default table), so its commands agree with ours. */
const MIGRATIONS_TABLE =
  'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)';

/**
 * @typedef {{ results?: Record<string, unknown>[], meta?: { duration?: number } }} D1Result
 * @typedef {{ bind(...values: unknown[]): D1Statement, first(): Promise<Record<string, unknown> | null>,
 *   all(): Promise<D1Result>, run(): Promise<D1Result> }} D1Statement
 * @typedef {{ prepare(sql: string): D1Statement, batch(statements: D1Statement[]): Promise<D1Result[]> }} D1Like
 */

/**
 * Opens the database of `persistDir` (relative to the project root or absolute; default .wrangler/state) and runs
 * `body` with it; the proxy (a workerd process) is always disposed, also when `signal` aborts.
 * @template T @param {string | undefined} persistDir @param {(db: D1Like) => Promise<T>} body
 * @param {AbortSignal} [signal] @returns {Promise<T>}
 */
export async function withLocalD1(persistDir, body, signal) {
  signal?.throwIfAborted();
  const { getPlatformProxy } = await import('wrangler');
  const proxy = await getPlatformProxy({
    configPath: path.join(ROOT, 'wrangler.toml'),
    persist: { path: path.join(path.resolve(ROOT, persistDir ?? path.join('.wrangler', 'state')), 'v3') },
  });
  let disposed = false;
  const dispose = () => {
    if (disposed) return Promise.resolve();
    disposed = true;
    return proxy.dispose();
  };
  const onAbort = () => {
    dispose().catch(() => {});
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await body(/** @type {D1Like} */ (/** @type {unknown} */ (proxy.env.DB)));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await dispose();
  }
}

/**
 * The statements of an SQL text (a migration or a seed file), split as `wrangler d1 execute --file` splits them.
 * @param {string} text @returns {Promise<string[]>}
 */
export async function splitSql(text) {
  const { unstable_splitSqlQuery } = await import('wrangler');
  return unstable_splitSqlQuery(text);
}

/**
 * Runs an SQL text in one batch (all of it or nothing) and returns each statement's rows.
 * @param {D1Like} db @param {string} text @returns {Promise<Record<string, unknown>[][]>}
 */
export async function runSql(db, text) {
  const statements = await splitSql(text);
  if (statements.length === 0) return [];
  const results = await db.batch(statements.map((s) => db.prepare(s)));
  return results.map((r) => r.results ?? []);
}

/**
 * Applies the db/migrations files not yet applied, in order, each in one batch with its d1_migrations row, as
 * `wrangler d1 migrations apply DB --local` does. @param {D1Like} db @returns {Promise<string[]>} the names applied
 */
export async function applyLocalMigrations(db) {
  await db.prepare(MIGRATIONS_TABLE).run();
  const done = new Set(
    ((await db.prepare('SELECT name FROM d1_migrations').all()).results ?? []).map((r) => String(r.name)),
  );
  const pending = readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql') && !done.has(f))
    .sort();
  for (const name of pending) {
    const statements = await splitSql(readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
    await db.batch([
      ...statements.map((s) => db.prepare(s)),
      db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(name),
    ]);
  }
  return pending;
}
