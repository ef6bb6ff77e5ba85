import { env } from 'cloudflare:test';
import type { Violation } from '../../bench/lib/invariants.mjs';
import { wholeHistory } from './archive-view';
import type { Model } from './model';

// The ledger against what the fake WeChat Pay holds. Money enters the gateway account only as a payment WeChat holds
// (out_trade_no and amount) and leaves it only as a refund WeChat settled (out_refund_no and amount), each booked
// once; a payment or settled refund the Worker was told of is booked; a transfer is paid or returned exactly as
// WeChat ended it. Refunds the brand recorded as made by hand (a late refund with its reference) never reach WeChat.

interface Posting {
  txn: string;
  kind: string;
  orderId: string | null;
  memo: string | null;
  fen: number;
}

interface RefundRow {
  id: string;
  orderId: string;
  fen: number;
  status: string;
}

interface PayoutRow {
  id: string;
  fen: number;
  status: string;
  transferNo: string | null;
  paid: number;
  returned: number;
}

const paidStates = new Set(['SUCCESS', 'REFUND']);

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of items) out.set(key(t), (out.get(key(t)) ?? 0) + 1);
  return out;
}

export async function checkWechat(m: Model): Promise<Violation[]> {
  const w = m.wechat;
  const [postings, refundRows, payouts] = await env.DB.batch<Record<string, unknown>>([
    env.DB.prepare(
      wholeHistory(`SELECT txn_id AS txn, kind, order_id AS orderId, memo, amount_fen AS fen FROM ledger_entries
       WHERE account = 'external:gateway'`),
    ),
    env.DB.prepare(wholeHistory('SELECT id, order_id AS orderId, amount_fen AS fen, status FROM gateway_refunds')),
    env.DB.prepare(
      wholeHistory(`SELECT w.id, w.amount_fen AS fen, w.status, w.transfer_no AS transferNo,
         (SELECT count(DISTINCT txn_id) FROM ledger_entries e WHERE e.memo = w.id AND e.kind = 'withdrawal_paid') AS paid,
         (SELECT count(DISTINCT txn_id) FROM ledger_entries e WHERE e.memo = w.id AND e.kind = 'withdrawal_returned') AS returned
       FROM withdrawals w WHERE w.payout_method = 'transfer'`),
    ),
  ]);
  const v: Violation[] = [];
  const add = (name: string, detail: string) => v.push({ name, detail });

  const entries = (postings?.results ?? []) as unknown as Posting[];
  const inflows = entries.filter((p) => p.fen < 0);
  const outflows = entries.filter((p) => p.fen > 0);
  for (const p of inflows) {
    if (p.kind !== 'payment' && p.kind !== 'late_payment') {
      add('gateway-posting-known', `${p.txn}: ${p.kind} takes ${-p.fen} from the gateway`);
      continue;
    }
    const trade = w.trades.get(p.orderId ?? '');
    if (!trade || !paidStates.has(trade.state) || trade.total !== -p.fen) {
      add(
        'gateway-payment-at-wechat',
        `${p.orderId}: ${p.kind} of ${-p.fen} booked, WeChat holds ${trade ? `${trade.state} ${trade.total}` : 'nothing'}`,
      );
    }
  }
  const paymentsOf = countBy(inflows, (p) => p.orderId ?? '');
  for (const [orderId, n] of paymentsOf) {
    if (n > 1) add('gateway-payment-once', `${orderId}: ${n} payments booked from the gateway`);
  }
  for (const trade of w.trades.values()) {
    if (!paidStates.has(trade.state)) continue;
    const booked = paymentsOf.get(trade.outTradeNo) ?? 0;
    const told = w.paymentsAcked.has(trade.outTradeNo);
    if (told && booked !== 1) add('wechat-payment-booked', `${trade.outTradeNo}: acknowledged, booked ${booked} times`);
    if (!told && booked !== 0) {
      add('wechat-payment-booked', `${trade.outTradeNo}: never acknowledged, booked ${booked} times`);
    }
  }

  const refunds = (refundRows?.results ?? []) as unknown as RefundRow[];
  const rowsById = new Map(refunds.map((r) => [r.id, r]));
  for (const p of outflows) {
    if (p.kind === 'late_refund' && !w.refunds.has(p.memo ?? '')) continue;
    if (p.kind !== 'refund_paid') {
      add('gateway-posting-known', `${p.txn}: ${p.kind} puts ${p.fen} into the gateway`);
      continue;
    }
    const refund = w.refunds.get(p.memo ?? '');
    if (refund?.status !== 'SUCCESS' || refund.refund !== p.fen || refund.outTradeNo !== p.orderId) {
      add(
        'gateway-refund-at-wechat',
        `${p.memo} (${p.orderId}): ${p.fen} booked as refunded, WeChat holds ${refund ? `${refund.status} ${refund.refund} of ${refund.outTradeNo}` : 'nothing'}`,
      );
    }
  }
  const refundsPaid = countBy(
    outflows.filter((p) => p.kind === 'refund_paid'),
    (p) => p.memo ?? '',
  );
  for (const refund of w.refunds.values()) {
    const row = rowsById.get(refund.outRefundNo);
    if (!row || row.fen !== refund.refund || row.orderId !== refund.outTradeNo) {
      add('wechat-refund-booked', `${refund.outRefundNo}: WeChat refunds ${refund.refund}, the Worker has ${row?.fen}`);
    }
    const booked = refundsPaid.get(refund.outRefundNo) ?? 0;
    const settled = refund.status === 'SUCCESS';
    if (booked > (settled ? 1 : 0) || (settled && w.refundsAcked.has(refund.outRefundNo) && booked !== 1)) {
      add('wechat-refund-booked', `${refund.outRefundNo}: ${refund.status} at WeChat, booked ${booked} times`);
    }
  }
  for (const row of refunds) {
    const refund = w.refunds.get(row.id);
    if (row.status !== 'pending' && !refund)
      add('refund-reached-wechat', `${row.id}: ${row.status}, unknown to WeChat`);
    if (row.status === 'succeeded' && refund?.status !== 'SUCCESS') {
      add('refund-reached-wechat', `${row.id}: succeeded, ${refund?.status} at WeChat`);
    }
  }

  const withdrawals = (payouts?.results ?? []) as unknown as PayoutRow[];
  const byBatch = new Map(withdrawals.map((x) => [x.transferNo ?? '', x]));
  for (const x of withdrawals) {
    const t = w.transfers.get(x.transferNo ?? '');
    if (t && t.amountFen !== x.fen) add('transfer-matches', `${x.id}: ${x.fen} asked, WeChat transfers ${t.amountFen}`);
    const want =
      x.status === 'paid' ? [1, 0] : x.status === 'failed' ? [0, 1] : x.status === 'paying' ? [0, 0] : undefined;
    if (!want || x.paid !== want[0] || x.returned !== want[1]) {
      add('transfer-booked-once', `${x.id} ${x.status}: paid ${x.paid}, returned ${x.returned} times`);
    }
    if (x.status === 'paid' && t?.status !== 'SUCCESS')
      add('transfer-matches', `${x.id}: paid, ${t?.status} at WeChat`);
    if (x.status === 'failed' && t && t.status !== 'FAIL') add('transfer-matches', `${x.id}: failed, ${t.status}`);
  }
  for (const t of w.transfers.values()) {
    if (!byBatch.has(t.outBatchNo)) add('transfer-matches', `${t.outBatchNo}: transferred, no such withdrawal`);
  }
  return v;
}
