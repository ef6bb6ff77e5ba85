// WeChat JS-SDK signing for an Official Account (公众号): access_token → jsapi_ticket, cached in this isolate and in
// kv_cache so every isolate shares one of each, and the signature a page passes to wx.config.
import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { kvCache } from '../../db/schema';
import { jsSignatureBase, parseSafeDomains } from '../domain/wechatSign';
import type { Db } from '../env';
import { AppError } from '../errors';

/** Secrets and settings from env / .dev.vars (wrangler secret put …), never from the database. All optional. */
export interface WechatMpVars {
  WECHAT_MP_APPID?: string;
  WECHAT_MP_SECRET?: string;
  /** The JS safe domain(s) (JS接口安全域名), comma-separated; when set, only pages on them are signed. */
  WECHAT_MP_DOMAIN?: string;
  /** Default https://api.weixin.qq.com; a relay with a fixed egress IP (WeChat's IP allowlist) or a test's fake. */
  WECHAT_API_BASE?: string;
}

export interface MpConfig {
  appId: string;
  secret: string;
  safeDomains: string[];
  apiBase: string;
}

// `Env &` lets the Worker's bindings pass as they are, and keeps these optional whatever `npm run types` generates.
export function mpConfig(env: Env & WechatMpVars): MpConfig | null {
  const appId = env.WECHAT_MP_APPID?.trim();
  const secret = env.WECHAT_MP_SECRET?.trim();
  if (!appId || !secret) return null;
  return {
    appId,
    secret,
    safeDomains: parseSafeDomains(env.WECHAT_MP_DOMAIN),
    apiBase: (env.WECHAT_API_BASE?.trim() || 'https://api.weixin.qq.com').replace(/\/+$/, ''),
  };
}

export type WechatFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface WechatDeps {
  fetch?: WechatFetch;
  now?: number;
}

const TIMEOUT_MS = 5_000;
// Kept until this long before WeChat's expiry, so a value handed to a page is never about to lapse.
const MARGIN_S = 300;
// The token was replaced, revoked or expired early: fetch the current one and try once more.
const STALE_TOKEN = new Set([40001, 40014, 42001]);

interface Cached {
  value: string;
  expiresAt: number;
}

class WechatApiError extends Error {
  constructor(
    readonly what: string,
    readonly errcode: number | null,
    detail: string,
  ) {
    super(`${what}: ${detail}`);
  }
}

const isolate = new Map<string, Cached>();
const inflight = new Map<string, Promise<string>>();

/** Drops this isolate's copies (tests stand for a fresh isolate with it). */
export function forgetWechatJsCache(): void {
  isolate.clear();
  inflight.clear();
}

const keysOf = (appId: string) => ({ token: `wechat:${appId}:access_token`, ticket: `wechat:${appId}:jsapi_ticket` });

function fresh(entry: Cached | undefined, now: number): Cached | undefined {
  return entry && entry.expiresAt > now ? entry : undefined;
}

const ErrorAnswer = z.object({ errcode: z.number().int(), errmsg: z.string().optional() });
const TokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const TicketAnswer = z.object({ ticket: z.string().min(1), expires_in: z.number().int().positive() });

async function callWechat<T>(
  what: string,
  answer: z.ZodType<T>,
  doFetch: WechatFetch,
  url: string,
  init: RequestInit,
): Promise<T> {
  let body: unknown;
  try {
    const res = await doFetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new WechatApiError(what, null, `HTTP ${res.status}`);
    body = await res.json();
  } catch (err) {
    if (err instanceof WechatApiError) throw err;
    throw new WechatApiError(what, null, String(err));
  }
  // WeChat answers errors with HTTP 200 and a non-zero errcode.
  const failed = ErrorAnswer.safeParse(body);
  if (failed.success && failed.data.errcode !== 0) {
    throw new WechatApiError(what, failed.data.errcode, failed.data.errmsg ?? '');
  }
  const parsed = answer.safeParse(body);
  if (!parsed.success) throw new WechatApiError(what, null, 'unexpected answer');
  return parsed.data;
}

function keepUntil(now: number, expiresIn: number): number {
  return now + (expiresIn - Math.min(MARGIN_S, expiresIn / 2)) * 1000;
}

// stable_token, not /cgi-bin/token: in its normal mode a call returns the token that is still valid instead of
// issuing a new one (which would cut every other isolate's token to 5 minutes), and the secret travels in the body
// rather than in a URL that proxies and logs keep.
async function fetchToken(config: MpConfig, doFetch: WechatFetch, now: number): Promise<Cached> {
  const answer = await callWechat('stable_token', TokenAnswer, doFetch, `${config.apiBase}/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credential',
      appid: config.appId,
      secret: config.secret,
      force_refresh: false,
    }),
  });
  return { value: answer.access_token, expiresAt: keepUntil(now, answer.expires_in) };
}

async function fetchTicket(config: MpConfig, token: string, doFetch: WechatFetch, now: number): Promise<Cached> {
  const url = `${config.apiBase}/cgi-bin/ticket/getticket?access_token=${encodeURIComponent(token)}&type=jsapi`;
  const answer = await callWechat('getticket', TicketAnswer, doFetch, url, { method: 'GET' });
  return { value: answer.ticket, expiresAt: keepUntil(now, answer.expires_in) };
}

// An older value never overwrites a newer one another isolate stored meanwhile.
function store(db: Db, key: string, entry: Cached) {
  return db
    .insert(kvCache)
    .values({ key, value: entry.value, expiresAt: entry.expiresAt })
    .onConflictDoUpdate({
      target: kvCache.key,
      set: { value: sql`excluded.value`, expiresAt: sql`excluded.expires_at` },
      setWhere: sql`${kvCache.expiresAt} < excluded.expires_at`,
    });
}

async function loadTicket(db: Db, config: MpConfig, doFetch: WechatFetch, now: number): Promise<string> {
  const keys = keysOf(config.appId);
  const rows = await db
    .select({ key: kvCache.key, value: kvCache.value, expiresAt: kvCache.expiresAt })
    .from(kvCache)
    .where(inArray(kvCache.key, [keys.token, keys.ticket]))
    .limit(2);
  const stored = new Map(rows.map((r) => [r.key, { value: r.value, expiresAt: r.expiresAt }]));
  const shared = fresh(stored.get(keys.ticket), now);
  if (shared) {
    isolate.set(keys.ticket, shared);
    return shared.value;
  }

  const known = fresh(isolate.get(keys.token), now) ?? fresh(stored.get(keys.token), now);
  let token = known ?? (await fetchToken(config, doFetch, now));
  let ticket: Cached;
  try {
    ticket = await fetchTicket(config, token.value, doFetch, now);
  } catch (err) {
    if (!(known && err instanceof WechatApiError && err.errcode !== null && STALE_TOKEN.has(err.errcode))) throw err;
    token = await fetchToken(config, doFetch, now);
    ticket = await fetchTicket(config, token.value, doFetch, now);
  }
  await db.batch([store(db, keys.token, token), store(db, keys.ticket, ticket)]);
  isolate.set(keys.token, token);
  isolate.set(keys.ticket, ticket);
  return ticket.value;
}

/**
 * The current jsapi_ticket: from this isolate, else kv_cache, else WeChat (one request in flight per isolate).
 * Throws AppError('WECHAT_UNAVAILABLE') when WeChat fails.
 */
export async function jsapiTicket(db: Db, config: MpConfig, deps: WechatDeps = {}): Promise<string> {
  const now = deps.now ?? Date.now();
  const key = keysOf(config.appId).ticket;
  const hot = fresh(isolate.get(key), now);
  if (hot) return hot.value;
  let pending = inflight.get(key);
  if (!pending) {
    pending = loadTicket(db, config, deps.fetch ?? fetch, now).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  try {
    return await pending;
  } catch (err) {
    if (!(err instanceof WechatApiError)) throw err;
    console.error(
      JSON.stringify({ level: 'error', msg: 'wechat api', call: err.what, errcode: err.errcode, error: err.message }),
    );
    throw new AppError('WECHAT_UNAVAILABLE');
  }
}

const NONCE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function nonce(length = 16): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (b) => NONCE_CHARS[b % NONCE_CHARS.length]).join(
    '',
  );
}

export async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface JsConfig {
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

/** wx.config's parameters for the page at `url` (already without its #fragment). */
export async function signJsConfig(appId: string, ticket: string, url: string, now = Date.now()): Promise<JsConfig> {
  const timestamp = Math.floor(now / 1000);
  const nonceStr = nonce();
  const signature = await sha1Hex(jsSignatureBase({ ticket, nonceStr, timestamp, url }));
  return { appId, timestamp, nonceStr, signature };
}
