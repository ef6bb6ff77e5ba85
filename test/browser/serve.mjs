// The test server's own process (test/browser/server.mjs starts it): the Worker's bundle and the site copy under
// Miniflare directly, listening on 127.0.0.1. Not `wrangler dev`: its proxy Worker (a second workerd) and its node
// process (request log, inspector) cost about twice the Worker's own CPU per request, CPU the tests share with
// Chromium on a 2-core machine. Bindings, assets and compatibility come from the test copy of wrangler.toml
// through wrangler's own translation (the one the vitest pool uses). Prints "ready <url>" when it answers.
//
// Arguments (JSON in AGENTRY_SERVE): { config, persistTo, port, bundle, vars, migrate?, seed? }: the migrations and a
// seed SQL file are applied through the D1 binding before "ready" (scripts/lib/localD1.mjs, as `npm start` does).
import { readFileSync } from 'node:fs';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { applyLocalMigrations, runSql } from '../../scripts/lib/localD1.mjs';

/** @type {{ config: string, persistTo: string, port: number, bundle: string, vars: Record<string, string>,
 *   migrate?: boolean, seed?: string }} */
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
if (options.migrate || options.seed) {
  const db = await mf.getD1Database('DB');
  if (options.migrate) await applyLocalMigrations(db);
  if (options.seed) await runSql(db, readFileSync(options.seed, 'utf8'));
}
console.log(`ready ${url.href}`);
const stop = () => {
  mf.dispose().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
