// Refunds back to the payer (v3 /v3/refund/domestic/refunds): create (the out_refund_no makes a resend the same
// refund), query, and the refund notification (REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED).
import { z } from 'zod';
import type { PayClient } from './client';
import { payErrorDetail } from './client';
import { type WechatPayConfig, WechatPayError } from './config';
import { type NotificationRefusal, openNotification } from './notification';

/** WeChat's refund_status mapped onto ours. */
export type RefundState = 'processing' | 'succeeded' | 'closed' | 'abnormal';

export function refundState(status: string): RefundState {
  if (status === 'SUCCESS') return 'succeeded';
  if (status === 'CLOSED') return 'closed';
  if (status === 'ABNORMAL') return 'abnormal';
  return 'processing';
}

const refundAnswer = z.object({
  out_refund_no: z.string(),
  refund_id: z.string().optional(),
  status: z.string(),
  amount: z.object({ refund: z.number().int(), total: z.number().int() }).optional(),
});

export interface RefundResult {
  refundId: string | null;
  state: RefundState;
}

function parseAnswer(json: unknown, outRefundNo: string): RefundResult {
  const parsed = refundAnswer.safeParse(json);
  if (!parsed.success || parsed.data.out_refund_no !== outRefundNo) {
    throw new WechatPayError('gateway', 'WeChat Pay answered the refund in an unknown shape');
  }
  return { refundId: parsed.data.refund_id ?? null, state: refundState(parsed.data.status) };
}

export interface RefundRequest {
  orderId: string;
  outRefundNo: string;
  reason: string;
  amountFen: number;
  totalFen: number;
  /** Optional at WeChat: a resend from the cron has no request to take the origin from (the query follows it). */
  notifyUrl: string | null;
}

export async function createRefund(client: PayClient, input: RefundRequest): Promise<RefundResult> {
  const answer = await client.call('POST', '/v3/refund/domestic/refunds', {
    out_trade_no: input.orderId,
    out_refund_no: input.outRefundNo,
    reason: input.reason.slice(0, 80),
    ...(input.notifyUrl ? { notify_url: input.notifyUrl } : {}),
    amount: { refund: input.amountFen, total: input.totalFen, currency: 'CNY' },
  });
  if (answer.status !== 200) throw new WechatPayError('gateway', `refund ${payErrorDetail(answer)}`);
  return parseAnswer(answer.json, input.outRefundNo);
}

/** GET /v3/refund/domestic/refunds/{out_refund_no}; null when WeChat has never seen it. */
export async function queryRefund(client: PayClient, outRefundNo: string): Promise<RefundResult | null> {
  const answer = await client.call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`);
  if (answer.status === 404) return null;
  if (answer.status !== 200) throw new WechatPayError('gateway', `refund query ${payErrorDetail(answer)}`);
  return parseAnswer(answer.json, outRefundNo);
}

const refundResource = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  out_refund_no: z.string().min(1),
  refund_id: z.string().optional(),
  refund_status: z.string(),
  amount: z.object({ refund: z.number().int().positive(), total: z.number().int().positive() }),
});

export type RefundNotification =
  | { ok: true; outRefundNo: string; refundId: string | null; state: RefundState; amountFen: number }
  | { ok: false; reason: NotificationRefusal };

/** Verifies, decrypts and checks a refund notification. Never throws. */
export async function parseRefundNotification(
  headers: Headers,
  body: string,
  config: WechatPayConfig,
  now: number,
): Promise<RefundNotification> {
  const opened = await openNotification(headers, body, config, now, (e) => e.startsWith('REFUND.'));
  if (!opened.ok) return opened;
  const r = refundResource.safeParse(opened.decrypted);
  if (!r.success) return { ok: false, reason: 'bad_transaction' };
  if (r.data.mchid !== config.mchId) return { ok: false, reason: 'merchant_mismatch' };
  return {
    ok: true,
    outRefundNo: r.data.out_refund_no,
    refundId: r.data.refund_id ?? null,
    state: refundState(r.data.refund_status),
    amountFen: r.data.amount.refund,
  };
}
