// The WebCrypto side of WeChat Pay v3 (so it runs in the Workers runtime): RSA keys and signatures, checking
// WeChat's signatures, and decrypting the AEAD_AES_256_GCM resources of its notifications.
import { type WechatPayConfig, WechatPayError } from './config';

export const SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048';
// WeChat's own clients allow 5 minutes of clock difference; wider would widen the replay window.
const MAX_SKEW_SECONDS = 300;
const RSA: SubtleCryptoImportKeyAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

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

export async function rsaSign(privateKeyPem: string, message: string): Promise<string> {
  const key = await importRsaKey(privateKeyPem, 'private');
  return toBase64(new Uint8Array(await crypto.subtle.sign(RSA, key, encoder.encode(message))));
}

export function randomNonce(): string {
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
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(plain);
  } catch {
    throw new WechatPayError('decrypt', 'The decrypted resource is not UTF-8');
  }
}
