import { env } from 'cloudflare:test';
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Violation } from '../../bench/lib/invariants.mjs';
import { archiveTables, monthOf, orderBounds } from '../../db/archiveTables';
import { idTime } from '../../db/ids';
import { allRows } from '../../worker/archive/read';
import { fileKey, gunzipRows, type Manifest, readManifest, sha256Hex } from '../../worker/archive/store';
import type { Model } from './model';

// History is D1 plus the R2 archive. The invariants read both as one: each archived table has a shadow table in the
// test's D1 (sim_arch_<table>) holding the rows of every month whose reads go to R2 (phase delete, done, restoring),
// and their queries read `FROM orders` as those rows plus D1's rows outside them. The shadow is made from the R2
// files alone, so a row lost, doubled or changed between D1 and R2 shows in the invariants.

const READ_FROM_R2 = ['delete', 'done', 'restoring'];
const tables = archiveTables.filter((t) => !t.copyOf);
const shadow = (name: string) => `sim_arch_${name}`;
// Order children are archived with their order: a D1 row is replaced by the archive when its order is archived.
const excluded: Record<string, string> = {
  orders: `id NOT IN (SELECT id FROM ${shadow('orders')})`,
  ledger_entries: `id NOT IN (SELECT id FROM ${shadow('ledger_entries')})`,
};
const KEYWORDS = new Set(
  'where group join left inner cross on order limit union having using and or window except intersect'.split(' '),
);

export interface ArchivedMonthRow {
  month: string;
  phase: string;
  chunks: number;
  ledger_from_id: number;
  ledger_to_id: number;
}

let signature = '';
let shadowMade = false;
// Until a month is read from R2 the shadow tables are empty, and the history is D1's tables as they are.
let shadowEmpty = true;
// Months whose R2 files were verified, at which state of their job.
const verified = new Map<string, string>();

function columnsOf(name: string): [string, string][] {
  const t = tables.find((x) => x.name === name);
  if (!t) throw new Error(`no archive table ${name}`);
  return Object.entries(getTableColumns(t.table) as Record<string, SQLiteColumn>).map(([prop, col]) => [
    prop,
    col.name,
  ]);
}

/** `FROM orders o` and `JOIN ledger_entries` read the whole history (D1 and the archive). */
export function wholeHistory(query: string): string {
  if (shadowEmpty) return query;
  const names = tables.map((t) => t.name).join('|');
  return query.replace(
    new RegExp(`\\b(FROM|JOIN)\\s+(${names})\\b(\\s+(?:AS\\s+)?([A-Za-z_][A-Za-z0-9_]*))?`, 'gi'),
    (_all, word: string, table: string, tail: string | undefined, alias: string | undefined) => {
      const keep = excluded[table] ?? `order_id NOT IN (SELECT id FROM ${shadow('orders')})`;
      const union = `(SELECT * FROM ${table} WHERE ${keep} UNION ALL SELECT * FROM ${shadow(table)})`;
      if (alias !== undefined && !KEYWORDS.has(alias.toLowerCase())) return `${word} ${union} ${alias}`;
      return `${word} ${union} ${table}${tail ?? ''}`;
    },
  );
}

export async function archiveMonthsNow(): Promise<ArchivedMonthRow[]> {
  return (
    await env.DB.prepare(
      'SELECT month, phase, chunks, ledger_from_id, ledger_to_id FROM archive_months ORDER BY month',
    ).all<ArchivedMonthRow>()
  ).results;
}

async function ensureShadow(): Promise<void> {
  await env.DB.batch(
    tables.map((t) =>
      env.DB.prepare(`CREATE TABLE IF NOT EXISTS ${shadow(t.name)} AS SELECT * FROM ${t.name} WHERE 0`),
    ),
  );
}

/** The shadow again from R2, when the months read from R2 changed. */
export async function syncShadow(months: readonly ArchivedMonthRow[]): Promise<void> {
  const archived = months.filter((m) => READ_FROM_R2.includes(m.phase));
  const now = archived.map((m) => `${m.month}:${m.phase}`).join(',');
  if (!shadowMade) {
    await ensureShadow();
    shadowMade = true;
  }
  if (now === signature) return;
  shadowEmpty = archived.length === 0;
  await env.DB.batch(tables.map((t) => env.DB.prepare(`DELETE FROM ${shadow(t.name)}`)));
  for (const m of archived) {
    const manifest = await readManifest(env.ARCHIVE, m.month);
    for (const t of tables) {
      const cols = columnsOf(t.name);
      const insert = `INSERT INTO ${shadow(t.name)} (${cols.map(([, c]) => `"${c}"`).join(', ')})
        SELECT ${cols.map(([p]) => `value->>'$."${p}"'`).join(', ')} FROM json_each(?)`;
      for await (const rows of allRows(env.ARCHIVE, manifest, t.name)) {
        await env.DB.prepare(insert).bind(JSON.stringify(rows)).run();
      }
    }
  }
  signature = now;
}

// A new world: its database was wiped (the shadow tables with it) and may have been dropped by another file.
export function forgetShadow(): void {
  signature = '';
  shadowEmpty = true;
  shadowMade = false;
  verified.clear();
}

/** The rows of `table` in D1 that belong to `m` (orders and their children by id time, the ledger by id range). */
function monthWhere(table: string, m: ArchivedMonthRow): { where: string; binds: (string | number)[] } {
  if (table === 'ledger_entries') return { where: 'id > ? AND id <= ?', binds: [m.ledger_from_id, m.ledger_to_id] };
  const { orderLo, orderHi } = orderBounds(m.month);
  return {
    where: `${table === 'orders' ? 'id' : 'order_id'} >= ? AND ${table === 'orders' ? 'id' : 'order_id'} < ?`,
    binds: [orderLo, orderHi],
  };
}

// The archive against D1 and its own manifest: every file's bytes and rows are what the manifest says; a finished
// month has left D1 entirely; a month half deleted or half restored has in D1 only rows equal to its archived ones;
// archived ledger ranges follow each other; every balance is its D1 entries plus its closing balance.
export async function checkArchive(
  months: readonly ArchivedMonthRow[],
  orderIds: readonly string[],
): Promise<Violation[]> {
  const v: Violation[] = [];
  const add = (name: string, detail: string) => v.push({ name, detail });
  const archived = months.filter((m) => READ_FROM_R2.includes(m.phase));
  const inD1Checks: { what: string; done: boolean; count: D1PreparedStatement; differing: D1PreparedStatement }[] = [];
  let ledgerTo: number | null = null;
  for (const m of archived) {
    const manifest: Manifest = await readManifest(env.ARCHIVE, m.month);
    if (manifest.ledgerFromId !== m.ledger_from_id || manifest.ledgerToId !== m.ledger_to_id)
      add('archive-manifest', `${m.month}: manifest ledger ${manifest.ledgerFromId}..${manifest.ledgerToId}`);
    if (ledgerTo !== null && m.ledger_from_id !== ledgerTo)
      add(
        'archive-ledger-contiguous',
        `${m.month} starts after ${m.ledger_from_id}, the month before ends at ${ledgerTo}`,
      );
    ledgerTo = m.ledger_to_id;
    // R2 changes only when the job moves: its files are read and hashed again then.
    const filesChecked = verified.get(m.month) === `${m.phase}:${m.chunks}`;
    for (const t of archiveTables) {
      const file = manifest.tables[t.name];
      if (!file) {
        add('archive-file', `${m.month}/${t.name}: not in the manifest`);
        continue;
      }
      if (!filesChecked) {
        const obj = await env.ARCHIVE.get(fileKey(m.month, t.name));
        const bytes = obj ? new Uint8Array(await obj.arrayBuffer()) : null;
        if (!bytes || bytes.length !== file.bytes || (await sha256Hex(bytes)) !== file.sha256)
          add('archive-checksum', `${m.month}/${t.name}: missing, or bytes or SHA-256 differ from the manifest`);
        let rows = 0;
        for (const member of file.members) {
          rows += bytes ? (await gunzipRows(bytes.slice(member.offset, member.offset + member.length))).length : 0;
        }
        if (rows !== file.rows) add('archive-rows', `${m.month}/${t.name}: ${rows} rows, manifest ${file.rows}`);
      }
      if (t.copyOf) {
        const of = manifest.tables[t.copyOf];
        if (of && of.rows !== file.rows)
          add('archive-rows', `${m.month}/${t.name}: ${file.rows}, ${t.copyOf} ${of.rows}`);
        continue;
      }
      const { where, binds } = monthWhere(t.name, m);
      inD1Checks.push({
        what: `${m.month}/${t.name}`,
        done: m.phase === 'done',
        count: env.DB.prepare(`SELECT count(*) AS n FROM ${t.name} WHERE ${where}`).bind(...binds),
        differing: env.DB.prepare(
          `SELECT count(*) AS n FROM (SELECT * FROM ${t.name} WHERE ${where} EXCEPT SELECT * FROM ${shadow(t.name)})`,
        ).bind(...binds),
      });
    }
  }
  // Every month's D1 rows against its archive, in one batch.
  const counted =
    inD1Checks.length === 0 ? [] : await env.DB.batch<{ n: number }>(inD1Checks.flatMap((c) => [c.count, c.differing]));
  inD1Checks.forEach((c, i) => {
    const n = counted[2 * i]?.results[0]?.n ?? 0;
    const differing = counted[2 * i + 1]?.results[0]?.n ?? 0;
    if (c.done && n > 0) add('archive-left-d1', `${c.what}: ${n} rows still in D1`);
    if (differing > 0) add('archive-same-rows', `${c.what}: ${differing} D1 rows differ from the archive`);
  });
  const [closing, orders] = await env.DB.batch<{
    account?: string;
    held?: number;
    sum?: number;
    id?: string;
    n?: number;
  }>([
    env.DB.prepare(
      `SELECT account, held, sum FROM (
         SELECT b.account, b.balance_fen AS held,
           coalesce((SELECT sum(amount_fen) FROM ledger_entries e WHERE e.account = b.account), 0)
           + coalesce((SELECT balance_fen FROM closing_balances c WHERE c.account = b.account), 0) AS sum
         FROM balances b
         UNION ALL SELECT c.account, 0, c.balance_fen FROM closing_balances c
           WHERE c.balance_fen <> 0 AND NOT EXISTS (SELECT 1 FROM balances b WHERE b.account = c.account))
       WHERE held <> sum LIMIT 3`,
    ),
    env.DB.prepare(
      wholeHistory('SELECT id, count(*) AS n FROM orders WHERE id IN (SELECT value FROM json_each(?)) GROUP BY id'),
    ).bind(JSON.stringify(orderIds)),
  ]);
  if (v.length === 0) for (const m of archived) verified.set(m.month, `${m.phase}:${m.chunks}`);
  for (const r of closing?.results ?? [])
    add('balance-equals-entries-plus-closing', `${r.account}: balance ${r.held}, entries and closing ${r.sum}`);
  const found = new Map((orders?.results ?? []).map((r) => [r.id, r.n]));
  const wrong = orderIds.filter((id) => found.get(id) !== 1).slice(0, 3);
  if (wrong.length > 0)
    add('order-kept-once', wrong.map((id) => `${id}: ${found.get(id) ?? 0} times in D1 and the archive`).join('; '));
  return v;
}

// Orders of months the archive has started on leave the model (any cron run may start one, expireUnpaid's too): no
// operation acts on them again, and the step's end no longer looks for them in D1.
export async function retire(m: Model): Promise<number> {
  const jobs = await archiveMonthsNow();
  for (const j of jobs) if (j.phase === 'done') m.monthsArchived.add(j.month);
  const months = new Set(jobs.filter((j) => j.phase !== 'restored').map((j) => j.month));
  const gone = m.orders.filter((o) => months.has(monthOf(idTime(o.id) ?? 0)));
  if (gone.length === 0) return 0;
  m.archived.push(...gone);
  m.orders = m.orders.filter((o) => !gone.includes(o));
  return gone.length;
}
