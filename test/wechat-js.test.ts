import { env } from 'cloudflare:test';
import { like } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { newMeter } from '../db/metered';
import { kvCache } from '../db/schema';
import { jsSignatureBase, onSafeDomain, parseSafeDomains, withoutFragment } from '../worker/domain/wechatSign';
import { AppError } from '../worker/errors';
import {
  forgetWechatJsCache,
  jsapiTicket,
  type MpConfig,
  mpConfig,
  sha1Hex,
  signJsConfig,
  type WechatFetch,
} from '../worker/lib/wechatJs';
import { api, type ErrorBody, expectError, freshIp } from './helpers';

describe('JS-SDK signature', () => {
  it('matches the example WeChat publishes (附录1)', async () => {
    const base = jsSignatureBase({
      ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
      nonceStr: 'Wm3WZYTPz0wzccnW',
      timestamp: 1414587457,
      url: 'http://mp.weixin.qq.com?params=value',
    });
    expect(base).toBe(
      'jsapi_ticket=sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg' +
        '&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=http://mp.weixin.qq.com?params=value',
    );
    expect(await sha1Hex(base)).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });

  it('signs with a fresh nonce and a timestamp in seconds', async () => {
    const now = 1_700_000_000_123;
    const a = await signJsConfig('wxapp', 'TICKET', 'https://a.example/s/x?y=1', now);
    const b = await signJsConfig('wxapp', 'TICKET', 'https://a.example/s/x?y=1', now);
    expect(a.timestamp).toBe(1_700_000_000);
    expect(a.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(a.nonceStr).not.toBe(b.nonceStr);
    const base = jsSignatureBase({
      ticket: 'TICKET',
      nonceStr: a.nonceStr,
      timestamp: a.timestamp,
      url: 'https://a.example/s/x?y=1',
    });
    expect(a.signature).toBe(await sha1Hex(base));
    expect(a.signature).toMatch(/^[0-9a-f]{40}$/);
  });

  it('drops the #fragment and keeps the query', () => {
    expect(withoutFragment('https://a.example/s/x?from=singlemessage#top')).toBe(
      'https://a.example/s/x?from=singlemessage',
    );
    expect(withoutFragment('https://a.example/s/x')).toBe('https://a.example/s/x');
  });
});

describe('JS safe domain', () => {
  const domains = parseSafeDomains(' Shop.Example.com , https://m.example.net/store/ ');
  it('reads a comma-separated setting, tolerating a scheme and a trailing slash', () => {
    expect(domains).toEqual(['shop.example.com', 'm.example.net/store']);
    expect(parseSafeDomains(undefined)).toEqual([]);
  });
  it('accepts the domain and its subdomains, under the path when one is set', () => {
    expect(onSafeDomain(new URL('https://shop.example.com/s/ab12cd34'), domains)).toBe(true);
    expect(onSafeDomain(new URL('http://a.shop.example.com/'), domains)).toBe(true);
    expect(onSafeDomain(new URL('https://m.example.net/store/s/x'), domains)).toBe(true);
  });
  it('refuses other hosts, look-alikes and other paths', () => {
    expect(onSafeDomain(new URL('https://evilshop.example.com/'), domains)).toBe(false);
    expect(onSafeDomain(new URL('https://shop.example.com.evil.cn/'), domains)).toBe(false);
    expect(onSafeDomain(new URL('https://m.example.net/storefront'), domains)).toBe(false);
  });
});

describe('mpConfig', () => {
  it('is off without both the app id and the secret', () => {
    expect(mpConfig({ ...env, WECHAT_MP_APPID: 'wx1' })).toBeNull();
    expect(mpConfig({ ...env, WECHAT_MP_SECRET: 's' })).toBeNull();
    expect(mpConfig(env)).toBeNull();
  });
  it('defaults to the WeChat API and takes an override without its trailing slash', () => {
    expect(mpConfig({ ...env, WECHAT_MP_APPID: 'wx1', WECHAT_MP_SECRET: 's' })?.apiBase).toBe(
      'https://api.weixin.qq.com',
    );
    const fake = mpConfig({
      ...env,
      WECHAT_MP_APPID: 'wx1',
      WECHAT_MP_SECRET: 's',
      WECHAT_API_BASE: 'http://127.0.0.1:9/',
    });
    expect(fake?.apiBase).toBe('http://127.0.0.1:9');
  });
});

describe('GET /api/wechat/js-config', () => {
  const page = encodeURIComponent('https://shop.example.com/s/ab12cd34?from=singlemessage');

  it('answers 404 WECHAT_NOT_CONFIGURED when the brand has no Official Account', async () => {
    const res = await api<ErrorBody>(`/api/wechat/js-config?url=${page}`, {
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expectError(res, 404, 'WECHAT_NOT_CONFIGURED');
    expect(res.body.error.message).toBe('品牌未配置微信公众号');
    expect(res.headers.get('x-d1-rows-written')).toBe('0');
    const en = await api<ErrorBody>(`/api/wechat/js-config?url=${page}`, { headers: { 'accept-language': 'en' } });
    expect(en.body.error.message).toBe('The brand has not configured a WeChat Official Account');
  });

  for (const [what, url] of [
    ['no url', null],
    ['a url that is not one', 'not a url'],
    ['an ftp url', 'ftp://shop.example.com/s/ab12cd34'],
    ['a javascript: url', 'javascript:alert(1)'],
    ['a url over 2,000 characters', `https://shop.example.com/s/ab12cd34?x=${'a'.repeat(2000)}`],
  ] as const) {
    it(`answers 400 VALIDATION_FAILED on url for ${what}, writing nothing`, async () => {
      const query = url === null ? '' : `?url=${encodeURIComponent(url)}`;
      const res = await api<ErrorBody>(`/api/wechat/js-config${query}`, { headers: { 'cf-connecting-ip': freshIp() } });
      expectError(res, 400, 'VALIDATION_FAILED', 'url');
      expect(res.body.error.message).toMatch(/^输入有误：链接：/);
      expect(res.headers.get('x-d1-rows-written')).toBe('0');
    });
  }

  it('is in the OpenAPI document', async () => {
    const res = await api<{ paths: Record<string, unknown> }>('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toContain('/api/wechat/js-config');
  });
});

// The token and ticket cache against a fake WeChat (the fetch is injected) and the real D1 kv_cache.
describe('jsapiTicket', () => {
  const db = () => createDb(env.DB, newMeter());
  let n = 0;
  let config: MpConfig;

  interface Call {
    url: string;
    body: Record<string, unknown> | null;
  }

  /** A WeChat that answers from queues: each call takes the next answer for its endpoint (the last one repeats). */
  function fakeWechat(answers: { token: unknown[]; ticket: unknown[]; beforeTicket?: () => Promise<void> }) {
    const calls: Call[] = [];
    const fetcher: WechatFetch = async (url, init) => {
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null;
      calls.push({ url, body });
      const isToken = url.includes('/cgi-bin/stable_token');
      if (!isToken) await answers.beforeTicket?.();
      const queue = isToken ? answers.token : answers.ticket;
      const next = queue.length > 1 ? queue.shift() : queue[0];
      if (next instanceof Error) throw next;
      if (next instanceof Response) return next;
      return Response.json(next);
    };
    return { calls, fetcher };
  }

  const token = (t: string, expiresIn = 7200) => ({ access_token: t, expires_in: expiresIn });
  const ticket = (t: string) => ({ errcode: 0, errmsg: 'ok', ticket: t, expires_in: 7200 });

  async function stored(appId: string) {
    const rows = await db()
      .select()
      .from(kvCache)
      .where(like(kvCache.key, `wechat:${appId}:%`));
    return Object.fromEntries(rows.map((r) => [r.key.split(':')[2], r]));
  }

  async function unavailable(promise: Promise<unknown>) {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('WECHAT_UNAVAILABLE');
  }

  beforeEach(() => {
    forgetWechatJsCache();
    n++;
    config = { appId: `wxtest${Date.now()}${n}`, secret: 'SECRET', safeDomains: [], apiBase: 'https://wechat.fake' };
  });

  it('fetches a stable token, then the ticket, and shares both through kv_cache with a 5-minute margin', async () => {
    const now = 1_800_000_000_000;
    const wx = fakeWechat({ token: [token('TOKEN-1')], ticket: [ticket('TICKET-1')] });
    expect(await jsapiTicket(db(), config, { fetch: wx.fetcher, now })).toBe('TICKET-1');
    expect(wx.calls.map((c) => c.url)).toEqual([
      'https://wechat.fake/cgi-bin/stable_token',
      'https://wechat.fake/cgi-bin/ticket/getticket?access_token=TOKEN-1&type=jsapi',
    ]);
    expect(wx.calls[0]?.body).toEqual({
      grant_type: 'client_credential',
      appid: config.appId,
      secret: 'SECRET',
      force_refresh: false,
    });
    const rows = await stored(config.appId);
    expect(rows.access_token).toMatchObject({ value: 'TOKEN-1', expiresAt: now + 6900_000 });
    expect(rows.jsapi_ticket).toMatchObject({ value: 'TICKET-1', expiresAt: now + 6900_000 });

    // The same isolate, then a fresh one (kv_cache): WeChat is not asked again.
    expect(await jsapiTicket(db(), config, { fetch: wx.fetcher, now: now + 60_000 })).toBe('TICKET-1');
    forgetWechatJsCache();
    expect(await jsapiTicket(db(), config, { fetch: wx.fetcher, now: now + 120_000 })).toBe('TICKET-1');
    expect(wx.calls).toHaveLength(2);

    // Past the margin both are fetched again and kv_cache moves on.
    forgetWechatJsCache();
    const wx2 = fakeWechat({ token: [token('TOKEN-2')], ticket: [ticket('TICKET-2')] });
    expect(await jsapiTicket(db(), config, { fetch: wx2.fetcher, now: now + 6900_000 })).toBe('TICKET-2');
    expect(wx2.calls).toHaveLength(2);
    expect((await stored(config.appId)).jsapi_ticket?.value).toBe('TICKET-2');
  });

  it('reuses a stored token when only the ticket has lapsed', async () => {
    const now = 1_800_000_000_000;
    await db()
      .insert(kvCache)
      .values([
        { key: `wechat:${config.appId}:access_token`, value: 'KEPT', expiresAt: now + 3600_000 },
        { key: `wechat:${config.appId}:jsapi_ticket`, value: 'OLD', expiresAt: now - 1 },
      ]);
    const wx = fakeWechat({ token: [token('UNUSED')], ticket: [ticket('TICKET-NEW')] });
    expect(await jsapiTicket(db(), config, { fetch: wx.fetcher, now })).toBe('TICKET-NEW');
    expect(wx.calls.map((c) => c.url)).toEqual([
      'https://wechat.fake/cgi-bin/ticket/getticket?access_token=KEPT&type=jsapi',
    ]);
  });

  it('asks for a shorter-lived token only as long as it lasts, less half of it', async () => {
    const now = 1_800_000_000_000;
    const wx = fakeWechat({ token: [token('SHORT', 400)], ticket: [ticket('T')] });
    await jsapiTicket(db(), config, { fetch: wx.fetcher, now });
    expect((await stored(config.appId)).access_token?.expiresAt).toBe(now + 200_000);
  });

  it('on 40001 with a stored token fetches the current token once and retries', async () => {
    const now = 1_800_000_000_000;
    await db()
      .insert(kvCache)
      .values({ key: `wechat:${config.appId}:access_token`, value: 'REPLACED', expiresAt: now + 3600_000 });
    const wx = fakeWechat({
      token: [token('CURRENT')],
      ticket: [{ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }, ticket('T2')],
    });
    expect(await jsapiTicket(db(), config, { fetch: wx.fetcher, now })).toBe('T2');
    expect(wx.calls.map((c) => c.url.replace('https://wechat.fake/cgi-bin/', ''))).toEqual([
      'ticket/getticket?access_token=REPLACED&type=jsapi',
      'stable_token',
      'ticket/getticket?access_token=CURRENT&type=jsapi',
    ]);
    expect((await stored(config.appId)).access_token?.value).toBe('CURRENT');
  });

  it('refreshes only once: a second 40001 is WECHAT_UNAVAILABLE', async () => {
    const now = 1_800_000_000_000;
    await db()
      .insert(kvCache)
      .values({ key: `wechat:${config.appId}:access_token`, value: 'BAD', expiresAt: now + 3600_000 });
    const wx = fakeWechat({ token: [token('ALSO-BAD')], ticket: [{ errcode: 40001, errmsg: 'invalid credential' }] });
    await unavailable(jsapiTicket(db(), config, { fetch: wx.fetcher, now }));
    expect(wx.calls).toHaveLength(3);
    expect((await stored(config.appId)).jsapi_ticket).toBeUndefined();
  });

  it('does not retry a token it has just fetched', async () => {
    const wx = fakeWechat({ token: [token('NEW')], ticket: [{ errcode: 40001, errmsg: 'invalid credential' }] });
    await unavailable(jsapiTicket(db(), config, { fetch: wx.fetcher }));
    expect(wx.calls).toHaveLength(2);
  });

  for (const [what, answer] of [
    ['an errcode for the token (IP not on the allowlist)', { errcode: 40164, errmsg: 'invalid ip, not in whitelist' }],
    ['an HTTP error', new Response('busy', { status: 502 })],
    ['a network failure', new TypeError('fetch failed')],
    ['an answer without a token', { expires_in: 7200 }],
  ] as const) {
    it(`turns ${what} into WECHAT_UNAVAILABLE and stores nothing`, async () => {
      const wx = fakeWechat({ token: [answer], ticket: [ticket('NEVER')] });
      await unavailable(jsapiTicket(db(), config, { fetch: wx.fetcher }));
      expect(wx.calls).toHaveLength(1);
      expect(await stored(config.appId)).toEqual({});
    });
  }

  it('sends one request to WeChat for concurrent callers in an isolate', async () => {
    const wx = fakeWechat({ token: [token('TK')], ticket: [ticket('TT')] });
    const got = await Promise.all([1, 2, 3].map(() => jsapiTicket(db(), config, { fetch: wx.fetcher })));
    expect(got).toEqual(['TT', 'TT', 'TT']);
    expect(wx.calls).toHaveLength(2);
  });

  it('never lets an older value overwrite a newer one another isolate stored meanwhile', async () => {
    const now = 1_800_000_000_000;
    const key = `wechat:${config.appId}:jsapi_ticket`;
    const wx = fakeWechat({
      token: [token('TK')],
      ticket: [ticket('MINE')],
      // While this isolate waits for WeChat, another one stores a ticket that lasts longer.
      beforeTicket: async () => {
        await db()
          .insert(kvCache)
          .values({ key, value: 'THEIRS', expiresAt: now + 7100_000 });
      },
    });
    expect(await jsapiTicket(db(), config, { fetch: wx.fetcher, now })).toBe('MINE');
    expect((await stored(config.appId)).jsapi_ticket).toMatchObject({ value: 'THEIRS', expiresAt: now + 7100_000 });
  });
});
