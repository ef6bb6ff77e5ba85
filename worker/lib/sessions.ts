import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { randomToken, sha256Hex } from '../../db/ids';
import { sessions } from '../../db/schema';
import type { AppEnv, Db } from '../env';
import { SESSION_COOKIE } from '../middleware/session';

export const SESSION_DAYS = 30;

export async function newSession(db: Db, role: 'admin' | 'agent' | 'member', subjectId: string, now = Date.now()) {
  const token = randomToken();
  const id = await sha256Hex(token);
  const expiresAt = now + SESSION_DAYS * 86_400_000;
  return { token, expiresAt, insert: db.insert(sessions).values({ id, role, subjectId, expiresAt, createdAt: now }) };
}

export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: SESSION_DAYS * 86_400,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
