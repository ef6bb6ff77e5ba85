// Signed calls to the WeChat Pay v3 merchant API for payouts and bills (client.ts serves payments and refunds), with verified answers, retried on timeouts and 5xx with backoff.
// Every caller passes an idempotent key in the request itself (out_batch_no, a bill date), so a retry after a lost
// answer names the same operation and WeChat Pay performs it once.
import { z } from 'zod';
import { type WechatMerchantConfig, WechatPayError } from './config';
import { randomNonce, verifyNotificationSignature } from './crypto';
import { wechatAuthorization } from './prepay';

export const WECHATPAY_API_BASE = 'https://api.mch.weixin.qq.com';

export interface CallOptions {
  fetcher: typeof fetch;
  /** Defaults to WeChat Pay's own host; the browser tests point it at a fake. */
  apiBase?: string;
  attempts?: number;
  timeoutMs?: number;
  /** Waits between attempts: base × 2^n (tests pass 0). */
  backoffMs?: number;
  now?: () => number;
}

export interface WechatAnswer {
  status: number;
  json: unknown;
  text: string;
}

const errorSchema = z.object({ code: z.string(), message: z.string() });

/** WeChat Pay's error code (e.g. 'NOT_FOUND', 'ALREADY_EXISTS') of a 4xx answer, if it sent one. */
export function errorCodeOf(answer: WechatAnswer): string | null {
  const parsed = errorSchema.safeParse(answer.json);
  return parsed.success ? parsed.data.code : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One v3 call. Answers 2xx and 4xx come back when WeChat Pay's signature on them verifies; timeouts,
 * network errors and 5xx are retried, and after the last attempt throw WechatPayError('gateway').
 */
export async function callWechatPay(
  config: WechatMerchantConfig,
  request: { method: 'GET' | 'POST'; pathWithQuery: string; body?: unknown },
  options: CallOptions,
): Promise<WechatAnswer> {
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? 500;
  const now = options.now ?? Date.now;
  const base = (options.apiBase || WECHATPAY_API_BASE).replace(/\/+$/, '');
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  let last = 'no attempt';
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0 && backoff > 0) await sleep(backoff * 2 ** (attempt - 1));
    // Signed afresh each time: the timestamp and nonce must be new, the body (and its idempotent key) is the same.
    const authorization = await wechatAuthorization(config, {
      method: request.method,
      pathWithQuery: request.pathWithQuery,
      body,
      timestamp: Math.floor(now() / 1000),
      nonce: randomNonce(),
    });
    let response: Response;
    try {
      response = await options.fetcher(`${base}${request.pathWithQuery}`, {
        method: request.method,
        headers: {
          Authorization: authorization,
          Accept: 'application/json',
          'User-Agent': 'agentry-wechatpay/1',
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(request.body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      last = `unreachable: ${String(err)}`;
      continue;
    }
    const text = await response.text();
    if (response.status >= 500) {
      last = `answered ${response.status}`;
      continue;
    }
    // Refusals are signed too, and a refusal ends a transfer as failed (its money returns): an unsigned one could be
    // anyone's, so it counts as no answer at all.
    const check = await verifyNotificationSignature(response.headers, text, config, now());
    if (check !== 'ok') throw new WechatPayError('gateway', `WeChat Pay's answer failed verification: ${check}`);
    return { status: response.status, json: safeJson(text), text };
  }
  throw new WechatPayError('gateway', `WeChat Pay ${request.pathWithQuery.split('?')[0]}: ${last}`);
}

/** Downloads a bill file from the download_url WeChat Pay gave (signed like any call; the file itself is not). */
export async function downloadSigned(
  config: WechatMerchantConfig,
  downloadUrl: string,
  options: CallOptions,
): Promise<Uint8Array> {
  const url = new URL(downloadUrl);
  const pathWithQuery = `${url.pathname}${url.search}`;
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? 500;
  const now = options.now ?? Date.now;
  let last = 'no attempt';
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0 && backoff > 0) await sleep(backoff * 2 ** (attempt - 1));
    const authorization = await wechatAuthorization(config, {
      method: 'GET',
      pathWithQuery,
      body: '',
      timestamp: Math.floor(now() / 1000),
      nonce: randomNonce(),
    });
    try {
      const response = await options.fetcher(downloadUrl, {
        headers: { Authorization: authorization, 'User-Agent': 'agentry-wechatpay/1' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
      });
      if (response.ok) return new Uint8Array(await response.arrayBuffer());
      last = `answered ${response.status}`;
      if (response.status < 500) break;
    } catch (err) {
      last = `unreachable: ${String(err)}`;
    }
  }
  throw new WechatPayError('gateway', `WeChat Pay bill download: ${last}`);
}
