import { and, desc, eq, getTableColumns, getTableName, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { type ArchiveTable, archiveTables } from '../../db/archiveTables';
import { changedGuard } from '../../db/guard';
import { archiveMonths, closingBalances } from '../../db/schema';
import type { Db } from '../env';
import { AppError } from '../errors';
import { advance, RESTORE_HOLD_MS } from './job';
import { memberRows, type Row, readManifest } from './store';

// Puts an archived month back into D1: the newest archived month only (balances are kept as closing balances at the
// end of the newest month, so months come back newest first). Each step inserts one member of one table (at most
// 1,000 rows) in one batch with the job's guarded state update, and a ledger member takes its sums back out of
// closing_balances in the same batch: stopped anywhere, the next call goes on from there.

type Job = typeof archiveMonths.$inferSelect;

// json_each reads many rows from one bound parameter (D1 binds at most 100 per statement). A row D1 still holds (a
// restart of an archive whose month changed in D1 keeps D1's newer row) is left as it is.
function insertRows(db: Db, table: ArchiveTable['table'], rows: Row[]) {
  const columns = Object.entries(getTableColumns(table) as Record<string, SQLiteColumn>);
  const values = sql.join(
    columns.map(([prop]) => sql.raw(`value->>'$."${prop}"'`)),
    sql`, `,
  );
  return db
    .insert(table)
    .select(sql`SELECT ${values} FROM json_each(${JSON.stringify(rows)}) WHERE true`)
    .onConflictDoNothing();
}

// A ledger's rows take their sums back out of closing_balances, those D1 does not hold only (run before the insert).
function unclose(db: Db, t: ArchiveTable, rows: Row[]) {
  const balance = t.balance as NonNullable<ArchiveTable['balance']>;
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const columns = getTableColumns(t.table) as Record<string, SQLiteColumn>;
  const held = t.key.map((k) => `x.${q(columns[k]?.name ?? k)} = value->>'$."${k}"'`).join(' AND ');
  const missing = sql.raw(`NOT EXISTS (SELECT 1 FROM ${q(getTableName(t.table))} AS x WHERE ${held})`);
  const json = JSON.stringify(rows);
  const acct = sql.raw(`value->>'$."${balance.account}"'`);
  const amount = sql.raw(`value->>'$."${balance.amountFen}"'`);
  return db
    .update(closingBalances)
    .set({
      balanceFen: sql`${closingBalances.balanceFen} - coalesce((SELECT sum(${amount}) FROM json_each(${json})
        WHERE ${acct} = ${closingBalances.account} AND ${missing}), 0)`,
    })
    .where(sql`${closingBalances.account} IN (SELECT ${acct} FROM json_each(${json}))`);
}

const restorable = archiveTables.map((t, i) => ({ t, i })).filter(({ t }) => !t.copyOf);

/** A restore the archiver started itself because D1 changed under it: it archives the month again right after. */
export const isRestart = (job: Pick<Job, 'meta'>) => typeof (job.meta as { restart?: unknown }).restart === 'string';

export async function restoreStep(db: Db, bucket: R2Bucket, job: Job, now: number): Promise<void> {
  const at = restorable.findIndex(({ i }) => i >= job.tableIdx);
  const entry = restorable[at];
  if (!entry) {
    const holdUntil = isRestart(job) ? now : now + RESTORE_HOLD_MS;
    await advance(db, job, { phase: 'restored', tableIdx: 0, cursor: null, holdUntil }, now);
    return;
  }
  const { t, i } = entry;
  const file = (await readManifest(bucket, job.month)).tables[t.name];
  const memberIdx = Number((job.cursor as number[] | null)?.[0] ?? 0);
  const member = file?.members[memberIdx];
  if (!member) {
    await advance(db, job, { tableIdx: i + 1, cursor: null }, now);
    return;
  }
  const rows = await memberRows(bucket, job.month, t.name, member);
  const items: BatchItem<'sqlite'>[] = [];
  for (let k = 0; k < rows.length; k += 100) {
    const slice = rows.slice(k, k + 100);
    if (t.balance) items.push(unclose(db, t, slice));
    items.push(insertRows(db, t.table, slice));
  }
  await db.batch([advance(db, job, { cursor: [memberIdx + 1] }, now), changedGuard(db), ...items]);
}

export interface RestoreProgress {
  month: string;
  phase: Job['phase'];
  done: boolean;
}

// Starts (or goes on with) the restore of `month`, for at most `steps` members.
export async function restoreMonth(
  db: Db,
  bucket: R2Bucket,
  month: string,
  steps: number,
  now: number,
): Promise<RestoreProgress> {
  const [job] = await db.select().from(archiveMonths).where(eq(archiveMonths.month, month)).limit(1);
  if (!job || !['done', 'restoring', 'restored'].includes(job.phase)) {
    throw new AppError('NOT_FOUND', { params: { what: 'archiveMonth' } });
  }
  if (job.phase === 'done') {
    const [[later], [busy]] = await db.batch([
      db
        .select({ month: archiveMonths.month })
        .from(archiveMonths)
        .where(eq(archiveMonths.phase, 'done'))
        .orderBy(desc(archiveMonths.month))
        .limit(1),
      db
        .select({ month: archiveMonths.month })
        .from(archiveMonths)
        .where(inArray(archiveMonths.phase, ['export', 'compose', 'verify', 'delete', 'restoring']))
        .limit(1),
    ]);
    if (busy) throw new AppError('INVALID_STATE', { params: { state: `archive ${busy.month}` } });
    if (later && later.month !== month) throw new AppError('ARCHIVE_RESTORE_ORDER', { params: { month: later.month } });
    await advance(db, job, { phase: 'restoring', tableIdx: 0, cursor: null }, now);
  }
  for (let n = 0; n < steps; n++) {
    const [current] = await db
      .select()
      .from(archiveMonths)
      .where(and(eq(archiveMonths.month, month), eq(archiveMonths.phase, 'restoring')))
      .limit(1);
    if (!current) break;
    await restoreStep(db, bucket, current, now);
  }
  const [state] = await db.select().from(archiveMonths).where(eq(archiveMonths.month, month)).limit(1);
  const phase = state?.phase ?? 'restored';
  return { month, phase, done: phase === 'restored' };
}
