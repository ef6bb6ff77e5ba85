import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, ne } from 'drizzle-orm';
import { admins, agents, applications, members, sessions } from '../../db/schema';
import type { Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { dummyHash, hashPassword, iterationsFor, verifyPassword } from '../lib/password';
import { enforceLimit } from '../lib/rateLimit';
import { clearSessionCookie, newSession, setSessionCookie } from '../lib/sessions';
import { admitSignIn, forgetSignInTries, recordSignInFailure } from '../lib/signInThrottle';
import { requireCaller } from '../middleware/session';
import { jsonBody, jsonResponse, Password } from '../schemas';

const Role = z.enum(['admin', 'agent', 'member']);

const LoginBody = z
  .object({
    role: Role,
    account: z
      .string()
      .trim()
      .min(1, 'blank')
      .max(64)
      .openapi({ description: 'Phone (agent, member) or username (admin)' }),
    password: z.string().min(1, 'blank').max(64),
  })
  .strict()
  .openapi('Login');

const SessionInfo = z.object({
  role: Role,
  id: z.string(),
  name: z.string(),
  expiresAt: z.number().int(),
});

interface Account {
  id: string;
  name: string;
  passwordHash: string;
  state: 'ok' | 'revoked' | 'pending';
}

async function findAccount(db: Db, role: z.infer<typeof Role>, account: string): Promise<Account | null> {
  if (role === 'admin') {
    const [row] = await db.select().from(admins).where(eq(admins.username, account)).limit(1);
    return row ? { id: row.id, name: row.name, passwordHash: row.passwordHash, state: 'ok' } : null;
  }
  if (role === 'member') {
    const [row] = await db.select().from(members).where(eq(members.phone, account)).limit(1);
    return row ? { id: row.id, name: row.name, passwordHash: row.passwordHash, state: 'ok' } : null;
  }
  const [agent] = await db.select().from(agents).where(eq(agents.phone, account)).limit(1);
  if (agent) {
    const state = agent.status === 'revoked' ? 'revoked' : 'ok';
    return { id: agent.id, name: agent.name, passwordHash: agent.passwordHash, state };
  }
  const [pending] = await db
    .select()
    .from(applications)
    .where(and(eq(applications.phone, account), eq(applications.status, 'pending')))
    .limit(1);
  return pending ? { id: pending.id, name: pending.name, passwordHash: pending.passwordHash, state: 'pending' } : null;
}

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in as brand admin, agent or member',
  request: jsonBody(LoginBody),
  description:
    'The session token travels only in the HttpOnly `agentry_sid` cookie (never in the JSON, where a script could ' +
    'read it); a non-browser client reads it from `Set-Cookie` and may send it as `Authorization: Bearer`.',
  responses: { 200: jsonResponse(SessionInfo, 'Signed in; the session cookie is set'), ...errorResponses },
});

const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'End the current session',
  responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), 'Signed out'), ...errorResponses },
});

const Me = z.object({ role: Role, id: z.string(), name: z.string() });
const me = createRoute({
  method: 'get',
  path: '/auth/me',
  tags: ['auth'],
  summary: 'Who is signed in',
  responses: { 200: jsonResponse(Me, 'The signed-in account'), ...errorResponses },
});

// Pages a guest may open (the shop, checkout) ask this instead of /auth/me, so a guest's browser logs no 401.
const session = createRoute({
  method: 'get',
  path: '/auth/session',
  tags: ['auth'],
  summary: 'Who is signed in, or null for a guest (never 401)',
  responses: {
    200: jsonResponse(z.object({ role: Role.nullable() }), 'The signed-in role, if any'),
    ...errorResponses,
  },
});

const PasswordBody = z.strictObject({ currentPassword: z.string().min(1, 'blank').max(64), newPassword: Password });
const changePassword = createRoute({
  method: 'post',
  path: '/auth/password',
  tags: ['auth'],
  summary: 'Change the password; other sessions are signed out',
  request: jsonBody(PasswordBody),
  responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), 'Password changed'), ...errorResponses },
});

export const auth = createRouter()
  .openapi(login, async (c) => {
    const { role, account, password } = c.req.valid('json');
    const db = c.var.db;
    const now = Date.now();
    const address = c.req.header('cf-connecting-ip') ?? null;
    // One address across accounts; without an address only the account's own limits below apply.
    if (address) await enforceLimit(db, { key: `login:ip:${address}`, max: 30, windowSeconds: 600 });
    const subject = `${role}:${account}`;
    await admitSignIn(db, subject, address, now);

    const found = await findAccount(db, role, account);
    // A guest's passwordless member (bound at its first order) cannot sign in; it costs the same hashing as any miss,
    // so timing does not tell which phones have ordered.
    const ok = await verifyPassword(password, found?.passwordHash || dummyHash(iterationsFor(c.env)));
    if (!found?.passwordHash || !ok) {
      await recordSignInFailure(db, subject, address, now);
      throw new AppError('INVALID_CREDENTIALS');
    }
    if (found.state === 'pending') throw new AppError('APPLICATION_PENDING');
    if (found.state === 'revoked') throw new AppError('ACCOUNT_REVOKED');

    const session = await newSession(db, role, found.id, now);
    await db.batch([session.insert, forgetSignInTries(db, subject, address)]);
    setSessionCookie(c, session.token);
    return c.json({ role, id: found.id, name: found.name, expiresAt: session.expiresAt }, 200);
  })
  .openapi(logout, async (c) => {
    const caller = c.var.caller;
    if (caller) await c.var.db.delete(sessions).where(eq(sessions.id, caller.sessionId));
    clearSessionCookie(c);
    return c.json({ ok: true as const }, 200);
  })
  .openapi(me, async (c) => {
    const caller = requireCaller(c);
    const found = await nameOf(c.var.db, caller.role, caller.id);
    if (!found) throw new AppError('UNAUTHENTICATED');
    return c.json({ role: caller.role, id: caller.id, name: found.name }, 200);
  })
  .openapi(session, (c) => c.json({ role: c.var.caller?.role ?? null }, 200))
  .openapi(changePassword, async (c) => {
    const caller = requireCaller(c);
    const { currentPassword, newPassword } = c.req.valid('json');
    const db = c.var.db;
    // Wrong current passwords are guesses with a stolen session: a few per account, then wait.
    await enforceLimit(db, { key: `password:${caller.role}:${caller.id}`, max: 5, windowSeconds: 900 });
    const found = await nameOf(db, caller.role, caller.id);
    if (!found || !(await verifyPassword(currentPassword, found.passwordHash))) {
      throw new AppError('INVALID_CREDENTIALS', { field: 'currentPassword' });
    }
    const passwordHash = await hashPassword(newPassword, iterationsFor(c.env));
    const table = { admin: admins, agent: agents, member: members }[caller.role];
    await db.batch([
      db.update(table).set({ passwordHash }).where(eq(table.id, caller.id)),
      db.delete(sessions).where(and(eq(sessions.subjectId, caller.id), ne(sessions.id, caller.sessionId))),
    ]);
    return c.json({ ok: true as const }, 200);
  });

async function nameOf(db: Db, role: z.infer<typeof Role>, id: string) {
  const table = { admin: admins, agent: agents, member: members }[role];
  const [row] = await db
    .select({ name: table.name, passwordHash: table.passwordHash })
    .from(table)
    .where(eq(table.id, id))
    .limit(1);
  return row ?? null;
}
