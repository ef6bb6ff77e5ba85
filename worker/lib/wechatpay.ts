// WeChat Pay API v3 (微信支付 APIv3) for a direct merchant (普通商户): payment notifications (支付结果通知)
// and JSAPI prepay. WebCrypto only, so it runs in the Workers runtime.
import { z } from 'zod';

export interface WechatPayConfig {
  mchId: string;
  appId: string;
  /** APIv3 key (APIv3密钥) set in the merchant portal: 32 ASCII characters. */
  apiV3Key: string;
  /** WeChat Pay platform public key (微信支付公钥), SPKI PEM: '-----BEGIN PUBLIC KEY-----'. */
  platformPublicKeyPem: string;
  /** Its id as WeChat sends it in Wechatpay-Serial (e.g. 'PUB_KEY_ID_0112…'). */
  platformSerial: string;
}

export type WechatPayErrorCode = 'config' | 'decrypt' | 'invalid_request' | 'gateway';

export class WechatPayError extends Error {
  override readonly name = 'WechatPayError';
  constructor(
    readonly code: WechatPayErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const API_BASE = 'https://api.mch.weixin.qq.com';
const SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048';
// WeChat's own clients allow 5 minutes of clock difference; wider would widen the replay window.
const MAX_SKEW_SECONDS = 300;
const RSA: RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

// Throws on anything that is not base64; callers turn that into their own refusal.
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}

function pemBody(pem: string, label: string, hint: string): Uint8Array<ArrayBuffer> {
  const match = pem.match(new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`));
  if (!match?.[1]) throw new WechatPayError('config', `Expected a '${label}' PEM: ${hint}`);
  try {
    return fromBase64(match[1].replace(/\s+/g, ''));
  } catch {
    throw new WechatPayError('config', `The '${label}' PEM is not valid base64`);
  }
}

// Importing a key costs more than verifying with it, and an isolate serves many requests: keep the imported keys.
const keyCache = new Map<string, Promise<CryptoKey>>();

function importRsaKey(pem: string, kind: 'public' | 'private'): Promise<CryptoKey> {
  const cacheKey = `${kind}\n${pem}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = (async () => {
      try {
        return kind === 'public'
          ? await crypto.subtle.importKey(
              'spki',
              pemBody(pem, 'PUBLIC KEY', 'the platform public key (pub_key.pem), not a certificate'),
              RSA,
              false,
              ['verify'],
            )
          : await crypto.subtle.importKey(
              'pkcs8',
              pemBody(pem, 'PRIVATE KEY', 'apiclient_key.pem in PKCS#8 (convert with openssl pkcs8 -topk8 -nocrypt)'),
              RSA,
              false,
              ['sign'],
            );
      } catch (err) {
        keyCache.delete(cacheKey);
        if (err instanceof WechatPayError) throw err;
        throw new WechatPayError('config', `Cannot import the ${kind} RSA key: ${String(err)}`);
      }
    })();
    keyCache.set(cacheKey, key);
  }
  return key;
}

async function rsaSign(privateKeyPem: string, message: string): Promise<string> {
  const key = await importRsaKey(privateKeyPem, 'private');
  return toBase64(new Uint8Array(await crypto.subtle.sign(RSA, key, encoder.encode(message))));
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
}

export type SignatureCheck = 'ok' | 'bad_signature' | 'stale' | 'unknown_serial' | 'missing_headers';

/**
 * Verifies a notification (or an API response) signed by WeChat Pay: Wechatpay-Signature is RSASSA-PKCS1-v1_5
 * SHA-256 over `${Wechatpay-Timestamp}\n${Wechatpay-Nonce}\n${body}\n`. `body` must be the raw text as received.
 * `now` is epoch milliseconds. Throws WechatPayError('config') only when the configured public key is unusable.
 */
export async function verifyNotificationSignature(
  headers: Headers,
  body: string,
  config: WechatPayConfig,
  now: number,
): Promise<SignatureCheck> {
  const signature = headers.get('Wechatpay-Signature');
  const timestamp = headers.get('Wechatpay-Timestamp');
  const nonce = headers.get('Wechatpay-Nonce');
  const serial = headers.get('Wechatpay-Serial');
  if (!signature || !timestamp || !nonce || !serial) return 'missing_headers';
  // A signature made with a key we do not hold cannot be checked; after a key rotation the config must follow.
  if (serial !== config.platformSerial) return 'unknown_serial';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return 'stale';
  const type = headers.get('Wechatpay-Signature-Type');
  if (type !== null && type !== SIGNATURE_TYPE) return 'bad_signature';

  const key = await importRsaKey(config.platformPublicKeyPem, 'public');
  let signatureBytes: Uint8Array<ArrayBuffer>;
  try {
    // WeChat's signature probes ('WECHATPAY/SIGNTEST/…') are not base64 and land here, as they must.
    signatureBytes = fromBase64(signature);
  } catch {
    return 'bad_signature';
  }
  const message = encoder.encode(`${timestamp}\n${nonce}\n${body}\n`);
  return (await crypto.subtle.verify(RSA, key, signatureBytes, message)) ? 'ok' : 'bad_signature';
}

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
  original_type?: string;
}

/**
 * Decrypts an AEAD_AES_256_GCM resource with the APIv3 key. Throws WechatPayError: 'config' when the key is not
 * 32 bytes, 'decrypt' when the resource is malformed or does not authenticate (wrong key, tampered data).
 */
export async function decryptResource(resource: EncryptedResource, apiV3Key: string): Promise<string> {
  const keyBytes = encoder.encode(apiV3Key);
  if (keyBytes.length !== 32) throw new WechatPayError('config', 'The APIv3 key must be 32 bytes');
  if (resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw new WechatPayError('decrypt', `Unsupported algorithm ${resource.algorithm}`);
  }
  const iv = encoder.encode(resource.nonce);
  if (iv.length !== 12) throw new WechatPayError('decrypt', 'The nonce must be 12 bytes');
  let data: Uint8Array<ArrayBuffer>;
  try {
    data = fromBase64(resource.ciphertext);
  } catch {
    throw new WechatPayError('decrypt', 'The ciphertext is not base64');
  }
  // The last 16 bytes are the GCM tag, which WebCrypto expects appended to the ciphertext.
  if (data.length < 16) throw new WechatPayError('decrypt', 'The ciphertext is shorter than its tag');
  const key = await crypto.subtle.importKey('raw', keyBytes, 'AES-GCM', false, ['decrypt']);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(resource.associated_data ?? ''), tagLength: 128 },
      key,
      data,
    );
  } catch {
    throw new WechatPayError('decrypt', 'The resource does not authenticate with this APIv3 key');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw new WechatPayError('decrypt', 'The decrypted resource is not UTF-8');
  }
}

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
    if (event_type !== 'TRANSACTION.SUCCESS' || resource_type !== 'encrypt-resource') {
      return { ok: false, reason: 'unexpected_event' };
    }

    let plain: string;
    try {
      plain = await decryptResource(resource, config.apiV3Key);
    } catch (err) {
      if (err instanceof WechatPayError && err.code === 'config') return { ok: false, reason: 'misconfigured' };
      return { ok: false, reason: 'decrypt_failed' };
    }
    let decrypted: unknown;
    try {
      decrypted = JSON.parse(plain);
    } catch {
      return { ok: false, reason: 'bad_transaction' };
    }
    const transaction = transactionSchema.safeParse(decrypted);
    if (!transaction.success) return { ok: false, reason: 'bad_transaction' };
    if (transaction.data.mchid !== config.mchId || transaction.data.appid !== config.appId) {
      return { ok: false, reason: 'merchant_mismatch' };
    }
    if (transaction.data.trade_state !== 'SUCCESS') return { ok: false, reason: 'not_success' };
    return { ok: true, eventId: id, transaction: transaction.data };
  } catch {
    // Only an unusable configured key gets here (verification and decryption catch the rest).
    return { ok: false, reason: 'misconfigured' };
  }
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

export interface PaymentGateway {
  /**
   * Creates a JSAPI prepay order (JSAPI下单): POST https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi, signed
   * with the merchant certificate's private key (Authorization: WECHATPAY2-SHA256-RSA2048 …). Needs the internet.
   * `orderId` becomes out_trade_no (6–32 of [0-9A-Za-z_-|*], unique per merchant); `payerOpenId` is the buyer's
   * openid under `appId` (from snsapi_base OAuth); `notifyUrl` must be https without a query string.
   */
  createPrepay(input: {
    orderId: string;
    description: string;
    amountFen: number;
    payerOpenId: string;
    notifyUrl: string;
  }): Promise<{ prepayId: string }>;
}

export interface WechatMerchantConfig extends WechatPayConfig {
  /** Merchant API private key (apiclient_key.pem), PKCS#8 PEM: '-----BEGIN PRIVATE KEY-----'. */
  merchantPrivateKeyPem: string;
  /** Serial number of the merchant API certificate (商户API证书序列号). */
  merchantSerial: string;
}

/** The Authorization header value for a v3 API request. `timestamp` is epoch seconds. */
export async function wechatAuthorization(
  config: Pick<WechatMerchantConfig, 'mchId' | 'merchantPrivateKeyPem' | 'merchantSerial'>,
  request: { method: string; pathWithQuery: string; body: string; timestamp: number; nonce: string },
): Promise<string> {
  const { method, pathWithQuery, body, timestamp, nonce } = request;
  const signature = await rsaSign(
    config.merchantPrivateKeyPem,
    `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`,
  );
  return (
    `${SIGNATURE_TYPE} mchid="${config.mchId}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${timestamp}",serial_no="${config.merchantSerial}"`
  );
}

const prepayResponseSchema = z.object({ prepay_id: z.string().min(1) });
const errorResponseSchema = z.object({ code: z.string(), message: z.string() });

export function createWechatGateway(config: WechatMerchantConfig, fetcher: typeof fetch): PaymentGateway {
  return {
    async createPrepay(input) {
      if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(input.orderId)) {
        throw new WechatPayError('invalid_request', 'orderId must be 6-32 of [0-9A-Za-z_-|*]');
      }
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
        throw new WechatPayError('invalid_request', 'amountFen must be a positive integer');
      }
      if (input.description.length === 0 || input.description.length > 127) {
        throw new WechatPayError('invalid_request', 'description must be 1-127 characters');
      }
      const path = '/v3/pay/transactions/jsapi';
      const body = JSON.stringify({
        appid: config.appId,
        mchid: config.mchId,
        description: input.description,
        out_trade_no: input.orderId,
        notify_url: input.notifyUrl,
        amount: { total: input.amountFen, currency: 'CNY' },
        payer: { openid: input.payerOpenId },
      });
      const authorization = await wechatAuthorization(config, {
        method: 'POST',
        pathWithQuery: path,
        body,
        timestamp: Math.floor(Date.now() / 1000),
        nonce: randomNonce(),
      });
      let response: Response;
      try {
        response = await fetcher(`${API_BASE}${path}`, {
          method: 'POST',
          headers: {
            Authorization: authorization,
            Accept: 'application/json',
            'Content-Type': 'application/json',
            // v3 refuses requests without a User-Agent.
            'User-Agent': 'agentry-wechatpay/1',
          },
          body,
        });
      } catch (err) {
        throw new WechatPayError('gateway', `WeChat Pay is unreachable: ${String(err)}`);
      }
      const text = await response.text();
      if (!response.ok) {
        const error = errorResponseSchema.safeParse(safeJson(text));
        const detail = error.success ? `${error.data.code}: ${error.data.message}` : text.slice(0, 200);
        throw new WechatPayError('gateway', `WeChat Pay answered ${response.status} ${detail}`);
      }
      // Answers are signed like notifications; an unsigned "success" is not from WeChat Pay.
      const check = await verifyNotificationSignature(response.headers, text, config, Date.now());
      if (check !== 'ok') throw new WechatPayError('gateway', `WeChat Pay's answer failed verification: ${check}`);
      const parsed = prepayResponseSchema.safeParse(safeJson(text));
      if (!parsed.success) throw new WechatPayError('gateway', 'WeChat Pay answered without a prepay_id');
      return { prepayId: parsed.data.prepay_id };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/**
 * The object the page passes to WeixinJSBridge.invoke('getBrandWCPayRequest', …) or wx.chooseWXPay (there as
 * `timestamp`). paySign is RSASSA-PKCS1-v1_5 SHA-256 with the merchant key over
 * `${appId}\n${timeStamp}\n${nonceStr}\nprepay_id=${prepayId}\n`. `now` is epoch milliseconds.
 */
export async function jsapiPayParams(
  config: Pick<WechatMerchantConfig, 'appId' | 'merchantPrivateKeyPem'>,
  prepayId: string,
  now: number = Date.now(),
): Promise<JsapiPayParams> {
  const timeStamp = String(Math.floor(now / 1000));
  const nonceStr = randomNonce();
  const pkg = `prepay_id=${prepayId}`;
  const paySign = await rsaSign(config.merchantPrivateKeyPem, `${config.appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`);
  return { appId: config.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}
