// Builds what WeChat Pay sends and answers, with keys made here, so payment flows can be tested offline.
import type { WechatMerchantConfig } from '../worker/lib/wechatpay/config';
import type { PaymentTransaction } from '../worker/lib/wechatpay/notification';

const RSA_GEN: SubtleCryptoGenerateKeyAlgorithm = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const RSA: SubtleCryptoImportKeyAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const encoder = new TextEncoder();

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function toPem(label: string, der: ArrayBuffer): string {
  const lines = toBase64(new Uint8Array(der)).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export interface RsaTestKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** SPKI, as WeChat's platform public key (pub_key.pem). */
  publicKeyPem: string;
  /** PKCS#8, as the merchant's apiclient_key.pem. */
  privateKeyPem: string;
}

export async function generateRsaKeys(): Promise<RsaTestKeys> {
  const pair = (await crypto.subtle.generateKey(RSA_GEN, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = (await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer;
  const pkcs8 = (await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer;
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicKeyPem: toPem('PUBLIC KEY', spki),
    privateKeyPem: toPem('PRIVATE KEY', pkcs8),
  };
}

export async function rsaSign(privateKey: CryptoKey, message: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign(RSA, privateKey, encoder.encode(message))));
}

export async function rsaVerify(publicKey: CryptoKey, signatureB64: string, message: string): Promise<boolean> {
  const signature = Uint8Array.from(atob(signatureB64), (ch) => ch.charCodeAt(0));
  return crypto.subtle.verify(RSA, publicKey, signature, encoder.encode(message));
}

export function randomAscii(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...crypto.getRandomValues(new Uint8Array(length))].map((b) => alphabet[b % alphabet.length]).join('');
}

/** The Wechatpay-* headers WeChat Pay puts on a notification or an API answer. `timestamp` is epoch seconds. */
export async function wechatSignedHeaders(input: {
  body: string;
  privateKey: CryptoKey;
  serial: string;
  timestamp: number;
  nonce: string;
}): Promise<Headers> {
  const { body, privateKey, serial, timestamp, nonce } = input;
  return new Headers({
    'Content-Type': 'application/json',
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': serial,
    'Wechatpay-Signature': await rsaSign(privateKey, `${timestamp}\n${nonce}\n${body}\n`),
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    'Wechatpay-Timestamp': String(timestamp),
  });
}

/** AEAD_AES_256_GCM as WeChat does it: the 16-byte tag is appended to the ciphertext, then base64. */
export async function encryptResource(
  plaintext: string,
  apiV3Key: string,
  nonce: string,
  associatedData: string,
): Promise<{ algorithm: 'AEAD_AES_256_GCM'; ciphertext: string; associated_data: string; nonce: string }> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(apiV3Key), 'AES-GCM', false, ['encrypt']);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: encoder.encode(nonce), additionalData: encoder.encode(associatedData), tagLength: 128 },
    key,
    encoder.encode(plaintext),
  );
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: toBase64(new Uint8Array(sealed)),
    associated_data: associatedData,
    nonce,
  };
}

export interface NotificationInput {
  /** The decrypted resource; any object, so tests can send a wrong shape. */
  transaction: PaymentTransaction | Record<string, unknown>;
  /** The platform private key WeChat signs with. */
  privateKey: CryptoKey;
  apiV3Key: string;
  serial: string;
  /** Epoch seconds. */
  timestamp: number;
  nonce: string;
  eventId?: string;
  eventType?: string;
}

/** A payment notification exactly as WeChat Pay POSTs it to notify_url: headers and the raw JSON body. */
export async function signAndEncryptNotification(
  input: NotificationInput,
): Promise<{ headers: Headers; body: string }> {
  const { transaction, privateKey, apiV3Key, serial, timestamp, nonce } = input;
  const resource = await encryptResource(JSON.stringify(transaction), apiV3Key, randomAscii(12), 'transaction');
  const body = JSON.stringify({
    id: input.eventId ?? crypto.randomUUID(),
    create_time: new Date(timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    resource_type: 'encrypt-resource',
    event_type: input.eventType ?? 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { original_type: 'transaction', ...resource },
  });
  return { headers: await wechatSignedHeaders({ body, privateKey, serial, timestamp, nonce }), body };
}

export interface WechatPayTestKit {
  config: WechatMerchantConfig;
  platform: RsaTestKeys;
  merchant: RsaTestKeys;
  /** A successful payment as WeChat would report it for this merchant. */
  transaction(over: { out_trade_no: string; total: number; openid?: string }): PaymentTransaction;
  /** A signed, encrypted notification for `transaction`, timestamped at `now` (epoch ms). */
  notification(transaction: PaymentTransaction, now?: number): Promise<{ headers: Headers; body: string }>;
}

/** Fresh platform and merchant keys plus a matching config. Key generation is slow: make one kit per file. */
export async function createWechatPayTestKit(): Promise<WechatPayTestKit> {
  const [platform, merchant] = await Promise.all([generateRsaKeys(), generateRsaKeys()]);
  const config: WechatMerchantConfig = {
    mchId: '1900000109',
    appId: 'wx8888888888888888',
    apiV3Key: randomAscii(32),
    platformPublicKeyPem: platform.publicKeyPem,
    platformSerial: 'PUB_KEY_ID_0119000001092025010100000000000001',
    merchantPrivateKeyPem: merchant.privateKeyPem,
    merchantSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  };
  return {
    config,
    platform,
    merchant,
    transaction: ({ out_trade_no, total, openid = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }) => ({
      appid: config.appId,
      mchid: config.mchId,
      out_trade_no,
      transaction_id: `4200${randomAscii(24).replace(/\D/g, '7')}`,
      trade_state: 'SUCCESS',
      success_time: '2025-01-01T12:00:00+08:00',
      payer: { openid },
      amount: { total, payer_total: total, currency: 'CNY' },
    }),
    notification: (transaction, now = Date.now()) =>
      signAndEncryptNotification({
        transaction,
        privateKey: platform.privateKey,
        apiV3Key: config.apiV3Key,
        serial: config.platformSerial,
        timestamp: Math.floor(now / 1000),
        nonce: randomAscii(32),
      }),
  };
}

export interface CapturedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

/** A stand-in for api.mch.weixin.qq.com: records requests and answers as WeChat Pay would, signed by the platform. */
export function fakeWechatFetcher(
  kit: Pick<WechatPayTestKit, 'config' | 'platform'>,
  answer: (request: CapturedRequest) => { status: number; body: unknown } = () => ({
    status: 200,
    body: { prepay_id: `wx${randomAscii(30)}` },
  }),
): { fetcher: typeof fetch; requests: CapturedRequest[] } {
  const requests: CapturedRequest[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const captured = { method: request.method, url: request.url, headers: request.headers, body: await request.text() };
    requests.push(captured);
    const { status, body } = answer(captured);
    const text = JSON.stringify(body);
    const headers = await wechatSignedHeaders({
      body: text,
      privateKey: kit.platform.privateKey,
      serial: kit.config.platformSerial,
      timestamp: Math.floor(Date.now() / 1000),
      nonce: randomAscii(32),
    });
    return new Response(text, { status, headers });
  };
  return { fetcher, requests };
}
