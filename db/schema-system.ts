import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Rows the request and batch machinery keeps: rate limits, idempotent answers, the audit log, the batch guard.

export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_window').on(t.windowStart)],
);

// A repeated request with the same Idempotency-Key gets the first answer back.
export const idempotency = sqliteTable('idempotency', {
  key: text('key').primaryKey(),
  requestHash: text('request_hash').notNull(),
  status: integer('status').notNull(),
  body: text('body').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    actorRole: text('actor_role', { enum: ['admin', 'agent', 'member', 'public', 'system'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    at: integer('at').notNull(),
  },
  (t) => [index('audit_log_target').on(t.targetId, t.id)],
);

// One row that a batch rewrites with `changes()` of its previous statement: the CHECK aborts the whole batch
// when a conditional UPDATE touched nothing (D1 has no BEGIN/COMMIT; the batch is the transaction).
export const guards = sqliteTable('guards', { id: integer('id').primaryKey(), ok: integer('ok').notNull() }, (t) => [
  check('guards_ok', sql`${t.ok} > 0`),
]);
