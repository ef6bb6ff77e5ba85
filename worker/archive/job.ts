import { and, asc, eq, getTableColumns, gt, gte, inArray, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import {
  type ArchiveTable,
  archiveTables,
  keyColumns,
  type MonthRange,
  monthOf,
  monthStart,
  openInMonth,
  orderBounds,
} from '../../db/archiveTables';
import { idTime } from '../../db/ids';
import { archiveMonths, brand, ledgerEntries, orders } from '../../db/schema';
import type { Db } from '../env';
import { deleteStep } from './delete';
import { isRestart, restoreStep } from './restore';
import {
  fileKey,
  getBytes,
  gunzipRows,
  gzipRows,
  type Key,
  keyOf,
  type Manifest,
  manifestKey,
  partKey,
  partsPrefix,
  type Row,
  readManifest,
  sha256Hex,
  type TableFile,
} from './store';

// The archiver: one month at a time, oldest first, in phases recorded in its archive_months row: export (each chunk of
// at most 1,000 rows of each table becomes one gzip part in R2), compose (a table's parts become one file, its parts
// the file's members), verify (each file read back: size, SHA-256, rows per member, row count equal to D1's), delete
// (worker/archive/delete.ts: one member a step, children first, only the D1 rows still equal to it; each ledger chunk
// adds its sums to closing_balances in the same batch; rows changed since the export restart the month), done. Every step ends with a guarded update of the row, so a run stopped after any chunk is continued by the
// next one, and a step repeated after a stop rewrites the same object or finds its rows already gone.

export interface ArchiveVars {
  ARCHIVE_CHUNK_ROWS?: string;
  ARCHIVE_RUN_CHUNKS?: string;
}

export interface Budget {
  chunkRows: number;
  steps: number;
}

export function budgetOf(env: ArchiveVars): Budget {
  const chunkRows = Math.min(1000, Math.max(1, Number(env.ARCHIVE_CHUNK_ROWS) || 1000));
  return { chunkRows, steps: Math.max(1, Number(env.ARCHIVE_RUN_CHUNKS) || 200) };
}

type Job = typeof archiveMonths.$inferSelect;
type Phase = Job['phase'];
interface TableMeta {
  rows: number;
  segments: { rows: number; first: Key; last: Key }[];
  file?: TableFile;
}
type Meta = Record<string, TableMeta>;

const ACTIVE: Phase[] = ['export', 'compose', 'verify', 'delete'];
// A restored month stays in D1 this long before the cron archives it again.
export const RESTORE_HOLD_MS = 30 * 86_400_000;

export function rangeOf(job: Pick<Job, 'month' | 'ledgerFromId' | 'ledgerToId'>): MonthRange {
  return { month: job.month, ...orderBounds(job.month), ledgerFromId: job.ledgerFromId, ledgerToId: job.ledgerToId };
}

export const tupleAfter = (cols: SQLiteColumn[], key: Key): SQL =>
  sql`(${sql.join(cols, sql`, `)}) > (${sql.join(
    key.map((v) => sql`${v}`),
    sql`, `,
  )})`;

// The next step's state, written only if no other run moved the job since it was read.
export function advance(db: Db, job: Job, set: Partial<Job>, now: number) {
  return db
    .update(archiveMonths)
    .set({ ...set, chunks: job.chunks + 1, updatedAt: now })
    .where(
      and(eq(archiveMonths.month, job.month), eq(archiveMonths.phase, job.phase), eq(archiveMonths.chunks, job.chunks)),
    );
}

async function exportStep(db: Db, bucket: R2Bucket, job: Job, budget: Budget, now: number) {
  const t = archiveTables[job.tableIdx];
  if (!t) return advance(db, job, { phase: 'compose', tableIdx: 0, cursor: null }, now);
  const cols = keyColumns(t);
  const rows = (await db
    .select()
    .from(t.table)
    .where(and(t.range(rangeOf(job)), job.cursor ? tupleAfter(cols, job.cursor as Key) : undefined))
    .orderBy(...cols.map((c) => asc(c)))
    .limit(budget.chunkRows)) as Row[];
  const meta = job.meta as Meta;
  const tm: TableMeta = meta[t.name] ?? { rows: 0, segments: [] };
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && last) {
    await bucket.put(partKey(job.month, t.name, tm.segments.length), await gzipRows(rows));
    tm.segments.push({ rows: rows.length, first: keyOf(first, t.key), last: keyOf(last, t.key) });
    tm.rows += rows.length;
  }
  const finished = rows.length < budget.chunkRows || !last;
  return advance(
    db,
    job,
    {
      meta: { ...meta, [t.name]: tm },
      tableIdx: finished ? job.tableIdx + 1 : job.tableIdx,
      cursor: finished || !last ? null : keyOf(last, t.key),
    },
    now,
  );
}

async function composeStep(db: Db, bucket: R2Bucket, job: Job, now: number) {
  const meta = job.meta as Meta;
  const t = archiveTables[job.tableIdx];
  if (!t) {
    const manifest: Manifest = {
      format: 'agentry-archive/1',
      month: job.month,
      ledgerFromId: job.ledgerFromId,
      ledgerToId: job.ledgerToId,
      createdAt: now,
      tables: Object.fromEntries(archiveTables.map((x) => [x.name, meta[x.name]?.file as TableFile])),
    };
    await bucket.put(manifestKey(job.month), JSON.stringify(manifest), {
      httpMetadata: { contentType: 'application/json' },
    });
    return advance(db, job, { phase: 'verify', tableIdx: 0 }, now);
  }
  const tm: TableMeta = meta[t.name] ?? { rows: 0, segments: [] };
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let n = 0; n < tm.segments.length; n++) {
    const bytes = await getBytes(bucket, partKey(job.month, t.name, n));
    if (!bytes) throw new Error(`archive ${job.month}/${t.name} lost part ${n}`);
    parts.push(bytes);
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const file = new Uint8Array(total);
  const members = [];
  let offset = 0;
  for (const [n, p] of parts.entries()) {
    file.set(p, offset);
    const seg = tm.segments[n] as TableMeta['segments'][number];
    members.push({ offset, length: p.length, rows: seg.rows, first: seg.first, last: seg.last });
    offset += p.length;
  }
  await bucket.put(fileKey(job.month, t.name), file, { httpMetadata: { contentType: 'application/gzip' } });
  const described: TableFile = { rows: tm.rows, bytes: total, sha256: await sha256Hex(file), key: t.key, members };
  return advance(db, job, { meta: { ...meta, [t.name]: { ...tm, file: described } }, tableIdx: job.tableIdx + 1 }, now);
}

class VerifyFailed extends Error {}

async function verifyStep(db: Db, bucket: R2Bucket, job: Job, now: number) {
  const t = archiveTables[job.tableIdx];
  if (!t) {
    // Verified: the parts are no longer needed, and deletion starts with the last table (children before parents).
    const listed = await bucket.list({ prefix: partsPrefix(job.month), limit: 1000 });
    if (listed.objects.length > 0) await bucket.delete(listed.objects.map((o) => o.key));
    if (listed.truncated) return null;
    return advance(db, job, { phase: 'delete', tableIdx: lastDeletable(archiveTables.length - 1) }, now);
  }
  const file = (await readManifest(bucket, job.month)).tables[t.name];
  const bytes = await getBytes(bucket, fileKey(job.month, t.name));
  if (!file || !bytes || bytes.length !== file.bytes || (await sha256Hex(bytes)) !== file.sha256) {
    throw new VerifyFailed(`${t.name}: file differs from the manifest`);
  }
  let rows = 0;
  for (const m of file.members) {
    const got = await gunzipRows(bytes.slice(m.offset, m.offset + m.length));
    const first = got[0];
    const last = got[got.length - 1];
    if (got.length !== m.rows || !first || !last) throw new VerifyFailed(`${t.name}: member rows`);
    if (JSON.stringify(keyOf(first, t.key)) !== JSON.stringify(m.first)) throw new VerifyFailed(`${t.name}: first`);
    if (JSON.stringify(keyOf(last, t.key)) !== JSON.stringify(m.last)) throw new VerifyFailed(`${t.name}: last`);
    rows += got.length;
  }
  const [live] = await db
    .select({ n: sql<number>`count(*)` })
    .from(t.table)
    .where(t.range(rangeOf(job)));
  if (rows !== file.rows || live?.n !== file.rows)
    throw new VerifyFailed(`${t.name}: ${rows} archived, ${live?.n} in D1`);
  return advance(db, job, { tableIdx: job.tableIdx + 1 }, now);
}

// Copies in another order are never deleted on their own: their rows go with the table they copy.
export function lastDeletable(from: number): number {
  let i = from;
  while (i >= 0 && archiveTables[i]?.copyOf) i--;
  return i;
}

export function column(t: ArchiveTable, name: string): SQLiteColumn {
  const col = (getTableColumns(t.table) as Record<string, SQLiteColumn>)[name];
  if (!col) throw new Error(`${t.name} has no column ${name}`);
  return col;
}

// The month to work on: one in progress, else the oldest month still in D1 if it is old enough and closed.
async function nextJob(db: Db, now: number): Promise<Job | null> {
  const [active] = await db
    .select()
    .from(archiveMonths)
    .where(inArray(archiveMonths.phase, [...ACTIVE, 'restoring']))
    .limit(1);
  // A restore the admin asked for goes on through its own calls; a restart of the archive, with the cron's runs.
  if (active) return active.phase === 'restoring' && !isRestart(active) ? null : active;
  const [[oldestOrder], [last], [settings]] = await db.batch([
    db.select({ id: orders.id }).from(orders).orderBy(asc(orders.id)).limit(1),
    db
      .select({
        month: sql<string | null>`max(${archiveMonths.month})`,
        to: sql<number | null>`max(${archiveMonths.ledgerToId})`,
      })
      .from(archiveMonths)
      .where(eq(archiveMonths.phase, 'done')),
    db.select({ after: brand.archiveAfterMonths }).from(brand).where(eq(brand.id, 1)).limit(1),
  ]);
  const lastTo = last?.to ?? 0;
  const [oldestEntry] = await db
    .select({ at: ledgerEntries.at })
    .from(ledgerEntries)
    .where(gt(ledgerEntries.id, lastTo))
    .orderBy(asc(ledgerEntries.id))
    .limit(1);
  const orderTime = oldestOrder ? idTime(oldestOrder.id) : null;
  const months = [orderTime, oldestEntry?.at ?? null].filter((x): x is number => x !== null).map(monthOf);
  const month = months.sort()[0];
  if (!month || (last?.month && month <= last.month)) return null;
  const afterMonths = settings?.after ?? 6;
  if (monthStart(month, afterMonths + 1) > monthStart(monthOf(now))) return null;
  const [existing] = await db.select().from(archiveMonths).where(eq(archiveMonths.month, month)).limit(1);
  if (existing?.holdUntil && existing.holdUntil > now) return null;
  const range = { month, ...orderBounds(month), ledgerFromId: lastTo, ledgerToId: lastTo };
  const [open] = await db.all<Record<string, number>>(openInMonth(range));
  if (open && Object.values(open).some((n) => n > 0)) return null;
  // The month's ledger: every id before the first entry of a later month.
  const [next] = await db
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(gt(ledgerEntries.id, lastTo), gte(ledgerEntries.at, monthStart(month, 1))))
    .orderBy(asc(ledgerEntries.id))
    .limit(1);
  const [top] = await db.select({ id: sql<number | null>`max(${ledgerEntries.id})` }).from(ledgerEntries);
  const ledgerToId = Math.max(lastTo, next ? next.id - 1 : (top?.id ?? lastTo));
  const fresh = {
    phase: 'export' as const,
    tableIdx: 0,
    cursor: null,
    chunks: 0,
    ledgerFromId: lastTo,
    ledgerToId,
    meta: {},
    holdUntil: null,
    startedAt: now,
    updatedAt: now,
  };
  await db
    .insert(archiveMonths)
    .values({ month, ...fresh })
    .onConflictDoUpdate({ target: archiveMonths.month, set: fresh });
  const [job] = await db.select().from(archiveMonths).where(eq(archiveMonths.month, month)).limit(1);
  return job ?? null;
}

export interface ArchiveRun {
  steps: number;
  month: string | null;
  phase: Phase | null;
}

// One cron run: at most budget.steps steps (each at most one chunk of rows), then it stops wherever it is.
export async function runArchive(db: Db, bucket: R2Bucket, budget: Budget, now: number): Promise<ArchiveRun> {
  let steps = 0;
  let job: Job | null = null;
  const manifests = new Map<string, Manifest>();
  while (steps < budget.steps) {
    job = await nextJob(db, now);
    if (!job) break;
    steps++;
    try {
      // The delete phase reads the month's manifest at each step: once a run is enough (it changes only before).
      if (job.phase !== 'delete') manifests.clear();
      await step(db, bucket, job, budget, now, manifests);
    } catch (err) {
      if (!(err instanceof VerifyFailed)) throw err;
      // What R2 holds is not what D1 holds: nothing was deleted; the month starts over on the next run.
      console.error(
        JSON.stringify({ level: 'error', msg: 'archive verify failed', month: job.month, error: err.message }),
      );
      await db.delete(archiveMonths).where(eq(archiveMonths.month, job.month));
      break;
    }
  }
  const [state] = job ? await db.select().from(archiveMonths).where(eq(archiveMonths.month, job.month)).limit(1) : [];
  return { steps, month: state?.month ?? null, phase: state?.phase ?? null };
}

function step(db: Db, bucket: R2Bucket, job: Job, budget: Budget, now: number, manifests: Map<string, Manifest>) {
  switch (job.phase) {
    case 'export':
      return exportStep(db, bucket, job, budget, now);
    case 'compose':
      return composeStep(db, bucket, job, now);
    case 'verify':
      return verifyStep(db, bucket, job, now);
    case 'delete':
      return deleteStep(db, bucket, job, now, manifests);
    case 'restoring':
      return restoreStep(db, bucket, job, now);
    default:
      return null;
  }
}
