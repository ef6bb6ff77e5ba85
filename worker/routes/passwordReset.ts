import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { isGuardFailure } from '../../db/guard';
import { audit } from '../../db/network';
import { agents, members, sessions } from '../../db/schema';
import type { Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { hashPassword, iterationsFor } from '../lib/password';
import { clientIp, enforceLimit } from '../lib/rateLimit';
import { proofTaken, proofWrites, provePhone } from '../lib/sms/codes';
import { jsonBody, jsonResponse, Password, Phone } from '../schemas';

const ResetBody = z
  .strictObject({
    role: z.enum(['member', 'agent']),
    phone: Phone,
    smsCode: z
      .string()
      .regex(/^\d{6}$/)
      .openapi({ description: 'The code texted for purpose "reset"' }),
    newPassword: Password,
  })
  .openapi('PasswordReset');

async function accountOf(db: Db, role: 'member' | 'agent', phone: string) {
  if (role === 'member') {
    const [row] = await db
      .select({ id: members.id, passwordHash: members.passwordHash })
      .from(members)
      .where(eq(members.phone, phone))
      .limit(1);
    return row ?? null;
  }
  const [row] = await db
    .select({ id: agents.id, passwordHash: agents.passwordHash, status: agents.status })
    .from(agents)
    .where(eq(agents.phone, phone))
    .limit(1);
  if (row?.status === 'revoked') throw new AppError('ACCOUNT_REVOKED');
  return row ?? null;
}

export const passwordResetRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/auth/reset',
    tags: ['auth'],
    summary:
      'Forgotten password: a member or agent proves its phone with a code (purpose "reset") and sets a new password; ' +
      'every session of the account ends',
    request: jsonBody(ResetBody),
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), 'Password set'), ...errorResponses },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const db = c.var.db;
    await enforceLimit(db, { key: `reset:ip:${clientIp(c.req.raw.headers)}`, max: 20, windowSeconds: 3600 });
    const proof = await provePhone(db, body.phone, 'reset', body.smsCode);
    // Only the phone's owner gets this far, so saying there is no account tells nobody else anything.
    const account = await accountOf(db, body.role, body.phone);
    // A guest's passwordless member signs up instead (its signup sets the name and the binding).
    if (!account?.passwordHash) throw new AppError('NOT_FOUND', { params: { what: 'account' } });
    const passwordHash = await hashPassword(body.newPassword, iterationsFor(c.env));
    const now = Date.now();
    const table = body.role === 'member' ? members : agents;
    try {
      await db.batch([
        ...proofWrites(db, proof),
        db.update(table).set({ passwordHash }).where(eq(table.id, account.id)),
        db.delete(sessions).where(eq(sessions.subjectId, account.id)),
        ...(body.role === 'agent'
          ? [
              audit(db, {
                actorRole: 'agent',
                actorId: account.id,
                action: 'agent.password_reset',
                targetType: 'agent',
                targetId: account.id,
                detail: { via: 'sms' },
                at: now,
              }),
            ]
          : []),
      ]);
    } catch (err) {
      if (isGuardFailure(err) && (await proofTaken(db, proof))) {
        throw new AppError('SMS_CODE_INVALID', { field: 'smsCode' });
      }
      throw err;
    }
    return c.json({ ok: true as const }, 200);
  },
);
