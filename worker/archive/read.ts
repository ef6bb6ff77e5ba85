import { asc, inArray, sql } from 'drizzle-orm';
import { archiveTable, orderBounds } from '../../db/archiveTables';
import { archiveMonths } from '../../db/schema';
import type { Db } from '../env';
import { compareKeys, type Key, type Manifest, memberRows, type Row, readManifest } from './store';

// Reading archived months back: which months are archived (a prefix of history: orders below orderHi, ledger ids up
// to ledgerToId), their manifests, and the rows of a table between two keys, fetching only the members that hold them.

export interface ArchivedMonth {
  month: string;
  orderLo: string;
  orderHi: string;
  ledgerFromId: number;
  ledgerToId: number;
  updatedAt: number;
}

// Reads see a month in R2 from when it is verified (its rows then leave D1) until a restore has put it all back.
export function archivedMonthsQuery(db: Db) {
  return db
    .select({
      month: archiveMonths.month,
      ledgerFromId: archiveMonths.ledgerFromId,
      ledgerToId: archiveMonths.ledgerToId,
      updatedAt: archiveMonths.updatedAt,
    })
    .from(archiveMonths)
    .where(inArray(archiveMonths.phase, ['delete', 'done', 'restoring']))
    .orderBy(asc(archiveMonths.month));
}

export function toArchivedMonths(rows: Awaited<ReturnType<typeof archivedMonthsQuery>>): ArchivedMonth[] {
  return rows.map((r) => ({ ...r, ...orderBounds(r.month) }));
}

export async function archivedMonths(db: Db): Promise<ArchivedMonth[]> {
  return toArchivedMonths(await archivedMonthsQuery(db));
}

/** The last ledger id in the archive, as SQL (a few rows of archive_months): live ledger reads start above it. */
export const archivedLedgerTo = sql`coalesce((SELECT max(${archiveMonths.ledgerToId}) FROM ${archiveMonths}
  WHERE ${archiveMonths.phase} IN ('delete', 'done', 'restoring')), 0)`;

/** Where live rows start: D1 reads skip what is archived, so a month half deleted is never read twice. */
export function liveFrom(months: readonly ArchivedMonth[]): { orderHi: string | null; ledgerToId: number } {
  const last = months[months.length - 1];
  return { orderHi: last?.orderHi ?? null, ledgerToId: last?.ledgerToId ?? 0 };
}

// One R2 read a month touched. Not cached across requests: a month restored and archived again is a new version.
export function manifestOf(bucket: R2Bucket, m: ArchivedMonth): Promise<Manifest> {
  return readManifest(bucket, m.month);
}

export interface RowsRead {
  rows: number;
}

/** Rows of `table` whose key k has from <= k <= to, in key order (or reversed), one member's rows at a time. */
export async function* rowsBetween(
  bucket: R2Bucket,
  manifest: Manifest,
  table: string,
  from: Key | null,
  to: Key | null,
  opts: { reverse?: boolean; read?: RowsRead } = {},
): AsyncGenerator<Row[]> {
  const file = manifest.tables[table];
  if (!file) return;
  const key = archiveTable(table).key;
  const members = file.members.filter(
    (m) => (from === null || compareKeys(m.last, from) >= 0) && (to === null || compareKeys(m.first, to) <= 0),
  );
  if (opts.reverse) members.reverse();
  for (const m of members) {
    const rows = await memberRows(bucket, manifest.month, table, m);
    if (opts.read) opts.read.rows += rows.length;
    const inside = rows.filter((r) => {
      const k = key.map((name) => r[name] as string | number | null);
      return (from === null || compareKeys(k, from) >= 0) && (to === null || compareKeys(k, to) <= 0);
    });
    if (opts.reverse) inside.reverse();
    if (inside.length > 0) yield inside;
  }
}

/** Every row of a month's table, in key order. */
export function allRows(bucket: R2Bucket, manifest: Manifest, table: string) {
  return rowsBetween(bucket, manifest, table, null, null);
}

/** IN lists of at most 90 values: D1 binds at most 100 parameters per statement. */
export async function lookup<T>(ids: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += 90) out.push(...(await read(unique.slice(i, i + 90))));
  return out;
}
