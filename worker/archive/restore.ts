import { and, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { archiveTables } from '../../db/archiveTables';
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

// json_each reads many rows from one bound parameter (D1 binds at most 100 per statement).
function insertRows(db: Db, table: (typeof archiveTables)[number]['table'], rows: Row[]) {
  const columns = Object.entries(getTableColumns(table) as Record<string, SQLiteColumn>);
  const values = sql.join(
    columns.map(([prop]) => sql.raw(`value->>'$."${prop}"'`)),
    sql`, `,
  );
  return db.insert(table).select(sql`SELECT ${values} FROM json_each(${JSON.stringify(rows)})`);
}

const restorable = archiveTables.map((t, i) => ({ t, i })).filter(({ t }) => !t.copyOf);

async function restoreStep(db: Db, bucket: R2Bucket, job: Job, now: number): Promise<void> {
  const at = restorable.findIndex(({ i }) => i >= job.tableIdx);
  const entry = restorable[at];
  if (!entry) {
    await advance(db, job, { phase: 'restored', tableIdx: 0, cursor: null, holdUntil: now + RESTORE_HOLD_MS }, now);
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
  for (let k = 0; k < rows.length; k += 100) items.push(insertRows(db, t.table, rows.slice(k, k + 100)));
  if (t.balance) {
    const sums = new Map<string, number>();
    for (const r of rows) {
      const acct = String(r[t.balance.account]);
      sums.set(acct, (sums.get(acct) ?? 0) + Number(r[t.balance.amountFen]));
    }
    const json = JSON.stringify([...sums].map(([a, s]) => ({ a, s })));
    items.push(
      db
        .update(closingBalances)
        .set({
          balanceFen: sql`${closingBalances.balanceFen} - coalesce((SELECT value->>'$.s' FROM json_each(${json})
            WHERE value->>'$.a' = ${closingBalances.account}), 0)`,
        })
        .where(sql`${closingBalances.account} IN (SELECT value->>'$.a' FROM json_each(${json}))`),
    );
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
