// The fake WeChat (OAuth and Pay v3) that test/wechat-pay-flow.test.ts drives the Worker against: an env with WeChat
// Pay and the Official Account configured, requests into the Worker, and OAuth as WeChat does it for a browser.
// `fakeFetch` serves the Worker's outbound calls to the fake's hosts (install it in a beforeAll, restore `realFetch`).
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import worker from '../worker/index';
import { createFakeWechatPay, importPem } from './browser/fakeWechatPay.mjs';
import { BASE, freshIp } from './helpers';
import { generateRsaKeys } from './wechatpay-fixtures';

export const PAY_BASE = 'https://pay.fake.test';
export const MP_BASE = 'https://mp.fake.test';
export const OPEN_BASE = 'https://open.fake.test';
export const MERCHANT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
export const MP_SECRET = 'mp-secret-for-tests';
export const WECHAT_UA = 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.50 NetType/WIFI';

export const merchant = await generateRsaKeys();
export const payEnv = {
  ...env,
  WECHAT_MERCHANT_PRIVATE_KEY: merchant.privateKeyPem,
  WECHAT_MERCHANT_SERIAL: MERCHANT_SERIAL,
  WECHATPAY_API_BASE: PAY_BASE,
  WECHATPAY_BACKOFF_MS: '5,5',
  WECHAT_MP_APPID: env.WECHAT_APP_ID,
  WECHAT_MP_SECRET: MP_SECRET,
  WECHAT_API_BASE: MP_BASE,
  WECHAT_OAUTH_BASE: OPEN_BASE,
};

export interface Res<T> {
  status: number;
  body: T;
  headers: Headers;
}

// A request to the Worker with WeChat Pay and the Official Account configured.
export async function wx<T = Record<string, unknown>>(
  path: string,
  init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Res<T>> {
  const headers = new Headers({ 'cf-connecting-ip': freshIp(), ...init.headers });
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const ctx = createExecutionContext();
  const url = path.startsWith('http') ? path : `${BASE}${path}`;
  const request = new Request(url, {
    method: init.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'manual',
  });
  const res = await worker.fetch(request as Parameters<typeof worker.fetch>[0], payEnv, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export const fake = createFakeWechatPay({
  mchId: env.WECHAT_MCH_ID,
  appId: env.WECHAT_APP_ID,
  apiV3Key: env.WECHAT_APIV3_KEY,
  platformSerial: env.WECHAT_PLATFORM_SERIAL,
  merchantSerial: MERCHANT_SERIAL,
  platformPrivateKey: await importPem(env.TEST_WECHAT_PLATFORM_PRIVATE_KEY, 'pkcs8', 'sign'),
  merchantPublicKey: merchant.publicKey,
  // WeChat's notifications reach the Worker's notify_url.
  deliver: async (url, init) => {
    const res = await wx(url, { method: init.method, raw: init.body, headers: init.headers });
    return new Response(null, { status: res.status });
  },
});

// The fake Official Account: an OAuth code stands for one openid, once.
export const codes = new Map<string, string>();
export const exchanges: URL[] = [];
export const realFetch = globalThis.fetch;

export function cookieOf(res: Res<unknown>, name: string): string | null {
  for (const line of res.headers.getSetCookie()) {
    const m = line.match(new RegExp(`^${name}=([^;]*)`));
    if (m) return m[1] ?? '';
  }
  return null;
}

// Goes through OAuth as WeChat would for a browser opening `path`; returns the visitor cookie and the openid.
export async function throughOauth(path: string) {
  const opened = await wx(path, { headers: { 'user-agent': WECHAT_UA } });
  expect(opened.status).toBe(302);
  const start = await wx(opened.headers.get('location') ?? '', { headers: { 'user-agent': WECHAT_UA } });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location') ?? '');
  expect(authorize.origin + authorize.pathname).toBe(`${OPEN_BASE}/connect/oauth2/authorize`);
  expect(authorize.searchParams.get('scope')).toBe('snsapi_base');
  expect(authorize.searchParams.get('appid')).toBe(env.WECHAT_APP_ID);
  const state = cookieOf(start, 'agentry_wx_state') ?? '';
  expect(authorize.searchParams.get('state')).toBe(state);
  const openid = `oFake${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const code = `CODE${crypto.randomUUID()}`;
  codes.set(code, openid);
  const back = new URL(authorize.searchParams.get('redirect_uri') ?? '');
  back.searchParams.set('code', code);
  back.searchParams.set('state', state);
  const callback = await wx(back.toString(), { headers: { cookie: `agentry_wx_state=${state}` } });
  expect(callback.status).toBe(302);
  expect(callback.headers.get('location')).toBe(path);
  const visitor = cookieOf(callback, 'agentry_wx');
  expect(visitor).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  return { cookie: `agentry_wx=${visitor}`, openid };
}

export const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  if (request.url.startsWith(PAY_BASE)) return fake.handle(request);
  if (request.url.startsWith(`${MP_BASE}/sns/oauth2/access_token`)) {
    const url = new URL(request.url);
    exchanges.push(url);
    const openid = codes.get(url.searchParams.get('code') ?? '');
    codes.delete(url.searchParams.get('code') ?? '');
    if (!openid || url.searchParams.get('secret') !== MP_SECRET) {
      return Response.json({ errcode: 40029, errmsg: 'invalid code' });
    }
    return Response.json({ access_token: 'AT', expires_in: 7200, refresh_token: 'RT', openid, scope: 'snsapi_base' });
  }
  return realFetch(input, init);
};
