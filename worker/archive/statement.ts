import type { Db } from '../env';
import { type ArchivedMonth, archivedMonths, manifestOf, type RowsRead, rowsBetween } from './read';
import type { Row } from './store';

// An agent's statement past what D1 holds: per archived month (newest first) and per account, the newest entries
// below `before` from the month's ledger_by_account file (sorted by account, then id), so a page reads only the
// members that hold those accounts' entries, not the whole month.
export async function archivedEntries(
  bucket: R2Bucket,
  months: readonly ArchivedMonth[],
  accounts: readonly string[],
  before: number | undefined,
  take: number,
  read: RowsRead = { rows: 0 },
): Promise<Row[]> {
  const found: Row[] = [];
  for (const month of [...months].reverse()) {
    const manifest = await manifestOf(bucket, month);
    const upper = before === undefined ? Number.MAX_SAFE_INTEGER : before - 1;
    for (const acct of accounts) {
      let got = 0;
      for await (const rows of rowsBetween(bucket, manifest, 'ledger_by_account', [acct, 0], [acct, upper], {
        reverse: true,
        read,
      })) {
        found.push(...rows);
        got += rows.length;
        if (got >= take) break;
      }
    }
    // Months are id ranges: once a month gave enough, older months hold only smaller ids.
    if (found.length >= take) break;
  }
  return found.sort((a, b) => Number(b.id) - Number(a.id)).slice(0, take);
}

/**
 * The entries a statement page still needs after the `read` rows D1 gave (newest first, `take` wanted, below `before`):
 * none when D1 gave enough, else the next ones from the archived months. Returns the months too (null when not read).
 */
export async function olderThanD1(
  db: Db,
  bucket: R2Bucket,
  read: readonly { id: number }[],
  accounts: readonly string[],
  before: number | undefined,
  take: number,
): Promise<{ months: ArchivedMonth[] | null; older: Row[] }> {
  if (read.length >= take) return { months: null, older: [] };
  const months = await archivedMonths(db);
  if (months.length === 0) return { months, older: [] };
  const from = read.length > 0 ? read[read.length - 1]?.id : before;
  return { months, older: await archivedEntries(bucket, months, accounts, from, take - read.length) };
}
