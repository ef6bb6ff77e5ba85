import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Money held for agents and the brand: the double-entry ledger, balances and withdrawals.
// Times are integer milliseconds since the epoch; money is integer fen.

export const payoutKinds = ['wechat', 'alipay', 'bank'] as const;

/** Where an agent is paid: a WeChat or Alipay account, or a bank card (with its bank). */
export interface PayoutAccount {
  kind: (typeof payoutKinds)[number];
  name: string;
  account: string;
  bank: string | null;
}

// The payout account each agent keeps (one per agent); a withdrawal copies it.
export const payoutAccounts = sqliteTable(
  'payout_accounts',
  {
    agentId: text('agent_id').primaryKey(),
    kind: text('kind', { enum: payoutKinds }).notNull(),
    name: text('name').notNull(),
    account: text('account').notNull(),
    bank: text('bank'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('payout_accounts_kind', sql`${t.kind} IN ('wechat', 'alipay', 'bank')`),
    check('payout_accounts_bank', sql`(${t.kind} = 'bank') = (${t.bank} IS NOT NULL)`),
  ],
);

// Double entry: each transaction's entries sum to zero; balances are kept beside them in the same batch.
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    txnId: text('txn_id').notNull(),
    account: text('account').notNull(),
    amountFen: integer('amount_fen').notNull(),
    kind: text('kind').notNull(),
    orderId: text('order_id'),
    memo: text('memo'),
    at: integer('at').notNull(),
  },
  // Statements read by account (newest id first); the reconciliation reads the gateway's postings of a day. Nothing
  // reads entries by transaction or order, so those indexes went (migration 0024, about 100 bytes an entry).
  (t) => [
    index('ledger_account').on(t.account, t.id),
    index('ledger_gateway_at').on(t.at).where(sql`account = 'external:gateway'`),
  ],
);

export const balances = sqliteTable('balances', {
  account: text('account').primaryKey(),
  balanceFen: integer('balance_fen').notNull(),
});

export const withdrawals = sqliteTable(
  'withdrawals',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id').notNull(),
    amountFen: integer('amount_fen').notNull(),
    // 'paying': approved and sent by transfer, waiting for WeChat Pay; 'failed': the transfer failed, funds returned.
    status: text('status', { enum: ['requested', 'paying', 'paid', 'failed', 'rejected'] }).notNull(),
    reference: text('reference'),
    reason: text('reason'),
    createdAt: integer('created_at').notNull(),
    decidedAt: integer('decided_at'),
    payoutMethod: text('payout_method', { enum: ['manual', 'transfer'] })
      .notNull()
      .default('manual'),
    // out_batch_no = out_detail_no of the transfer: fixed once, so every retry names the same transfer.
    transferNo: text('transfer_no'),
    transferState: text('transfer_state'),
    checkedAt: integer('checked_at'),
    // Where the agent asked to be paid, as it was when it asked (a later change of account does not move it).
    payout: text('payout', { mode: 'json' }).$type<PayoutAccount>(),
  },
  (t) => [
    uniqueIndex('withdrawals_transfer_no').on(t.transferNo),
    index('withdrawals_agent').on(t.agentId, t.id),
    index('withdrawals_status').on(t.status, t.id),
    check('withdrawals_amount', sql`${t.amountFen} > 0`),
  ],
);

// What each agent's held shares (order_shares status 'pending' of orders the brand collected) still hold: kept in the
// same batch as each share's status change (payment +, refund before release and release −). The shares are already
// credited to the agent's wallet account; withdrawable = that balance − held (DESIGN.md, Ledger).
export const heldShares = sqliteTable(
  'held_shares',
  {
    agentId: text('agent_id').primaryKey(),
    heldFen: integer('held_fen').notNull(),
  },
  (t) => [check('held_shares_not_negative', sql`${t.heldFen} >= 0`)],
);
