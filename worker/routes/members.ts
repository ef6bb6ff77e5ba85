import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { changedGuard, isGuardFailure, isUniqueFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import { claimPasswordless, type MemberBindingRow, memberBindingQuery } from '../../db/members';
import { agents, brand, members, orders } from '../../db/schema';
import { type BindingRules, rebindableAt, signupBinding } from '../domain/binding';
import type { Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { hashPassword, iterationsFor } from '../lib/password';
import { clientIp, enforceLimit } from '../lib/rateLimit';
import { newSession, setSessionCookie } from '../lib/sessions';
import { proofTaken, proofWrites, provePhone } from '../lib/sms/codes';
import { requireCaller } from '../middleware/session';
import { jsonBody, jsonResponse, Password, PersonName, Phone } from '../schemas';

const SignupBody = z
  .object({
    phone: Phone,
    name: PersonName,
    password: Password,
    smsCode: z
      .string()
      .regex(/^\d{6}$/)
      .openapi({ description: 'The code texted to the phone for purpose "signup" (POST /api/sms/codes)' }),
    ref: z
      .string()
      .regex(/^[0-9a-z]{8}$/)
      .optional()
      .openapi({ description: 'Code of the agent whose link the visitor came through' }),
  })
  .strict()
  .openapi('MemberSignup');

const MemberView = z
  .object({
    id: z.string(),
    phone: z.string(),
    name: z.string(),
    boundAgent: z
      .object({
        id: z.string(),
        code: z.string(),
        name: z.string(),
        status: z.enum(['active', 'suspended', 'revoked']),
      })
      .nullable()
      .openapi({
        description: 'The agent it is bound to (锁粉): it serves and is credited with the orders (when active)',
      }),
    boundAt: z.number().int().nullable(),
    rebindableAt: z.number().int().nullable().openapi({
      description:
        "Under the brand's 'rebind' policy: from when an order through another agent's shop moves the binding there",
    }),
    createdAt: z.number().int(),
  })
  .openapi('Member');

type MemberViewT = z.infer<typeof MemberView>;

const rulesQuery = (db: Db) =>
  db.select({ policy: brand.bindingPolicy, rebindDays: brand.rebindDays }).from(brand).where(eq(brand.id, 1)).limit(1);

function view(
  row: { id: string; phone: string; name: string; createdAt: number; boundAt: number | null },
  boundAgent: MemberViewT['boundAgent'],
  rules: BindingRules | undefined,
  lastOrderAt: number | null,
): MemberViewT {
  const binding = { boundAgentId: boundAgent?.id ?? null, boundAt: row.boundAt, lastOrderAt };
  return {
    id: row.id,
    phone: row.phone,
    name: row.name,
    boundAgent,
    boundAt: row.boundAt,
    rebindableAt: rules ? rebindableAt(rules, binding) : null,
    createdAt: row.createdAt,
  };
}

/** A binding this signup makes rests on the phone it proved; a kept one keeps its proof; none has none. */
function bindingProof(
  binding: { boundAgentId: string | null; boundAt: number | null },
  now: number,
  codeId: string,
): { boundProof?: 'sms' | null; boundProofRef?: string | null } {
  if (binding.boundAgentId === null) return { boundProof: null, boundProofRef: null };
  return binding.boundAt === now ? { boundProof: 'sms', boundProofRef: codeId } : {};
}

function boundOf(row: MemberBindingRow): MemberViewT['boundAgent'] {
  return row.boundAgentId && row.boundCode && row.boundName && row.boundStatus
    ? { id: row.boundAgentId, code: row.boundCode, name: row.boundName, status: row.boundStatus }
    : null;
}

export const memberRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/members',
      tags: ['members'],
      summary:
        'Consumer signup. A phone a guest paid an order with is claimed, with the binding that order made; otherwise ' +
        'only a phone proved by SMS code binds to the agent whose link it came through (锁粉). The answer names a ' +
        'binding only when it is to that link’s agent',
      request: jsonBody(SignupBody),
      responses: {
        201: jsonResponse(MemberView, 'Signed up; the session is in the HttpOnly cookie only'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.var.db;
      await enforceLimit(db, { key: `signup:ip:${clientIp(c.req.raw.headers)}`, max: 10, windowSeconds: 3600 });
      // The phone is proved before anything about it is read: nobody learns whether it is registered, or registers
      // someone else's.
      const proof = await provePhone(db, body.phone, 'signup', body.smsCode);
      const [[ref], [existing], [rules]] = await db.batch([
        db
          .select({ id: agents.id, code: agents.code, name: agents.name, status: agents.status })
          .from(agents)
          .where(eq(agents.code, body.ref ?? ''))
          .limit(1),
        memberBindingQuery(db, { phone: body.phone }),
        rulesQuery(db),
      ]);
      if (existing?.hasPassword) throw new AppError('DUPLICATE_PHONE', { field: 'phone' });
      const now = Date.now();
      // A guest order made a passwordless member for this phone: signing up claims it, binding included.
      const claimed = existing ? { ...existing, bound: boundOf(existing) } : null;
      // The phone is proved by its SMS code, so the signup may bind it to the link's agent.
      const binding = signupBinding(ref ?? null, claimed, now, true);
      const id = existing?.id ?? newId('mem', now);
      const passwordHash = await hashPassword(body.password, iterationsFor(c.env));
      const session = await newSession(db, 'member', id, now);
      const values = { name: body.name, passwordHash, ...binding, ...bindingProof(binding, now, proof.id) };
      try {
        await db.batch([
          ...proofWrites(db, proof),
          existing
            ? claimPasswordless(db, id, values)
            : db.insert(members).values({ id, phone: body.phone, createdAt: now, ...values }),
          changedGuard(db),
          session.insert,
          // The phone is proved: the guest orders placed with it become this member's (bounded by that phone's).
          db
            .update(orders)
            .set({ memberId: id })
            .where(and(eq(orders.shipPhone, body.phone), sql`kind = 'consumer' AND member_id IS NULL`)),
        ]);
      } catch (err) {
        if (isGuardFailure(err) && (await proofTaken(db, proof))) {
          throw new AppError('SMS_CODE_INVALID', { field: 'smsCode' });
        }
        // Another signup with this phone got there first.
        if (isUniqueFailure(err, 'members.phone') || isGuardFailure(err)) {
          throw new AppError('DUPLICATE_PHONE', { field: 'phone' });
        }
        throw err;
      }
      setSessionCookie(c, session.token);
      // Which agent a phone is bound to is not told to whoever typed it in (nothing proves the phone is theirs).
      const boundAgent = binding.boundAgentId !== null && binding.boundAgentId === ref?.id ? ref : null;
      const row = {
        id,
        phone: body.phone,
        name: body.name,
        boundAt: binding.boundAt,
        createdAt: existing?.createdAt ?? now,
      };
      return c.json(view(row, boundAgent, rules, existing?.lastOrderAt ?? null), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/members/me',
      tags: ['members'],
      summary: 'The signed-in member and the agent it is bound to',
      responses: { 200: jsonResponse(MemberView, 'Member'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'member');
      const db = c.var.db;
      const [[row], [rules]] = await db.batch([memberBindingQuery(db, { id: caller.id }), rulesQuery(db)]);
      if (!row) throw new AppError('NOT_FOUND', { params: { what: 'member' } });
      return c.json(view(row, boundOf(row), rules, row.lastOrderAt), 200);
    },
  );
