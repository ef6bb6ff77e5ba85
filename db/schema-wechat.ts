import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// WeChat identity (OAuth snsapi_base) and refunds sent back to the payer through WeChat Pay.

// A browser that came back from WeChat OAuth: the HttpOnly cookie holds the token, this row the openid WeChat gave
// the Worker for it (the client never supplies an openid).
export const wechatVisitors = sqliteTable(
  'wechat_visitors',
  {
    // SHA-256 of the cookie's token.
    id: text('id').primaryKey(),
    openid: text('openid').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('wechat_visitors_expires').on(t.expiresAt)],
);

export const gatewayRefundStatuses = ['pending', 'processing', 'succeeded', 'abnormal', 'closed'] as const;

// One row per refund sent to WeChat Pay; its id is the out_refund_no, so a resend can never refund twice.
// pending: booked, not yet accepted by WeChat; processing: accepted; succeeded / closed / abnormal: WeChat's word.
export const gatewayRefunds = sqliteTable(
  'gateway_refunds',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    // refund: an after-sales refund of a paid order; late: a payment that arrived after the order was cancelled.
    kind: text('kind', { enum: ['refund', 'late'] }).notNull(),
    amountFen: integer('amount_fen').notNull(),
    // What the payer paid for the order (WeChat's amount.total).
    totalFen: integer('total_fen').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: gatewayRefundStatuses }).notNull(),
    wechatRefundId: text('wechat_refund_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    settledAt: integer('settled_at'),
  },
  (t) => [
    index('gateway_refunds_order').on(t.orderId, t.id),
    index('gateway_refunds_open').on(t.status, t.id).where(sql`status IN ('pending', 'processing')`),
    // The brand's list of abnormal refunds to act on.
    index('gateway_refunds_abnormal').on(t.id).where(sql`status = 'abnormal'`),
    check('gateway_refunds_amount', sql`${t.amountFen} > 0 AND ${t.amountFen} <= ${t.totalFen}`),
    check('gateway_refunds_status', sql`${t.status} IN ('pending', 'processing', 'succeeded', 'abnormal', 'closed')`),
  ],
);
