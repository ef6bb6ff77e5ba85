import { type ArchivedMonth, manifestOf, type RowsRead, rowsBetween } from './read';
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
