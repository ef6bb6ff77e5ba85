import { and, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { gatewayRefunds, members, wechatVisitors } from './schema';

// A browser's openid (from WeChat OAuth) by its cookie token's hash; expired rows read as none.
export function visitorQuery(db: Db, id: string, now: number) {
  return db
    .select({ openid: wechatVisitors.openid })
    .from(wechatVisitors)
    .where(and(eq(wechatVisitors.id, id), gt(wechatVisitors.expiresAt, now)))
    .limit(1);
}

export function memberOpenidQuery(db: Db, memberId: string) {
  return db.select({ openid: members.openid }).from(members).where(eq(members.id, memberId)).limit(1);
}

export type GatewayRefundRow = typeof gatewayRefunds.$inferSelect;

// An order has a handful of refunds at most; 20 bounds the read anyway.
export function orderRefundsQuery(db: Db, orderId: string) {
  return db
    .select()
    .from(gatewayRefunds)
    .where(eq(gatewayRefunds.orderId, orderId))
    .orderBy(desc(gatewayRefunds.id))
    .limit(20);
}

export function refundQuery(db: Db, id: string) {
  return db.select().from(gatewayRefunds).where(eq(gatewayRefunds.id, id)).limit(1);
}

// Refunds WeChat has not settled yet, oldest first: the cron resends the pending and queries the processing.
export function openRefundsQuery(db: Db, limit: number) {
  return db
    .select()
    .from(gatewayRefunds)
    .where(inArray(gatewayRefunds.status, ['pending', 'processing']))
    .orderBy(gatewayRefunds.id)
    .limit(limit);
}

// Refunds WeChat Pay reported abnormal, newest first, a page after the cursor: the brand settles them by hand.
export function abnormalRefundsQuery(db: Db, cursor: string | undefined, limit: number) {
  return db
    .select()
    .from(gatewayRefunds)
    .where(and(eq(gatewayRefunds.status, 'abnormal'), cursor ? lt(gatewayRefunds.id, cursor) : undefined))
    .orderBy(desc(gatewayRefunds.id))
    .limit(limit);
}

// Moves a refund to a state WeChat reported, only from a state it may leave (a settled refund never moves again).
export function moveRefund(
  db: Db,
  id: string,
  to: 'processing' | 'succeeded' | 'abnormal' | 'closed',
  wechatRefundId: string | null,
  now: number,
) {
  const from: GatewayRefundRow['status'][] = to === 'processing' ? ['pending'] : ['pending', 'processing', 'abnormal'];
  return db
    .update(gatewayRefunds)
    .set({
      status: to,
      updatedAt: now,
      ...(wechatRefundId ? { wechatRefundId } : {}),
      ...(to === 'succeeded' || to === 'closed' ? { settledAt: now } : {}),
    })
    .where(
      and(eq(gatewayRefunds.id, id), inArray(gatewayRefunds.status, from), sql`${gatewayRefunds.status} <> ${to}`),
    );
}
