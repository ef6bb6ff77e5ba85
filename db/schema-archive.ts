import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// History that left D1 for R2 (worker/archive/): one row per month the archiver has touched, which is also the job's
// resumable state, and the per-account balances at the end of the newest archived month.

export const archivePhases = ['export', 'compose', 'verify', 'delete', 'done', 'restoring', 'restored'] as const;
export type ArchivePhase = (typeof archivePhases)[number];

export const archiveMonths = sqliteTable(
  'archive_months',
  {
    // 'YYYY-MM' in China Standard Time.
    month: text('month').primaryKey(),
    phase: text('phase', { enum: archivePhases }).notNull(),
    // Where the phase stands: the table (index in db/archiveTables.ts), the last key done in it, the chunks done.
    tableIdx: integer('table_idx').notNull().default(0),
    cursor: text('cursor', { mode: 'json' }).$type<unknown[] | null>(),
    chunks: integer('chunks').notNull().default(0),
    // The ledger ids of the month: above the previous archived month's last id, up to this one.
    ledgerFromId: integer('ledger_from_id').notNull(),
    ledgerToId: integer('ledger_to_id').notNull(),
    // Per table: rows and the gzip members written so far (the manifest is made from it).
    meta: text('meta', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    // A restored month stays in D1 until then (ms); the cron archives it again afterwards.
    holdUntil: integer('hold_until'),
    startedAt: integer('started_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // Order inserts ask whether a restore runs (the board triggers of migration 0018).
    index('archive_months_phase').on(t.phase),
    check(
      'archive_months_phase',
      sql`${t.phase} IN ('export', 'compose', 'verify', 'delete', 'done', 'restoring', 'restored')`,
    ),
    check('archive_months_ledger', sql`${t.ledgerFromId} >= 0 AND ${t.ledgerToId} >= ${t.ledgerFromId}`),
  ],
);

// Closing balance per account at the end of the newest archived month: a balance computed from D1 is this plus the
// entries still in D1. Each ledger chunk the archiver deletes adds its sums here in the same batch.
export const closingBalances = sqliteTable('closing_balances', {
  account: text('account').primaryKey(),
  balanceFen: integer('balance_fen').notNull(),
});
