import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { randomToken, sha256Hex } from '../../db/ids';
import { agents, members, wechatVisitors } from '../../db/schema';
import { visitorQuery } from '../../db/wechat';
import type { AppEnv } from '../env';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { authorizeUrl, exchangeCode, isWechatUa, oauthBase, safeNext } from '../lib/wechat/oauth';
import { VISITOR_DAYS, WECHAT_STATE_COOKIE, WECHAT_TRIED_COOKIE, WECHAT_VISITOR_COOKIE } from '../lib/wechat/visitor';
import { mpConfig } from '../lib/wechatJs';
import { jsonResponse } from '../schemas';

const Redirect = { 302: { description: 'To WeChat OAuth, or back to the page' } };

function cookie(c: Context<AppEnv>, name: string, value: string, maxAge?: number) {
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    ...(maxAge === undefined ? {} : { maxAge }),
  });
}

/**
 * A page opened in WeChat (shop link, checkout) with an Official Account configured goes once through OAuth
 * snsapi_base: the answer to send instead of the page, or null to serve the page. Outside WeChat, with an openid
 * already held, or once tried in this browser session, nothing changes.
 */
export function oauthDetour(c: Context<AppEnv>): Response | null {
  if (c.req.method !== 'GET' || !isWechatUa(c.req.header('user-agent'))) return null;
  if (!mpConfig(c.env)) return null;
  if (getCookie(c, WECHAT_VISITOR_COOKIE) || getCookie(c, WECHAT_TRIED_COOKIE)) return null;
  const url = new URL(c.req.url);
  return c.redirect(`/api/wechat/oauth/start?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
}

export const wechatOauthRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/wechat/oauth/start',
      tags: ['wechat'],
      summary: 'Send the browser through WeChat OAuth (snsapi_base, no prompt) and back to `next`, a path of this site',
      request: { query: z.object({ next: z.string().max(500).optional() }) },
      responses: Redirect,
    }),
    (c) => {
      const next = safeNext(c.req.valid('query').next);
      const config = mpConfig(c.env);
      // Tried once per browser session, whatever comes back.
      cookie(c, WECHAT_TRIED_COOKIE, '1');
      if (!config) return c.redirect(next, 302);
      const state = randomToken().slice(0, 32);
      cookie(c, WECHAT_STATE_COOKIE, state, 600);
      const back = new URL('/api/wechat/oauth/callback', c.req.url);
      back.searchParams.set('next', next);
      return c.redirect(authorizeUrl(oauthBase(c.env), config.appId, back.toString(), state), 302);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/wechat/oauth/callback',
      tags: ['wechat'],
      summary:
        'WeChat sends the browser back here with a code: the Worker exchanges it for the openid (server side), keeps ' +
        'it for this browser (HttpOnly cookie) and on the signed-in member or agent, and returns to `next`',
      request: {
        query: z.object({
          code: z.string().max(200).optional(),
          state: z.string().max(64).optional(),
          next: z.string().max(500).optional(),
        }),
      },
      responses: Redirect,
    }),
    async (c) => {
      const { code, state, next: nextRaw } = c.req.valid('query');
      const next = safeNext(nextRaw);
      const config = mpConfig(c.env);
      const expected = getCookie(c, WECHAT_STATE_COOKIE);
      // The state ties the answer to this browser's own start, so nobody can plant their openid in it.
      if (!config || !code || !state || !expected || state !== expected) return c.redirect(next, 302);
      cookie(c, WECHAT_STATE_COOKIE, '', 0);
      let openid: string | null = null;
      try {
        openid = await exchangeCode(config, code, fetch);
      } catch (err) {
        console.error(JSON.stringify({ level: 'warn', msg: 'oauth exchange failed', error: String(err) }));
      }
      if (!openid) return c.redirect(next, 302);
      const db = c.var.db;
      const now = Date.now();
      const token = randomToken();
      const caller = c.var.caller;
      await db.batch([
        db.insert(wechatVisitors).values({
          id: await sha256Hex(token),
          openid,
          createdAt: now,
          expiresAt: now + VISITOR_DAYS * 86_400_000,
        }),
        // A member keeps the first openid it was seen with; JSAPI payment on a later device reads it.
        ...(caller?.role === 'member'
          ? [
              db
                .update(members)
                .set({ openid })
                .where(and(eq(members.id, caller.id), isNull(members.openid))),
            ]
          : []),
        // An agent signed in inside WeChat gets the openid its withdrawals can be transferred to (商家转账); one
        // openid pays one agent, so an openid another agent already has is not taken.
        ...(caller?.role === 'agent'
          ? [
              db
                .update(agents)
                .set({ openid, updatedAt: now })
                .where(
                  and(
                    eq(agents.id, caller.id),
                    isNull(agents.openid),
                    sql`NOT EXISTS (SELECT 1 FROM agents AS other WHERE other.openid = ${openid})`,
                  ),
                ),
            ]
          : []),
      ]);
      cookie(c, WECHAT_VISITOR_COOKIE, token, VISITOR_DAYS * 86_400);
      return c.redirect(next, 302);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/wechat/identity',
      tags: ['wechat'],
      summary: 'Whether this browser holds an openid from WeChat OAuth (the openid itself is never shown)',
      responses: {
        200: jsonResponse(z.object({ openid: z.boolean() }).openapi('WechatIdentity'), 'Known or not'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const token = getCookie(c, WECHAT_VISITOR_COOKIE);
      if (!token || token.length > 128) return c.json({ openid: false }, 200);
      const [row] = await visitorQuery(c.var.db, await sha256Hex(token), Date.now());
      return c.json({ openid: Boolean(row) }, 200);
    },
  );
