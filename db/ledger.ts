import { sql } from 'drizzle-orm';
import type { Posting } from '../worker/domain/holds';
import type { Transfer } from '../worker/domain/ledger';
import type { Db } from '../worker/env';
import { balances, ledgerEntries } from './schema';

export type { Posting };

/** A ledger entry as statements, exports and the archive read it (every column). */
export const ledgerEntryColumns = {
  id: ledgerEntries.id,
  txnId: ledgerEntries.txnId,
  at: ledgerEntries.at,
  account: ledgerEntries.account,
  kind: ledgerEntries.kind,
  orderId: ledgerEntries.orderId,
  memo: ledgerEntries.memo,
  amountFen: ledgerEntries.amountFen,
};

export function transfersToPostings(transfers: readonly Transfer[]): Posting[] {
  return transfers
    .filter((t) => t.amountFen !== 0)
    .flatMap((t) => [
      { account: t.from, amountFen: -t.amountFen },
      { account: t.to, amountFen: t.amountFen },
    ]);
}

// One transaction: its entries and the balance updates, as batch items for the caller's batch.
// Entries are only ever added; a reversal is a new transaction.
export function postTransaction(
  db: Db,
  txn: { id: string; kind: string; orderId?: string | null; memo?: string | null; at: number },
  transfers: readonly Transfer[],
) {
  return postPostings(db, txn, transfersToPostings(transfers));
}

// One transaction from its entries as given (a payment or a refund writes one entry per account it touches).
export function postPostings(
  db: Db,
  txn: { id: string; kind: string; orderId?: string | null; memo?: string | null; at: number },
  postings: readonly Posting[],
) {
  const sum = postings.reduce((s, p) => s + p.amountFen, 0);
  if (sum !== 0) throw new Error(`unbalanced transaction ${txn.id}`);
  if (postings.length === 0) return [];
  const byAccount = new Map<string, number>();
  for (const p of postings) byAccount.set(p.account, (byAccount.get(p.account) ?? 0) + p.amountFen);
  // D1 allows 100 bound parameters per statement: seven per entry row, so at most 14 rows per insert.
  const rows = postings.map((p) => ({
    txnId: txn.id,
    account: p.account,
    amountFen: p.amountFen,
    kind: txn.kind,
    orderId: txn.orderId ?? null,
    memo: txn.memo ?? null,
    at: txn.at,
  }));
  const inserts = [];
  for (let i = 0; i < rows.length; i += 14) inserts.push(db.insert(ledgerEntries).values(rows.slice(i, i + 14)));
  const balanceUpdates = [...byAccount]
    .filter(([, amount]) => amount !== 0)
    .map(([acct, amount]) =>
      db
        .insert(balances)
        .values({ account: acct, balanceFen: amount })
        .onConflictDoUpdate({ target: balances.account, set: { balanceFen: sql`${balances.balanceFen} + ${amount}` } }),
    );
  return [...inserts, ...balanceUpdates];
}
