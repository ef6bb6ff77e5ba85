import { getTableColumns, getTableName, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { type ArchiveTable, archiveTables, keyColumns } from '../../db/archiveTables';
import { changedGuard } from '../../db/guard';
import { type archiveMonths, closingBalances } from '../../db/schema';
import type { Db } from '../env';
import { advance, column, lastDeletable, rangeOf } from './job';
import { type Manifest, memberRows, type Row, readManifest } from './store';

// The delete phase removes from D1 only rows equal, column for column, to the rows its file holds: one member of the
// table's file per step, matched by key and every value (as the restore writes them back, value->>'$."prop"'). A row
// changed or added in D1 after its chunk was exported is never deleted; once the table's members are done, any row
// left in the month's range means the archive is stale, and the month is restarted: the restore puts back what was
// deleted (keeping D1's newer rows), and the next run exports the month again. Nothing is lost either way.

type Job = typeof archiveMonths.$inferSelect;

// json_each reads many rows from one bound parameter (D1 binds at most 100 per statement); 100 rows a statement
// keeps each parameter well under D1's size limit.
const ROWS_PER_STATEMENT = 100;

/** The key tuples of `t`'s rows in D1 equal to one of `rows` in every column. */
function sameRows(t: ArchiveTable, rows: readonly Row[]): SQL {
  const name = getTableName(t.table);
  const columns = Object.entries(getTableColumns(t.table) as Record<string, SQLiteColumn>);
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const value = (prop: string) => `j.value->>'$."${prop}"'`;
  const keys = keyColumns(t).map((c) => `cur.${q(c.name)}`);
  const on = columns.filter(([prop]) => t.key.includes(prop)).map(([prop, c]) => `cur.${q(c.name)} = ${value(prop)}`);
  // Unary + keeps SQLite from looking the other columns up by their own indexes (orders_order_no IS NULL would read
  // every order without a number): the key finds each row, the rest only compares.
  const equal = columns
    .filter(([prop]) => !t.key.includes(prop))
    .map(([prop, c]) => `+cur.${q(c.name)} IS ${value(prop)}`);
  const cols = sql.join(
    keyColumns(t).map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  return sql`(${cols}) IN (SELECT ${sql.raw(keys.join(', '))} FROM json_each(${JSON.stringify(rows)}) AS j
    JOIN ${sql.raw(q(name))} AS cur ON ${sql.raw(on.join(' AND '))} WHERE ${sql.raw(equal.join(' AND ') || 'true')})`;
}

/** Delete `rows` of `t` where D1 still holds them unchanged (and sum a ledger's deleted entries into closing_balances). */
export function deleteSame(db: Db, t: ArchiveTable, rows: readonly Row[]): BatchItem<'sqlite'>[] {
  const items: BatchItem<'sqlite'>[] = [];
  for (let k = 0; k < rows.length; k += ROWS_PER_STATEMENT) {
    const same = sameRows(t, rows.slice(k, k + ROWS_PER_STATEMENT));
    if (t.balance) {
      const acct = column(t, t.balance.account);
      const amount = column(t, t.balance.amountFen);
      items.push(
        db
          .insert(closingBalances)
          .select(sql`SELECT ${acct}, sum(${amount}) FROM ${t.table} WHERE ${same} GROUP BY ${acct}`)
          .onConflictDoUpdate({
            target: closingBalances.account,
            set: { balanceFen: sql`${closingBalances.balanceFen} + excluded.balance_fen` },
          }),
      );
    }
    items.push(db.delete(t.table).where(same));
  }
  return items;
}

async function anyLeft(db: Db, job: Job, tables: readonly ArchiveTable[]): Promise<string | null> {
  for (const t of tables) {
    const [left] = await db
      .select({ one: sql<number>`1` })
      .from(t.table)
      .where(t.range(rangeOf(job)))
      .limit(1);
    if (left) return t.name;
  }
  return null;
}

/** The month's archive no longer matches D1: put back what was deleted, then archive the month again. */
function restart(db: Db, job: Job, table: string, now: number) {
  console.error(
    JSON.stringify({ level: 'warn', msg: 'archive restarted: rows changed in D1', month: job.month, table }),
  );
  return advance(db, job, { phase: 'restoring', tableIdx: 0, cursor: null, meta: { restart: table } }, now);
}

export async function deleteStep(db: Db, bucket: R2Bucket, job: Job, now: number, manifests: Map<string, Manifest>) {
  const t = archiveTables[job.tableIdx];
  if (!t) {
    // A row added to the month after its table was done (an insert in its range) also makes the archive stale.
    const late = await anyLeft(
      db,
      job,
      archiveTables.filter((x) => !x.copyOf),
    );
    if (late) return restart(db, job, late, now);
    // The manifest holds what the job's meta held: the row keeps only its state.
    return advance(db, job, { phase: 'done', tableIdx: 0, cursor: null, meta: {} }, now);
  }
  const n = Number((job.cursor as number[] | null)?.[0] ?? 0);
  const manifest = manifests.get(job.month) ?? (await readManifest(bucket, job.month));
  manifests.set(job.month, manifest);
  const member = manifest.tables[t.name]?.members[n];
  if (!member) {
    // Every exported row of the table is gone; what is left was changed or added after the export.
    const left = await anyLeft(db, job, [t]);
    if (left) return restart(db, job, left, now);
    return advance(db, job, { tableIdx: lastDeletable(job.tableIdx - 1), cursor: null }, now);
  }
  const rows = await memberRows(bucket, job.month, t.name, member);
  // The guard aborts the batch when another run moved the job first, so a chunk is never summed twice.
  return db.batch([advance(db, job, { cursor: [n + 1] }, now), changedGuard(db), ...deleteSame(db, t, rows)]);
}
