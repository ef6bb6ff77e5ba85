import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// The daily reconciliation of WeChat Pay's bills with the ledger's gateway postings. `day` is a Beijing-time
// date (YYYY-MM-DD), the day WeChat Pay's bills are cut by.

export const reconRuns = sqliteTable(
  'recon_runs',
  {
    day: text('day').primaryKey(),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
    payments: integer('payments').notNull().default(0),
    refunds: integer('refunds').notNull().default(0),
    differences: integer('differences').notNull().default(0),
    error: text('error'),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [check('recon_runs_status', sql`${t.status} IN ('running', 'done', 'failed')`)],
);

// One row per (day, payment or refund, order) that differs; it stays listed until the brand resolves it with a note.
export const reconDifferences = sqliteTable(
  'recon_differences',
  {
    id: text('id').primaryKey(),
    day: text('day').notNull(),
    kind: text('kind', { enum: ['payment', 'refund'] }).notNull(),
    orderId: text('order_id').notNull(),
    issue: text('issue', { enum: ['missing_in_ledger', 'missing_in_bill', 'amount_mismatch'] }).notNull(),
    ledgerFen: integer('ledger_fen').notNull(),
    billFen: integer('bill_fen').notNull(),
    status: text('status', { enum: ['open', 'resolved'] })
      .notNull()
      .default('open'),
    note: text('note'),
    resolvedBy: text('resolved_by'),
    resolvedAt: integer('resolved_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('recon_differences_key').on(t.day, t.kind, t.orderId),
    index('recon_differences_status_id').on(t.status, t.id),
    check('recon_differences_kind', sql`${t.kind} IN ('payment', 'refund')`),
    check('recon_differences_issue', sql`${t.issue} IN ('missing_in_ledger', 'missing_in_bill', 'amount_mismatch')`),
    check('recon_differences_status', sql`${t.status} IN ('open', 'resolved')`),
    check('recon_differences_resolved', sql`${t.status} = 'open' OR ${t.note} IS NOT NULL`),
  ],
);
