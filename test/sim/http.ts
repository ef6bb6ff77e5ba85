import { env } from 'cloudflare:test';
import type { PaymentTransaction } from '../../worker/lib/wechatpay/notification';
import { type ApiInit, api, type Res } from '../helpers';
import { randomAscii, signAndEncryptNotification } from '../wechatpay-fixtures';
import { holdPayment, paymentAnswered } from './wechat';

// Requests go to the Worker's own fetch handler, as every API test's do (test/helpers.ts workerFetch); each answer
// waits for the request's waitUntil work, so a step's writes are all done before the next step reads.
export function send<T = Record<string, unknown>>(path: string, init: ApiInit = {}): Promise<Res<T>> {
  return api<T>(path, init);
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

// A WeChat Pay notification exactly as WeChat sends it (signed with the platform key, resource encrypted), of a
// payment the fake WeChat Pay then holds (test/sim/wechat.ts), unless its amount is not the order's.
export async function notify(tx: PaymentTransaction, eventId?: string): Promise<Res<unknown>> {
  await holdPayment(tx.out_trade_no, tx.amount.total);
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
  const res = await send('/api/payments/wechat/notify', { method: 'POST', raw: signed.body, headers });
  paymentAnswered(tx.out_trade_no, tx.amount.total, res.status);
  return res;
}
