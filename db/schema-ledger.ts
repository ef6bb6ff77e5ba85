import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Money held for agents and the brand: the double-entry ledger, balances and withdrawals.
// Times are integer milliseconds since the epoch; money is integer fen.

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
  (t) => [
    index('ledger_account').on(t.account, t.id),
    index('ledger_txn').on(t.txnId),
    index('ledger_order').on(t.orderId),
    index('ledger_account_at').on(t.account, t.at),
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
  },
  (t) => [
    uniqueIndex('withdrawals_transfer_no').on(t.transferNo),
    index('withdrawals_agent').on(t.agentId, t.id),
    index('withdrawals_status').on(t.status, t.id),
    check('withdrawals_amount', sql`${t.amountFen} > 0`),
  ],
);
