// Payouts by WeChat Pay's merchant transfer to a user's balance (商家转账到零钱, /v3/transfer/batches): one batch of one
// detail per withdrawal, out_batch_no = out_detail_no fixed by the withdrawal, so a retried request cannot pay twice.
import { z } from 'zod';
import { errorCodeOf, type PayAnswer, type PayClient } from './client';
import type { WechatMerchantConfig } from './config';

export interface TransferRequest {
  /** out_batch_no and out_detail_no: 5-32 of [A-Za-z0-9]. */
  transferNo: string;
  openid: string;
  amountFen: number;
  remark: string;
}

/** What creating the transfer came to: accepted (or already there), refused for good, or unknown (try again). */
export type TransferSubmission =
  | { kind: 'accepted' }
  | { kind: 'refused'; reason: string }
  | { kind: 'unknown'; reason: string };

/** The transfer's state at WeChat Pay: not there (never created), still moving, paid, or failed. */
export type TransferState =
  | { kind: 'not_found' }
  | { kind: 'pending'; state: string }
  | { kind: 'success'; detailId: string }
  | { kind: 'failed'; reason: string };

const detailSchema = z.object({
  out_detail_no: z.string(),
  detail_id: z.string().optional(),
  detail_status: z.string(),
  transfer_amount: z.number().int().optional(),
  fail_reason: z.string().optional(),
});

export function isTransferNo(text: string): boolean {
  return /^[A-Za-z0-9]{5,32}$/.test(text);
}

export async function submitTransfer(
  client: PayClient,
  config: WechatMerchantConfig,
  request: TransferRequest,
): Promise<TransferSubmission> {
  const remark = request.remark.slice(0, 32);
  let answer: PayAnswer;
  try {
    answer = await client.call('POST', '/v3/transfer/batches', {
      appid: config.appId,
      out_batch_no: request.transferNo,
      batch_name: remark,
      batch_remark: remark,
      total_amount: request.amountFen,
      total_num: 1,
      transfer_detail_list: [
        {
          out_detail_no: request.transferNo,
          transfer_amount: request.amountFen,
          transfer_remark: remark,
          openid: request.openid,
        },
      ],
    });
  } catch (err) {
    return { kind: 'unknown', reason: String(err instanceof Error ? err.message : err) };
  }
  if (answer.status >= 200 && answer.status < 300) return { kind: 'accepted' };
  const code = errorCodeOf(answer) ?? `HTTP_${answer.status}`;
  // The same out_batch_no again: the first request got through and its answer was lost.
  if (code === 'ALREADY_EXISTS') return { kind: 'accepted' };
  // Rate limited or busy: nothing was created; the next follow-up sends the same batch again.
  if (answer.status === 429 || code === 'FREQUENCY_LIMITED' || code === 'SYSTEM_ERROR') {
    return { kind: 'unknown', reason: code };
  }
  return { kind: 'refused', reason: code };
}

export async function queryTransfer(client: PayClient, transferNo: string): Promise<TransferState> {
  const answer = await client.call(
    'GET',
    `/v3/transfer/batches/out-batch-no/${transferNo}/details/out-detail-no/${transferNo}`,
  );
  if (answer.status === 404) return { kind: 'not_found' };
  const detail = detailSchema.safeParse(answer.json);
  if (answer.status !== 200 || !detail.success) {
    return { kind: 'pending', state: errorCodeOf(answer) ?? `HTTP_${answer.status}` };
  }
  const { detail_status: state, detail_id: detailId, fail_reason: reason } = detail.data;
  if (state === 'SUCCESS') return { kind: 'success', detailId: detailId ?? transferNo };
  if (state === 'FAIL') return { kind: 'failed', reason: reason ?? 'FAIL' };
  return { kind: 'pending', state };
}
