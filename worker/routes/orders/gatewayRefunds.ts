// Refunds of online payments through WeChat Pay. The ledger: when a refund is accepted the shares are reversed and
// the money moves to brand:refunds_in_flight (the same batch writes the gateway_refunds row, whose id is the
// out_refund_no); when WeChat Pay confirms it (notification or query) it leaves for external:gateway, in one batch
// with the conditional status change, so it is booked once whatever the repeats. A closed refund goes back to
// brand:refunds_due (owed to the payer, for the brand to settle); an abnormal one stays in flight, shown as such.
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { changedGuard, isGuardFailure } from '../../../db/guard';
import { newId } from '../../../db/ids';
import { postTransaction } from '../../../db/ledger';
import { gatewayRefunds } from '../../../db/schema';
import { type GatewayRefundRow, moveRefund, openRefundsQuery, refundQuery } from '../../../db/wechat';
import { account } from '../../domain/ledger';
import type { AppEnv, Db } from '../../env';
import { WechatPayError } from '../../lib/wechatpay/config';
import { merchantConfigOf, payClientOf } from '../../lib/wechatpay/env';
import { createRefund, queryRefund, type RefundState } from '../../lib/wechatpay/refunds';

type Bindings = AppEnv['Bindings'];

/** The row to write in the refund's own batch; send it with sendRefund once that batch committed. */
export function gatewayRefundInsert(
  db: Db,
  input: { orderId: string; kind: 'refund' | 'late'; amountFen: number; totalFen: number; reason: string },
  now: number,
) {
  const id = newId('rfd', now);
  return {
    id,
    insert: db
      .insert(gatewayRefunds)
      .values({ ...input, id, status: 'pending', createdAt: now, updatedAt: now, reason: input.reason.slice(0, 80) }),
  };
}

/** Books a state WeChat Pay reported for a refund; a repeat, or a state the refund already left, changes nothing. */
export async function applyRefundState(
  db: Db,
  row: Pick<GatewayRefundRow, 'id' | 'orderId' | 'amountFen'>,
  state: RefundState,
  wechatRefundId: string | null,
  now = Date.now(),
): Promise<boolean> {
  const move = moveRefund(db, row.id, state, wechatRefundId, now);
  if (state === 'processing' || state === 'abnormal') {
    const result = await move;
    return (result.meta.changes ?? 0) > 0;
  }
  const to = state === 'succeeded' ? account.gateway : account.refundsDue;
  try {
    await db.batch([
      move,
      changedGuard(db),
      ...postTransaction(
        db,
        {
          id: newId('txn', now),
          kind: state === 'succeeded' ? 'refund_paid' : 'refund_closed',
          orderId: row.orderId,
          memo: row.id,
          at: now,
        },
        [{ from: account.refundsInFlight, to, amountFen: row.amountFen }],
      ),
    ]);
    return true;
  } catch (err) {
    if (isGuardFailure(err)) return false;
    throw err;
  }
}

/**
 * Sends a booked refund to WeChat Pay (or resends it: the same out_refund_no is the same refund there) and books
 * the state WeChat answers. Without merchant keys, or when WeChat cannot be reached, it stays pending for the cron.
 */
export async function sendRefund(env: Bindings, db: Db, id: string, origin: string | null): Promise<void> {
  const config = merchantConfigOf(env);
  if (!config) return;
  const [row] = await refundQuery(db, id);
  if (row?.status !== 'pending') return;
  try {
    const result = await createRefund(payClientOf(env, config), {
      orderId: row.orderId,
      outRefundNo: row.id,
      reason: row.reason,
      amountFen: row.amountFen,
      totalFen: row.totalFen,
      notifyUrl: origin ? `${origin}/api/payments/wechat/refund-notify` : null,
    });
    await applyRefundState(db, row, result.state, result.refundId);
  } catch (err) {
    if (!(err instanceof WechatPayError)) throw err;
    console.error(JSON.stringify({ level: 'warn', msg: 'refund not sent', refund: id, error: err.message }));
  }
}

/** Resends a pending refund, or asks WeChat Pay for a processing or abnormal one. */
export async function followRefund(env: Bindings, db: Db, row: GatewayRefundRow, origin: string | null): Promise<void> {
  if (row.status === 'pending') return sendRefund(env, db, row.id, origin);
  if (row.status !== 'processing' && row.status !== 'abnormal') return;
  const config = merchantConfigOf(env);
  if (!config) return;
  try {
    const result = await queryRefund(payClientOf(env, config), row.id);
    // WeChat never saw it (its answer to the first send was lost before it was recorded): send it again.
    if (!result) {
      await db.update(gatewayRefunds).set({ status: 'pending' }).where(moveBack(row.id));
      return sendRefund(env, db, row.id, origin);
    }
    await applyRefundState(db, row, result.state, result.refundId);
  } catch (err) {
    if (!(err instanceof WechatPayError)) throw err;
  }
}

function moveBack(id: string) {
  return and(eq(gatewayRefunds.id, id), eq(gatewayRefunds.status, 'processing'));
}

export function originOf(c: Context<AppEnv>): string {
  return new URL(c.req.url).origin;
}

/** On the cron: refunds WeChat has not settled are resent or queried, oldest first, a bounded number per run. */
export async function followOpenRefunds(env: Bindings, db: Db): Promise<void> {
  if (!merchantConfigOf(env)) return;
  for (const row of await openRefundsQuery(db, 20)) await followRefund(env, db, row, null);
}
