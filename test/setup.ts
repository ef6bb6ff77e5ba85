import { applyD1Migrations, env } from 'cloudflare:test';
import { forgetSessions } from './helpers';

// Test files share one Miniflare per vitest worker (isolate: false), so each file starts from an empty database: every
// table is dropped and the schema made again, and the helpers forget sessions made in the old one.
// The first file of a worker applies the migrations and keeps what they made (sqlite_master and the rows they wrote);
// the next files recreate that in one batch instead of replaying every migration's table rebuilds.

type SchemaEntry = { type: string; name: string; sql: string };
type Snapshot = { schema: SchemaEntry[]; rows: { table: string; columns: string[]; values: unknown[][] }[] };
const kept = globalThis as { __agentrySchemaSnapshot?: Snapshot };

const SCHEMA_SQL =
  "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY rowid";
/** Tables before views before indexes before triggers: each needs only what comes before it. */
const ORDER = ['table', 'view', 'index', 'trigger'];

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

const snapshot = kept.__agentrySchemaSnapshot;
if (snapshot) {
  const schema = [...snapshot.schema].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
  await env.DB.batch([
    ...schema.map((entry) => env.DB.prepare(entry.sql)),
    ...snapshot.rows.flatMap(({ table, columns, values }) =>
      values.map((row) =>
        env.DB.prepare(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        ).bind(...row),
      ),
    ),
  ]);
  // The copy must be the schema the migrations make, entry for entry.
  const made = await env.DB.prepare(SCHEMA_SQL).all<SchemaEntry>();
  const key = (e: SchemaEntry) => `${e.type} ${e.name} ${e.sql}`;
  if (made.results.map(key).sort().join('\n') !== snapshot.schema.map(key).sort().join('\n')) {
    throw new Error('test/setup.ts: the recreated schema differs from the migrations’ one');
  }
} else {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  const schema = (await env.DB.prepare(SCHEMA_SQL).all<SchemaEntry>()).results;
  const rows: Snapshot['rows'] = [];
  for (const entry of schema) {
    if (entry.type !== 'table') continue;
    const result = await env.DB.prepare(`SELECT * FROM "${entry.name}"`).raw({ columnNames: true });
    const [columns, ...values] = result as [string[], ...unknown[][]];
    if (values.length > 0) rows.push({ table: entry.name, columns, values });
  }
  kept.__agentrySchemaSnapshot = { schema, rows };
}
