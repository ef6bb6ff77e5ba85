// The test server's own process (test/browser/server.mjs starts it): the Worker's bundle and the site copy under
// Miniflare directly, listening on 127.0.0.1. Not `wrangler dev`: its proxy Worker (a second workerd) and its node
// process (request log, inspector) cost about twice the Worker's own CPU per request, CPU the tests share with
// Chromium on a 2-core machine. Bindings, assets and compatibility come from the test copy of wrangler.toml
// through wrangler's own translation (the one the vitest pool uses). Prints "ready <url>" when it answers.
//
// Arguments (JSON in AGENTRY_SERVE): { config, persistTo, port, bundle, vars, migrations?, seed? }: migrations (the
// db/migrations files, in order) and a seed SQL file are applied through the D1 binding before "ready", as
// `wrangler d1 migrations apply` and `wrangler d1 execute --file` would, without starting wrangler twice more.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from 'wrangler';

/** @type {{ config: string, persistTo: string, port: number, bundle: string, vars: Record<string, string>,
 *   migrations?: string[], seed?: string }} */
const options = JSON.parse(process.env.AGENTRY_SERVE ?? '{}');
const { workerOptions } = unstable_getMiniflareWorkerOptions(options.config);
const state = (/** @type {string} */ kind) => `${options.persistTo}/v3/${kind}`;

const mf = new Miniflare({
  host: '127.0.0.1',
  port: options.port,
  // Where `wrangler d1 … --persist-to` (the seed) keeps the same database.
  d1Persist: state('d1'),
  r2Persist: state('r2'),
  kvPersist: state('kv'),
  cachePersist: state('cache'),
  log: new Log(LogLevel.WARN),
  workers: [
    {
      ...workerOptions,
      modulesRoot: options.bundle,
      modules: true,
      scriptPath: `${options.bundle}/index.js`,
      bindings: { ...workerOptions.bindings, ...options.vars },
    },
  ],
});

const url = await mf.ready;
if (options.migrations || options.seed) {
  const db = await mf.getD1Database('DB');
  /** @param {string} file */
  const run = (file) =>
    db.batch(unstable_splitSqlQuery(readFileSync(file, 'utf8')).map((statement) => db.prepare(statement)));
  // wrangler's own bookkeeping of applied migrations, so its commands see this database as migrated.
  await db
    .prepare(
      'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
    )
    .run();
  for (const file of options.migrations ?? []) {
    await run(file);
    await db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(path.basename(file)).run();
  }
  if (options.seed) await run(options.seed);
}
console.log(`ready ${url.href}`);
const stop = () => {
  mf.dispose().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
