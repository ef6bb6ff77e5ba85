import { sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { balances, ledgerEntries } from './schema';

// Accounts are strings: one place builds them so a typo cannot open a new account.
export const account = {
  // Shares waiting for completion plus the freeze period.
  pending: (agentId: string) => `agent:${agentId}:pending`,
  // Withdrawable; negative after a clawback (a debt that new earnings repay first).
  available: (agentId: string) => `agent:${agentId}:available`,
  // Held while a withdrawal waits for the brand.
  withdrawing: (agentId: string) => `agent:${agentId}:withdrawing`,
  // Paid to the agent directly (offline); recorded, never held or withdrawable.
  offline: (agentId: string) => `agent:${agentId}:offline`,
  brandRevenue: 'brand:revenue',
  // Fines the brand imposed on agents for policing cases (稽查罚款).
  fines: 'brand:fines',
  // Collected for an order cancelled before the payment arrived: owed back to the payer.
  refundsDue: 'brand:refunds_due',
  // Money the brand collected and has not yet credited to anyone.
  clearing: 'brand:clearing',
  // The outside world: payers (online and offline), payouts, fines.
  gateway: 'external:gateway',
  offlinePayer: 'external:offline',
  payouts: 'external:payouts',
} as const;

export interface Posting {
  account: string;
  amountFen: number;
}

export interface Transfer {
  from: string;
  to: string;
  amountFen: number;
}

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
  const postings = transfersToPostings(transfers);
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
