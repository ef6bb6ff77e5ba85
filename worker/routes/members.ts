import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { agents, members } from '../../db/schema';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { isUniqueFailure } from '../lib/guard';
import { newId } from '../lib/ids';
import { hashPassword } from '../lib/password';
import { clientIp, enforceLimit } from '../lib/rateLimit';
import { newSession, setSessionCookie } from '../lib/sessions';
import { requireCaller } from '../middleware/session';
import { jsonBody, jsonResponse, Password, PersonName, Phone } from '../schemas';

const SignupBody = z
  .object({
    phone: Phone,
    name: PersonName,
    password: Password,
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
    boundAgent: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
    boundAt: z.number().int().nullable(),
    createdAt: z.number().int(),
  })
  .openapi('Member');

export const memberRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/members',
      tags: ['members'],
      summary: 'Consumer signup; arriving through an active agent’s link binds the member to that agent (锁粉)',
      request: jsonBody(SignupBody),
      responses: {
        201: jsonResponse(MemberView.extend({ token: z.string() }), 'Signed up and signed in'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.var.db;
      await enforceLimit(db, { key: `signup:ip:${clientIp(c.req.raw.headers)}`, max: 10, windowSeconds: 3600 });
      const [agent] = body.ref
        ? await db
            .select({ id: agents.id, code: agents.code, name: agents.name, status: agents.status })
            .from(agents)
            .where(eq(agents.code, body.ref))
            .limit(1)
        : [];
      const bound = agent?.status === 'active' ? agent : null;
      const now = Date.now();
      const id = newId('mem', now);
      const session = await newSession(db, 'member', id, now);
      try {
        await db.batch([
          db.insert(members).values({
            id,
            phone: body.phone,
            name: body.name,
            passwordHash: await hashPassword(body.password),
            boundAgentId: bound?.id ?? null,
            boundAt: bound ? now : null,
            createdAt: now,
          }),
          session.insert,
        ]);
      } catch (err) {
        if (isUniqueFailure(err, 'members.phone')) throw new AppError('DUPLICATE_PHONE', { field: 'phone' });
        throw err;
      }
      setSessionCookie(c, session.token);
      const boundAgent = bound ? { id: bound.id, code: bound.code, name: bound.name } : null;
      return c.json(
        {
          id,
          phone: body.phone,
          name: body.name,
          boundAgent,
          boundAt: bound ? now : null,
          createdAt: now,
          token: session.token,
        },
        201,
      );
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
      const [row] = await db.select().from(members).where(eq(members.id, caller.id)).limit(1);
      if (!row) throw new AppError('NOT_FOUND', { params: { what: 'member' } });
      const [agent] = row.boundAgentId
        ? await db
            .select({ id: agents.id, code: agents.code, name: agents.name })
            .from(agents)
            .where(eq(agents.id, row.boundAgentId))
            .limit(1)
        : [];
      return c.json(
        {
          id: row.id,
          phone: row.phone,
          name: row.name,
          boundAgent: agent ?? null,
          boundAt: row.boundAt,
          createdAt: row.createdAt,
        },
        200,
      );
    },
  );
