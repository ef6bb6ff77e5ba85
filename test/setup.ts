import { applyD1Migrations, env } from 'cloudflare:test';
import { forgetSessions } from './helpers';

// Test files share one Miniflare per vitest worker (isolate: false), so each file starts from an empty database: every
// table is dropped and the migrations applied again, and the helpers forget sessions made in the old one.
const tables = await env.DB.prepare(
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
).all<{ name: string }>();
if (tables.results.length > 0) {
  await env.DB.batch([
    env.DB.prepare('PRAGMA defer_foreign_keys = ON'),
    ...tables.results.map((t) => env.DB.prepare(`DROP TABLE "${t.name}"`)),
  ]);
}
forgetSessions();
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
