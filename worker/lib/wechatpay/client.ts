// The one WeChat Pay API v3 client (payments, refunds, transfers, bills): the Authorization header over method, path,
// time, nonce and body, signed afresh on each attempt; the answer's signature checked with the platform key; timeouts,
// network failures and 5xx retried with backoff. Every call made through here is idempotent at WeChat (keyed by
// out_trade_no, out_refund_no, out_batch_no or a bill date in the request), so a retry cannot pay or refund twice.
import { z } from 'zod';
import { type WechatMerchantConfig, WechatPayError } from './config';
import { randomNonce, verifyNotificationSignature } from './crypto';
import { wechatAuthorization } from './prepay';

export const WECHATPAY_API_BASE = 'https://api.mch.weixin.qq.com';

export interface PayClientOptions {
  /** WECHATPAY_API_BASE (tests point it at a fake); default https://api.mch.weixin.qq.com. */
  base?: string;
  fetcher?: typeof fetch;
  /** Waits before the 2nd, 3rd, … attempt, in milliseconds. */
  backoff?: readonly number[];
  timeoutMs?: number;
  /** A bill file can be large: its download gets longer. */
  downloadTimeoutMs?: number;
}

export interface PayAnswer {
  status: number;
  json: unknown;
}

const DEFAULT_BACKOFF = [300, 1_000];

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface PayClient {
  /** Throws WechatPayError('gateway') when every attempt failed, or the answer is unsigned or 5xx. */
  call(method: 'GET' | 'POST', pathWithQuery: string, body?: unknown): Promise<PayAnswer>;
  /** A bill file from the download_url WeChat Pay gave: the request is signed, the file is not (its hash is). */
  download(downloadUrl: string): Promise<Uint8Array>;
}

const errorSchema = z.object({ code: z.string(), message: z.string() });

/** WeChat Pay's error code (e.g. 'NOT_FOUND', 'ALREADY_EXISTS') of a 4xx answer, if it sent one. */
export function errorCodeOf(answer: PayAnswer): string | null {
  const parsed = errorSchema.safeParse(answer.json);
  return parsed.success ? parsed.data.code : null;
}

export function createPayClient(config: WechatMerchantConfig, options: PayClientOptions = {}): PayClient {
  const base = (options.base?.trim() || WECHATPAY_API_BASE).replace(/\/+$/, '');
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const timeoutMs = options.timeoutMs ?? 8_000;
  const sign = (method: string, pathWithQuery: string, body: string) =>
    wechatAuthorization(config, {
      method,
      pathWithQuery,
      body,
      timestamp: Math.floor(Date.now() / 1000),
      nonce: randomNonce(),
    });
  // Read at call time, so a test's stand-in for the network is seen.
  const doFetch: typeof fetch = (input, init) => (options.fetcher ?? globalThis.fetch)(input, init);
  async function withRetries<T>(what: string, attempt: () => Promise<T | 'retry'>): Promise<T> {
    for (let i = 0; ; i++) {
      const answer = await attempt();
      if (answer !== 'retry') return answer;
      const wait = backoff[i];
      if (wait === undefined) throw new WechatPayError('gateway', `WeChat Pay failed ${i + 1} times: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  async function attempt(method: string, pathWithQuery: string, body: string): Promise<PayAnswer | 'retry'> {
    const authorization = await sign(method, pathWithQuery, body);
    let response: Response;
    try {
      response = await doFetch(`${base}${pathWithQuery}`, {
        method,
        headers: {
          Authorization: authorization,
          Accept: 'application/json',
          ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
          // v3 refuses requests without a User-Agent.
          'User-Agent': 'agentry-wechatpay/1',
        },
        ...(method === 'POST' ? { body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return 'retry';
    }
    const text = await response.text();
    if (response.status >= 500) return 'retry';
    // 204 (e.g. closing an order) has no body and no signature to check.
    if (response.status !== 204) {
      const check = await verifyNotificationSignature(response.headers, text, config, Date.now());
      if (check !== 'ok') throw new WechatPayError('gateway', `WeChat Pay's answer failed verification: ${check}`);
    }
    return { status: response.status, json: safeJson(text) };
  }
  return {
    call(method, pathWithQuery, payload) {
      const body = payload === undefined ? '' : JSON.stringify(payload);
      return withRetries(pathWithQuery, () => attempt(method, pathWithQuery, body));
    },
    download(downloadUrl) {
      const url = new URL(downloadUrl);
      const pathWithQuery = `${url.pathname}${url.search}`;
      return withRetries('bill download', async () => {
        let response: Response;
        try {
          response = await doFetch(downloadUrl, {
            headers: { Authorization: await sign('GET', pathWithQuery, ''), 'User-Agent': 'agentry-wechatpay/1' },
            signal: AbortSignal.timeout(options.downloadTimeoutMs ?? 20_000),
          });
        } catch {
          return 'retry';
        }
        if (response.ok) return new Uint8Array(await response.arrayBuffer());
        if (response.status >= 500) return 'retry';
        throw new WechatPayError('gateway', `WeChat Pay bill download answered ${response.status}`);
      });
    },
  };
}

/** A WeChat Pay error answer's code and message, for logs. */
export function payErrorDetail(answer: PayAnswer): string {
  const json = answer.json as { code?: unknown; message?: unknown } | undefined;
  return `${answer.status} ${String(json?.code ?? '')}: ${String(json?.message ?? '')}`.slice(0, 200);
}
