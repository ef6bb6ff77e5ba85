// Withdrawals paid by WeChat Pay transfer: sending the transfer, following it to paid or failed, and booking the end
// exactly once. The money stays in the agent's withdrawing account while the transfer is on its way; a guarded status
// flip from 'paying' is in the same batch as the ledger transaction, so a repeated follow-up books nothing twice.
import { and, asc, eq, isNull, lt, or } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../db/guard';
import { newId } from '../db/ids';
import { postTransaction } from '../db/ledger';
import { audit } from '../db/network';
import { agents, brand, withdrawals } from '../db/schema';
import { account } from './domain/ledger';
import type { Caller, Db } from './env';
import { AppError } from './errors';
import type { PayClient } from './lib/wechatpay/client';
import type { WechatMerchantConfig } from './lib/wechatpay/config';
import { merchantConfigOf, payClientOf } from './lib/wechatpay/env';
import { queryTransfer, submitTransfer } from './lib/wechatpay/transfer';

export interface PayoutRow {
  id: string;
  agentId: string;
  amountFen: number;
  status: string;
  transferNo: string | null;
  transferState: string | null;
  openid: string | null;
}

export interface Gateway {
  config: WechatMerchantConfig;
  client: PayClient;
}

// out_batch_no / out_detail_no allow only letters and digits: the withdrawal id without its underscore.
export function transferNoOf(withdrawalId: string): string {
  return withdrawalId.replace(/_/g, '');
}

const SUBMITTING = 'SUBMITTING';

async function settle(
  db: Db,
  row: PayoutRow,
  outcome: { paid: true; detailId: string } | { paid: false; reason: string },
) {
  const now = Date.now();
  const change = outcome.paid
    ? { status: 'paid' as const, reference: outcome.detailId, transferState: 'SUCCESS' }
    : { status: 'failed' as const, reason: outcome.reason.slice(0, 200), transferState: 'FAIL' };
  try {
    await db.batch([
      db
        .update(withdrawals)
        .set({ ...change, decidedAt: now, checkedAt: now })
        .where(and(eq(withdrawals.id, row.id), eq(withdrawals.status, 'paying'))),
      changedGuard(db),
      ...postTransaction(
        db,
        {
          id: newId('txn', now),
          kind: outcome.paid ? 'withdrawal_paid' : 'withdrawal_returned',
          memo: row.id,
          at: now,
        },
        [
          {
            from: account.withdrawing(row.agentId),
            to: outcome.paid ? account.payouts : account.available(row.agentId),
            amountFen: row.amountFen,
          },
        ],
      ),
      audit(db, {
        actorRole: 'system',
        actorId: null,
        action: outcome.paid ? 'withdrawal.transfer_paid' : 'withdrawal.transfer_failed',
        targetType: 'withdrawal',
        targetId: row.id,
        detail: { agentId: row.agentId, amountFen: row.amountFen, ...change },
        at: now,
      }),
    ]);
  } catch (err) {
    // Another follow-up settled it first: nothing more to book.
    if (!isGuardFailure(err)) throw err;
  }
}

function noteState(db: Db, id: string, state: string) {
  return db
    .update(withdrawals)
    .set({ transferState: state.slice(0, 40), checkedAt: Date.now() })
    .where(and(eq(withdrawals.id, id), eq(withdrawals.status, 'paying')));
}

/**
 * Moves a 'paying' withdrawal on: sends the transfer while WeChat Pay has not accepted it (same out_batch_no every
 * time), then asks its state and books paid or failed. Safe to call any number of times, concurrently too.
 */
export async function followTransfer(db: Db, gateway: Gateway, row: PayoutRow): Promise<void> {
  const { openid } = row;
  if (row.status !== 'paying' || !row.transferNo) return;
  if (row.transferState === SUBMITTING || row.transferState === null) {
    if (!openid) {
      await settle(db, row, { paid: false, reason: 'OPENID_MISSING' });
      return;
    }
    const sent = await submitTransfer(gateway.client, gateway.config, {
      transferNo: row.transferNo,
      openid,
      amountFen: row.amountFen,
      remark: '代理提现',
    });
    if (sent.kind === 'refused') {
      await settle(db, row, { paid: false, reason: sent.reason });
      return;
    }
    if (sent.kind === 'unknown') {
      await noteState(db, row.id, SUBMITTING);
      return;
    }
    await noteState(db, row.id, 'ACCEPTED');
  }
  let state: Awaited<ReturnType<typeof queryTransfer>>;
  try {
    state = await queryTransfer(gateway.client, row.transferNo);
  } catch {
    return; // WeChat Pay unreachable: the cron asks again.
  }
  if (state.kind === 'success') await settle(db, row, { paid: true, detailId: state.detailId });
  else if (state.kind === 'failed') await settle(db, row, { paid: false, reason: state.reason });
  else await noteState(db, row.id, state.kind === 'pending' ? state.state : 'ACCEPTED');
}

const payoutColumns = {
  id: withdrawals.id,
  agentId: withdrawals.agentId,
  amountFen: withdrawals.amountFen,
  status: withdrawals.status,
  transferNo: withdrawals.transferNo,
  transferState: withdrawals.transferState,
  openid: agents.openid,
};

export async function payoutRow(db: Db, id: string): Promise<PayoutRow | undefined> {
  const [row] = await db
    .select(payoutColumns)
    .from(withdrawals)
    .innerJoin(agents, eq(agents.id, withdrawals.agentId))
    .where(eq(withdrawals.id, id))
    .limit(1);
  return row;
}

/** For the cron: the oldest few 'paying' withdrawals not asked about in the last minute. */
export function duePayouts(db: Db, now: number, limit = 20) {
  return db
    .select(payoutColumns)
    .from(withdrawals)
    .innerJoin(agents, eq(agents.id, withdrawals.agentId))
    .where(
      and(eq(withdrawals.status, 'paying'), or(isNull(withdrawals.checkedAt), lt(withdrawals.checkedAt, now - 60_000))),
    )
    .orderBy(asc(withdrawals.id))
    .limit(limit);
}

/** The cron's part: follows the transfers still on their way (a bounded few per run). */
export async function followDuePayouts(db: Db, gateway: Gateway | null, now: number): Promise<void> {
  if (!gateway) return;
  for (const row of await duePayouts(db, now)) await followTransfer(db, gateway, row);
}

export function payoutGateway(env: object): Gateway | null {
  const config = merchantConfigOf(env);
  return config ? { config, client: payClientOf(env, config) } : null;
}

/**
 * Approves a requested withdrawal by transfer: the status flips to 'paying' (guarded, so a second approval aborts)
 * with its out_batch_no fixed, then the transfer is sent and followed. The funds stay held until it ends.
 */
export async function payByTransfer(db: Db, env: object, caller: Caller, id: string): Promise<void> {
  const gateway = payoutGateway(env);
  const [row, [settings]] = await Promise.all([
    payoutRow(db, id),
    db.select({ on: brand.payoutTransfer }).from(brand).where(eq(brand.id, 1)).limit(1),
  ]);
  if (!row) throw new AppError('NOT_FOUND', { params: { what: 'withdrawal' } });
  if (row.status !== 'requested') throw new AppError('INVALID_STATE', { params: { state: row.status } });
  if (!gateway) throw new AppError('TRANSFER_UNAVAILABLE', { params: { why: 'config' } });
  if (!settings?.on) throw new AppError('TRANSFER_UNAVAILABLE', { params: { why: 'disabled' } });
  if (!row.openid) throw new AppError('TRANSFER_UNAVAILABLE', { params: { why: 'openid' } });
  const now = Date.now();
  const transferNo = transferNoOf(id);
  try {
    await db.batch([
      db
        .update(withdrawals)
        .set({ status: 'paying', payoutMethod: 'transfer', transferNo, transferState: 'SUBMITTING', decidedAt: now })
        .where(and(eq(withdrawals.id, id), eq(withdrawals.status, 'requested'))),
      changedGuard(db),
      audit(db, {
        actorRole: caller.role,
        actorId: caller.id,
        action: 'withdrawal.approve',
        targetType: 'withdrawal',
        targetId: id,
        detail: { agentId: row.agentId, amountFen: row.amountFen, method: 'transfer', transferNo },
        at: now,
      }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'decided' } });
    throw err;
  }
  await followTransfer(db, gateway, { ...row, status: 'paying', transferNo, transferState: 'SUBMITTING' });
}
