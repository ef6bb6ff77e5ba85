// Data access for the reconciliation: a day's gateway postings, the run row that keeps two runs of a day apart, and
// the differences the brand works through.
import { and, desc, eq, gte, lt, or, sql } from 'drizzle-orm';
import type { ReconDifference } from '../worker/domain/reconcile';
import type { BatchItem, Db } from '../worker/env';
import { changedGuard } from './guard';
import { newId } from './ids';
import { ledgerEntries, reconDifferences, reconRuns } from './schema';

// A run that has not finished in this long is taken to have died (a Worker is stopped long before).
const STALE_RUN_MS = 10 * 60_000;

// The partial index ledger_gateway_at names this account literally; SQLite only uses it for a query that does too.
const GATEWAY = 'external:gateway';

/** One day's postings on the gateway account, through the partial ledger_gateway_at index. */
export function gatewayPostings(db: Db, gatewayAccount: typeof GATEWAY, start: number, end: number) {
  return db
    .select({ orderId: ledgerEntries.orderId, amountFen: ledgerEntries.amountFen })
    .from(ledgerEntries)
    .where(
      and(
        sql`${ledgerEntries.account} = ${sql.raw(`'${gatewayAccount}'`)}`,
        gte(ledgerEntries.at, start),
        lt(ledgerEntries.at, end),
      ),
    );
}

/** Marks the day running, unless another run of it is under way: the guard then aborts the batch. */
export function claimRun(db: Db, day: string, now: number): BatchItem[] {
  return [
    db
      .insert(reconRuns)
      .values({ day, status: 'running', startedAt: now })
      .onConflictDoUpdate({
        target: reconRuns.day,
        set: { status: 'running', startedAt: now, finishedAt: null, error: null },
        setWhere: or(sql`${reconRuns.status} <> 'running'`, lt(reconRuns.startedAt, now - STALE_RUN_MS)),
      }),
    changedGuard(db),
  ];
}

/**
 * The run's result, in one batch: the day's open differences are replaced by those found now (one the brand resolved
 * stays resolved), and the run row is finished with its counts.
 */
export function storeRun(
  db: Db,
  day: string,
  found: readonly ReconDifference[],
  counts: { payments: number; refunds: number },
  now: number,
): BatchItem[] {
  const rows = found.map((d) => ({ id: newId('rcd', now), day, ...d, status: 'open' as const, createdAt: now }));
  // Eleven bound values a row, under D1's 100 per statement.
  const inserts: BatchItem[] = [];
  for (let i = 0; i < rows.length; i += 9) {
    inserts.push(
      db
        .insert(reconDifferences)
        .values(rows.slice(i, i + 9))
        .onConflictDoNothing(),
    );
  }
  return [
    db.delete(reconDifferences).where(and(eq(reconDifferences.day, day), eq(reconDifferences.status, 'open'))),
    ...inserts,
    db
      .update(reconRuns)
      .set({ status: 'done', ...counts, differences: found.length, finishedAt: now, error: null })
      .where(eq(reconRuns.day, day)),
  ];
}

export function failRun(db: Db, day: string, error: string, now: number) {
  return db
    .update(reconRuns)
    .set({ status: 'failed', error: error.slice(0, 500), finishedAt: now })
    .where(eq(reconRuns.day, day));
}

export function runQuery(db: Db, day: string) {
  return db.select().from(reconRuns).where(eq(reconRuns.day, day)).limit(1);
}

export function runsPage(db: Db, cursor: string | undefined, limit: number) {
  return db
    .select()
    .from(reconRuns)
    .where(cursor ? lt(reconRuns.day, cursor) : undefined)
    .orderBy(desc(reconRuns.day))
    .limit(limit + 1);
}

export function differencesPage(
  db: Db,
  filter: { status: 'open' | 'resolved'; day?: string | undefined; cursor?: string | undefined },
  limit: number,
) {
  return db
    .select()
    .from(reconDifferences)
    .where(
      and(
        eq(reconDifferences.status, filter.status),
        filter.day ? eq(reconDifferences.day, filter.day) : undefined,
        filter.cursor ? lt(reconDifferences.id, filter.cursor) : undefined,
      ),
    )
    .orderBy(desc(reconDifferences.id))
    .limit(limit + 1);
}
