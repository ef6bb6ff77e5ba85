// Tencent Cloud API 3.0 request signing (签名方法 v3, TC3-HMAC-SHA256) for a JSON POST to "/" with the two
// signed headers the documentation uses, content-type and host. Pure: WebCrypto only, no I/O.

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';
const SIGNED_HEADERS = 'content-type;host';

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** The product's service name, the first label of its host: "sms" for sms.tencentcloudapi.com. */
  service: string;
  host: string;
  /** Unix seconds; also X-TC-Timestamp. Tencent refuses a request more than 5 minutes off. */
  timestamp: number;
  /** The exact body bytes sent. */
  payload: string;
}

export interface Tc3Signature {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

async function hmac(key: BufferSource, message: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, encoder.encode(message));
}

/** The credential scope's date: the UTC day of the timestamp (not the local one: a UTC+8 date fails after midnight). */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export async function tc3Sign(input: Tc3Input): Promise<Tc3Signature> {
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${TC3_CONTENT_TYPE}\nhost:${input.host}\n`,
    SIGNED_HEADERS,
    await sha256Hex(input.payload),
  ].join('\n');
  const date = tc3Date(input.timestamp);
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = [TC3_ALGORITHM, String(input.timestamp), scope, await sha256Hex(canonicalRequest)].join('\n');
  const secretDate = await hmac(encoder.encode(`TC3${input.secretKey}`), date);
  const secretService = await hmac(secretDate, input.service);
  const secretSigning = await hmac(secretService, 'tc3_request');
  const signature = hex(await hmac(secretSigning, stringToSign));
  const authorization =
    `${TC3_ALGORITHM} Credential=${input.secretId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, ` +
    `Signature=${signature}`;
  return { canonicalRequest, stringToSign, signature, authorization };
}
