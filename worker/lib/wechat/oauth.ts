// WeChat web OAuth (网页授权) with scope snsapi_base: no prompt, WeChat sends the browser back with a code, and the
// Worker exchanges it for the openid server side (/sns/oauth2/access_token), so no client ever supplies an openid.
import { z } from 'zod';
import type { MpConfig, WechatFetch } from '../wechatJs';

export interface OauthVars {
  /** Default https://open.weixin.qq.com; the browser tests point it at their fake. */
  WECHAT_OAUTH_BASE?: string;
}

export function oauthBase(env: OauthVars): string {
  return (env.WECHAT_OAUTH_BASE?.trim() || 'https://open.weixin.qq.com').replace(/\/+$/, '');
}

/** The page WeChat shows (silently, for snsapi_base) before sending the browser to `redirectUri?code=…&state=…`. */
export function authorizeUrl(base: string, appId: string, redirectUri: string, state: string): string {
  const query = new URLSearchParams({
    appid: appId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'snsapi_base',
    state,
  });
  // WeChat wants its parameters in this order and the #wechat_redirect fragment.
  return `${base}/connect/oauth2/authorize?${query.toString()}#wechat_redirect`;
}

const exchanged = z.object({ openid: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/) });
const failed = z.object({ errcode: z.number(), errmsg: z.string().optional() });

/** The openid for an OAuth code, or null when WeChat refuses the code (used, expired, forged). Throws on an outage. */
export async function exchangeCode(config: MpConfig, code: string, doFetch: WechatFetch): Promise<string | null> {
  const query = new URLSearchParams({
    appid: config.appId,
    secret: config.secret,
    code,
    grant_type: 'authorization_code',
  });
  let lastError: unknown;
  // One retry on a network failure or 5xx; a code is single-use, so a refusal is final.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const res = await doFetch(`${config.apiBase}/sns/oauth2/access_token?${query}`, {
        method: 'GET',
        signal: AbortSignal.timeout(5_000),
      });
      if (res.status >= 500) {
        lastError = new Error(`WeChat answered ${res.status}`);
        continue;
      }
      const json: unknown = await res.json();
      const ok = exchanged.safeParse(json);
      if (ok.success) return ok.data.openid;
      if (failed.safeParse(json).success) return null;
      throw new Error('WeChat answered the code exchange in an unknown shape');
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** A path on this site to return to: same-origin only, never `//host` or a scheme. */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 500) return '/';
  return next;
}

export const isWechatUa = (ua: string | undefined) => /MicroMessenger/i.test(ua ?? '');
