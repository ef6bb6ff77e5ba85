// Payment notifications (支付结果通知): verify, decrypt and check one, and the answer WeChat Pay expects back.
import { z } from 'zod';
import { type WechatPayConfig, WechatPayError } from './config';
import { decryptResource, type SignatureCheck, verifyNotificationSignature } from './crypto';

export interface PaymentTransaction {
  out_trade_no: string;
  transaction_id: string;
  trade_state: string;
  /** In fen. The caller must compare `total` with the order's amount before marking it paid. */
  amount: { total: number; payer_total?: number; currency: string };
  mchid: string;
  appid: string;
  success_time?: string;
  payer?: { openid: string };
}

const resourceSchema = z.object({
  algorithm: z.string(),
  ciphertext: z.string(),
  associated_data: z.string().optional(),
  nonce: z.string(),
  original_type: z.string().optional(),
});

const envelopeSchema = z.object({
  id: z.string().min(1),
  create_time: z.string(),
  event_type: z.string(),
  resource_type: z.string(),
  resource: resourceSchema,
});

// Unknown fields (trade_type, bank_type, attach, promotion_detail, …) are dropped, not refused: WeChat adds fields.
const transactionSchema = z.object({
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1),
  trade_state: z.string(),
  amount: z.object({
    total: z.number().int().positive(),
    payer_total: z.number().int().nonnegative().optional(),
    currency: z.string(),
  }),
  mchid: z.string(),
  appid: z.string(),
  success_time: z.string().optional(),
  payer: z.object({ openid: z.string() }).optional(),
}) satisfies z.ZodType<PaymentTransaction>;

export type NotificationRefusal =
  | Exclude<SignatureCheck, 'ok'>
  | 'malformed' // the body is not the JSON envelope WeChat documents
  | 'unexpected_event' // signed, but not a TRANSACTION.SUCCESS with an encrypted resource
  | 'decrypt_failed' // signed, but the resource does not decrypt with our APIv3 key
  | 'bad_transaction' // decrypted, but not a transaction of the documented shape
  | 'not_success' // trade_state is not SUCCESS
  | 'merchant_mismatch' // mchid or appid is not ours
  | 'misconfigured'; // our own keys are unusable

export type PaymentNotification =
  | { ok: true; eventId: string; transaction: PaymentTransaction }
  | { ok: false; reason: NotificationRefusal };

/**
 * The part every v3 notification shares: the signature verified, the envelope read, the event accepted by
 * `accepts`, and the resource decrypted to JSON. Never throws: every problem is a reason.
 */
export async function openNotification(
  headers: Headers,
  body: string,
  config: WechatPayConfig,
  now: number,
  accepts: (eventType: string) => boolean,
): Promise<{ ok: true; eventId: string; decrypted: unknown } | { ok: false; reason: NotificationRefusal }> {
  try {
    const check = await verifyNotificationSignature(headers, body, config, now);
    if (check !== 'ok') return { ok: false, reason: check };

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) return { ok: false, reason: 'malformed' };
    const { id, event_type, resource_type, resource } = envelope.data;
    if (!accepts(event_type) || resource_type !== 'encrypt-resource') {
      return { ok: false, reason: 'unexpected_event' };
    }

    let plain: string;
    try {
      plain = await decryptResource(resource, config.apiV3Key);
    } catch (err) {
      if (err instanceof WechatPayError && err.code === 'config') return { ok: false, reason: 'misconfigured' };
      return { ok: false, reason: 'decrypt_failed' };
    }
    try {
      return { ok: true, eventId: id, decrypted: JSON.parse(plain) };
    } catch {
      return { ok: false, reason: 'bad_transaction' };
    }
  } catch {
    // Only an unusable configured key gets here (verification and decryption catch the rest).
    return { ok: false, reason: 'misconfigured' };
  }
}

/**
 * Verifies, decrypts and checks a payment notification (支付成功通知). Never throws: every problem is a reason.
 * `eventId` is the notification id; the same payment may be notified more than once, with the same
 * transaction_id, so the caller applies it idempotently (by out_trade_no / transaction_id).
 */
export async function parsePaymentNotification(
  headers: Headers,
  body: string,
  config: WechatPayConfig,
  now: number,
): Promise<PaymentNotification> {
  const opened = await openNotification(headers, body, config, now, (e) => e === 'TRANSACTION.SUCCESS');
  if (!opened.ok) return opened;
  const transaction = transactionSchema.safeParse(opened.decrypted);
  if (!transaction.success) return { ok: false, reason: 'bad_transaction' };
  if (transaction.data.mchid !== config.mchId || transaction.data.appid !== config.appId) {
    return { ok: false, reason: 'merchant_mismatch' };
  }
  if (transaction.data.trade_state !== 'SUCCESS') return { ok: false, reason: 'not_success' };
  return { ok: true, eventId: opened.eventId, transaction: transaction.data };
}

/** Success answer: v3 wants 200 or 204 and no body. Send it only after the payment is durably recorded. */
export function wechatAck(): { status: 200; body: null } {
  return { status: 200, body: null };
}

export type WechatNackStatus = 400 | 401 | 500;

// WeChat only tells success (2XX) from failure (4XX/5XX): on any failure it retries on its schedule (15s, 15s, 30s,
// 3m, … about 24h in all) and then gives up. The status only says whose fault it is, for our logs and alerts:
// - 401 when the request is not proven to come from WeChat (missing headers, unknown serial, stale, bad signature).
//   A forger's retries cost nothing; a genuine notice refused during a key rotation or clock fault gets through
//   once the config is fixed, within the retry window. Acking instead would lose that payment's notice.
// - 400 when the message is authentic but not something we act on (malformed, other event, wrong merchant, not paid).
//   Retries are harmless and the order can still be reconciled by querying the order API.
// - 500 when we are at fault (our keys are unusable, the APIv3 key was changed, the database failed): we want the
//   retries, because they will succeed once we are fixed.
const nackStatus: Record<NotificationRefusal, WechatNackStatus> = {
  missing_headers: 401,
  unknown_serial: 401,
  stale: 401,
  bad_signature: 401,
  malformed: 400,
  unexpected_event: 400,
  bad_transaction: 400,
  not_success: 400,
  merchant_mismatch: 400,
  // The signature was good, so a ciphertext that does not authenticate means our APIv3 key is wrong.
  decrypt_failed: 500,
  misconfigured: 500,
};

function isRefusal(message: string): message is NotificationRefusal {
  return Object.hasOwn(nackStatus, message);
}

/**
 * Failure answer `{"code": "FAIL", "message": …}` so WeChat retries. Pass a NotificationRefusal to get its status
 * (see above); any other message (e.g. a database failure while recording the payment) answers 500.
 */
export function wechatNack(message: string): { status: WechatNackStatus; body: { code: 'FAIL'; message: string } } {
  // v3 limits message to 64 characters.
  return {
    status: isRefusal(message) ? nackStatus[message] : 500,
    body: { code: 'FAIL', message: message.slice(0, 64) || '失败' },
  };
}
