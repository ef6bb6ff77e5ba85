import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../worker/index';
import type { PaymentTransaction } from '../../worker/lib/wechatpay/notification';
import { type ApiInit, BASE, type Res } from '../helpers';
import { randomAscii, signAndEncryptNotification } from '../wechatpay-fixtures';

// Requests go to the Worker's own fetch handler, the one SELF.fetch reaches, with a real Request and execution
// context. Not through SELF: under @cloudflare/vitest-pool-workers 0.15 every SELF.fetch gets slower with the number
// made before it in the file (measured here: 13 → 62 → 185 ms per request over three rounds of 300; workers-sdk
// issue #15446), and a simulation makes thousands. Each answer waits for the request's waitUntil work, so a step's
// writes are all done before the next step reads.
export async function send<T = Record<string, unknown>>(path: string, init: ApiInit = {}): Promise<Res<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const body = init.body !== undefined ? JSON.stringify(init.body) : init.raw;
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const request = new Request(`${BASE}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request as Parameters<typeof worker.fetch>[0], env, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

let platformKey: Promise<CryptoKey> | undefined;
function platformPrivateKey(): Promise<CryptoKey> {
  platformKey ??= crypto.subtle.importKey(
    'pkcs8',
    Uint8Array.from(
      atob(env.TEST_WECHAT_PLATFORM_PRIVATE_KEY.replace(/-----[^-]+-----/g, '').replace(/\s/g, '')),
      (ch) => ch.charCodeAt(0),
    ),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return platformKey;
}

// A WeChat Pay notification exactly as WeChat sends it (signed with the platform key, resource encrypted).
export async function notify(tx: PaymentTransaction, eventId?: string): Promise<Res<unknown>> {
  const signed = await signAndEncryptNotification({
    transaction: tx,
    privateKey: await platformPrivateKey(),
    apiV3Key: env.WECHAT_APIV3_KEY,
    serial: env.WECHAT_PLATFORM_SERIAL,
    timestamp: Math.floor(Date.now() / 1000),
    nonce: randomAscii(32),
    ...(eventId ? { eventId } : {}),
  });
  const headers: Record<string, string> = {};
  signed.headers.forEach((v, k) => {
    headers[k] = v;
  });
  return send('/api/payments/wechat/notify', { method: 'POST', raw: signed.body, headers });
}
