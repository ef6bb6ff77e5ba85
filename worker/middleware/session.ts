import { and, eq, gt } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { sha256Hex } from '../../db/ids';
import { sessions } from '../../db/schema';
import type { AppEnv, Caller } from '../env';
import { AppError } from '../errors';

export const SESSION_COOKIE = 'agentry_sid';

function presentedToken(c: Context<AppEnv>): string | undefined {
  const auth = c.req.header('authorization');
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  return getCookie(c, SESSION_COOKIE);
}

// Resolves the caller once per request; a bad or expired token is treated as no session.
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = presentedToken(c);
  if (token && token.length <= 128) {
    const id = await sha256Hex(token);
    const [row] = await c.var.db
      .select({ role: sessions.role, subjectId: sessions.subjectId })
      .from(sessions)
      .where(and(eq(sessions.id, id), gt(sessions.expiresAt, Date.now())))
      .limit(1);
    if (row) c.set('caller', { role: row.role, id: row.subjectId, sessionId: id });
  }
  await next();
};

// Route middleware for the brand's decisions: the role is checked before the body is validated, so only the brand
// learns what a decision needs.
export const brandOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireCaller(c, 'admin');
  await next();
};

// The same for a member's own things (its saved addresses): an agent or the anonymous is refused whatever it sends.
export const memberOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireCaller(c, 'member');
  await next();
};

export function requireCaller<R extends Caller['role']>(c: Context<AppEnv>, ...roles: R[]): Caller & { role: R } {
  const caller = c.var.caller;
  if (!caller) throw new AppError('UNAUTHENTICATED');
  if (roles.length > 0 && !roles.includes(caller.role as R)) throw new AppError('FORBIDDEN');
  return caller as Caller & { role: R };
}
