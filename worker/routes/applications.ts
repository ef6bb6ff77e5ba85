import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { brandInfo } from '../../db/brandInfo';
import { changedGuard, isGuardFailure, isUniqueFailure } from '../../db/guard';
import { newAgentCode, newCertificateNumber, newId } from '../../db/ids';
import { audit, chainAbove, joinTeam } from '../../db/network';
import { agents, applications, brand, certificates, levels } from '../../db/schema';
import { maskName } from '../domain/mask';
import { placeSupplier } from '../domain/placement';
import type { Caller, Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { hashPassword } from '../lib/password';
import { clientIp, enforceLimit } from '../lib/rateLimit';
import { requireCaller } from '../middleware/session';
import {
  IdParam,
  jsonBody,
  jsonResponse,
  LevelRank,
  PageQuery,
  Password,
  PersonName,
  Phone,
  pageOf,
  Reason,
  Region,
  toPage,
  Wechat,
} from '../schemas';

const ApplyBody = z
  .object({
    inviteCode: z
      .string()
      .regex(/^[0-9a-z]{8}$/)
      .optional()
      .openapi({ description: 'Code from the inviting agent’s link; without it the brand recruits directly' }),
    name: PersonName,
    phone: Phone,
    wechat: Wechat,
    region: Region,
    level: LevelRank,
    password: Password,
  })
  .strict()
  .openapi('Application');

const Party = z.object({ id: z.string().nullable(), name: z.string() });
const ApplicationView = z
  .object({
    id: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    name: z.string(),
    phone: z.string(),
    wechat: z.string(),
    region: z.string(),
    level: z.number().int(),
    referrerId: z.string().nullable(),
    supplierId: z.string().nullable().openapi({ description: 'Who approves: null is the brand' }),
    reason: z.string().nullable(),
    agentId: z.string().nullable(),
    createdAt: z.number().int(),
    decidedAt: z.number().int().nullable(),
  })
  .openapi('ApplicationView');

const ApplicationStatus = z
  .object({
    id: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    name: z.string(),
    level: z.number().int(),
    levelName: z.string(),
    approver: Party,
    reason: z.string().nullable(),
    createdAt: z.number().int(),
    decidedAt: z.number().int().nullable(),
  })
  .openapi('ApplicationStatus');

const Invite = z
  .object({
    code: z.string(),
    agent: z.object({ name: z.string(), level: z.number().int(), levelName: z.string() }),
    levels: z.array(z.object({ rank: z.number().int(), name: z.string() })),
  })
  .openapi('Invite');

const CodeParam = z.object({
  code: z
    .string()
    .max(16)
    .openapi({ param: { name: 'code', in: 'path' } }),
});

function toView(row: typeof applications.$inferSelect): z.infer<typeof ApplicationView> {
  const { passwordHash: _p, decidedBy: _d, ...rest } = row;
  return rest;
}

async function loadForDecision(db: Db, caller: Caller, id: string) {
  const [row] = await db.select().from(applications).where(eq(applications.id, id)).limit(1);
  // An application addressed to someone else is not found, so ids cannot be probed.
  if (!row || !mayDecide(caller, row.supplierId)) throw new AppError('NOT_FOUND', { params: { what: 'application' } });
  return row;
}

function mayDecide(caller: Caller, supplierId: string | null): boolean {
  return supplierId === null ? caller.role === 'admin' : caller.role === 'agent' && caller.id === supplierId;
}

async function activeRecruiter(db: Db, code: string) {
  const [recruiter] = await db
    .select({ id: agents.id, name: agents.name, level: agents.level, status: agents.status })
    .from(agents)
    .where(eq(agents.code, code))
    .limit(1);
  if (recruiter?.status !== 'active') throw new AppError('INVITE_INVALID', { field: 'inviteCode' });
  return recruiter;
}

export const applicationRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/invites/{code}',
      tags: ['applications'],
      summary: 'Who invites, and the levels one can apply for (public)',
      request: { params: CodeParam },
      responses: { 200: jsonResponse(Invite, 'Invite'), ...errorResponses },
    }),
    async (c) => {
      const db = c.var.db;
      const recruiter = await activeRecruiter(db, c.req.valid('param').code);
      const all = await db.select({ rank: levels.rank, name: levels.name }).from(levels).orderBy(levels.rank);
      const levelName = all.find((l) => l.rank === recruiter.level)?.name ?? '';
      return c.json(
        {
          code: c.req.valid('param').code,
          agent: { name: recruiter.name, level: recruiter.level, levelName },
          levels: all,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/applications',
      tags: ['applications'],
      summary: 'Apply to become an agent (public); placement picks who approves',
      request: jsonBody(ApplyBody),
      responses: { 201: jsonResponse(ApplicationStatus, 'Application received'), ...errorResponses },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.var.db;
      await enforceLimit(db, { key: `apply:ip:${clientIp(c.req.raw.headers)}`, max: 10, windowSeconds: 3600 });
      const recruiter = body.inviteCode ? await activeRecruiter(db, body.inviteCode) : null;
      const [[level], taken, chain] = await Promise.all([
        db.select({ rank: levels.rank }).from(levels).where(eq(levels.rank, body.level)).limit(1),
        db
          .select({ phone: agents.phone, wechat: agents.wechat })
          .from(agents)
          .where(or(eq(agents.phone, body.phone), eq(agents.wechat, body.wechat)))
          .limit(2),
        recruiter ? chainAbove(db, recruiter.id) : Promise.resolve([]),
      ]);
      if (!level) throw new AppError('UNKNOWN_LEVEL', { field: 'level', params: { level: body.level } });
      if (taken.some((t) => t.phone === body.phone)) throw new AppError('DUPLICATE_PHONE', { field: 'phone' });
      if (taken.length > 0) throw new AppError('DUPLICATE_WECHAT', { field: 'wechat' });

      const supplierId = recruiter ? placeSupplier([recruiter, ...chain], body.level) : null;
      const approver = supplierId ? [recruiter, ...chain].find((a) => a?.id === supplierId) : null;
      const now = Date.now();
      const row = {
        id: newId('app', now),
        name: body.name,
        phone: body.phone,
        wechat: body.wechat,
        region: body.region,
        level: body.level,
        referrerId: recruiter?.id ?? null,
        supplierId,
        status: 'pending' as const,
        passwordHash: await hashPassword(body.password),
        createdAt: now,
      };
      try {
        await db.insert(applications).values(row);
      } catch (err) {
        if (isUniqueFailure(err, 'applications.phone')) throw new AppError('DUPLICATE_PHONE', { field: 'phone' });
        if (isUniqueFailure(err, 'applications.wechat')) throw new AppError('DUPLICATE_WECHAT', { field: 'wechat' });
        throw err;
      }
      return c.json(
        {
          id: row.id,
          status: row.status,
          name: row.name,
          level: row.level,
          levelName: (await brandInfo(db)).levelNames.get(row.level) ?? '',
          approver: { id: supplierId, name: approver ? maskName(approver.name) : await brandName(db) },
          reason: null,
          createdAt: now,
          decidedAt: null,
        },
        201,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/applications/{id}/status',
      tags: ['applications'],
      summary: 'The applicant follows its application by its unguessable id (public)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(ApplicationStatus, 'Status'), ...errorResponses },
    }),
    async (c) => {
      const db = c.var.db;
      const [row] = await db
        .select()
        .from(applications)
        .where(eq(applications.id, c.req.valid('param').id))
        .limit(1);
      if (!row) throw new AppError('NOT_FOUND', { params: { what: 'application' } });
      const approverName = row.supplierId
        ? maskName(
            (await db.select({ name: agents.name }).from(agents).where(eq(agents.id, row.supplierId)).limit(1))[0]
              ?.name ?? '',
          )
        : await brandName(db);
      return c.json(
        {
          id: row.id,
          status: row.status,
          name: row.name,
          level: row.level,
          levelName: (await brandInfo(db)).levelNames.get(row.level) ?? '',
          approver: { id: row.supplierId, name: approverName },
          reason: row.reason,
          createdAt: row.createdAt,
          decidedAt: row.decidedAt,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/applications',
      tags: ['applications'],
      summary: 'Applications addressed to the caller (an agent, or the brand), newest first',
      request: { query: PageQuery.extend({ status: z.enum(['pending', 'approved', 'rejected']).optional() }) },
      responses: { 200: jsonResponse(pageOf(ApplicationView), 'A page of applications'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin', 'agent');
      const { cursor, limit, status } = c.req.valid('query');
      const filters: (SQL | undefined)[] = [
        caller.role === 'admin' ? isNull(applications.supplierId) : eq(applications.supplierId, caller.id),
        status ? eq(applications.status, status) : undefined,
        cursor ? lt(applications.id, cursor) : undefined,
      ];
      const rows = await c.var.db
        .select()
        .from(applications)
        .where(and(...filters))
        .orderBy(desc(applications.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows.map(toView), limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/applications/{id}',
      tags: ['applications'],
      summary: 'One application, for the party that decides it',
      request: { params: IdParam },
      responses: { 200: jsonResponse(ApplicationView, 'Application'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin', 'agent');
      return c.json(toView(await loadForDecision(c.var.db, caller, c.req.valid('param').id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/applications/{id}/approve',
      tags: ['applications'],
      summary: 'Approve: the applicant becomes an active agent and its certificate is issued',
      request: { params: IdParam },
      responses: { 200: jsonResponse(ApplicationView, 'Approved'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin', 'agent');
      const db = c.var.db;
      const app = await loadForDecision(db, caller, c.req.valid('param').id);
      if (app.status !== 'pending') throw new AppError('INVALID_STATE', { params: { state: app.status } });
      const [[settings], supplier] = await Promise.all([
        db.select({ certValidDays: brand.certValidDays }).from(brand).where(eq(brand.id, 1)).limit(1),
        app.supplierId
          ? db
              .select({ level: agents.level, status: agents.status })
              .from(agents)
              .where(eq(agents.id, app.supplierId))
              .limit(1)
              .then((r) => r[0])
          : Promise.resolve(null),
      ]);
      if (supplier && supplier.status !== 'active')
        throw new AppError('INVALID_STATE', { params: { state: supplier.status } });
      if (supplier && supplier.level >= app.level) {
        throw new AppError('LEVEL_CONFLICT', { params: { detail: supplierNotAbove(c.var.lang) } });
      }
      const now = Date.now();
      const agentId = newId('agt', now);
      const validDays = settings?.certValidDays ?? 365;
      try {
        await db.batch([
          db
            .update(applications)
            .set({ status: 'approved', agentId, decidedBy: caller.id, decidedAt: now })
            .where(
              and(
                eq(applications.id, app.id),
                eq(applications.status, 'pending'),
                // The supplier read above must still be it, not revoked and above the new level: a revocation or a
                // downgrade committed meanwhile (it re-points pending applications) aborts this approval.
                app.supplierId === null
                  ? isNull(applications.supplierId)
                  : and(
                      eq(applications.supplierId, app.supplierId),
                      sql`EXISTS (SELECT 1 FROM ${agents} WHERE ${agents.id} = ${app.supplierId} AND ${agents.status} <> 'revoked' AND ${agents.level} < ${app.level})`,
                    ),
              ),
            ),
          changedGuard(db),
          db.insert(agents).values({
            id: agentId,
            code: newAgentCode(),
            name: app.name,
            phone: app.phone,
            wechat: app.wechat,
            region: app.region,
            level: app.level,
            status: 'active',
            supplierId: app.supplierId,
            referrerId: app.referrerId,
            passwordHash: app.passwordHash,
            createdAt: now,
            updatedAt: now,
          }),
          ...joinTeam(db, agentId, app.supplierId, app.level),
          db.insert(certificates).values({
            number: newCertificateNumber(now),
            agentId,
            validFrom: now,
            validUntil: now + validDays * 86_400_000,
            issuedAt: now,
          }),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'application.approve',
            targetType: 'agent',
            targetId: agentId,
            detail: { applicationId: app.id, level: app.level, supplierId: app.supplierId },
            at: now,
          }),
        ]);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'approved' } });
        if (isUniqueFailure(err, 'agents.phone')) throw new AppError('DUPLICATE_PHONE', { field: 'phone' });
        if (isUniqueFailure(err, 'agents.wechat')) throw new AppError('DUPLICATE_WECHAT', { field: 'wechat' });
        throw err;
      }
      return c.json(toView({ ...app, status: 'approved', agentId, decidedAt: now }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/applications/{id}/reject',
      tags: ['applications'],
      summary: 'Reject with a reason the applicant can read',
      request: { params: IdParam, ...jsonBody(z.strictObject({ reason: Reason })) },
      responses: { 200: jsonResponse(ApplicationView, 'Rejected'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin', 'agent');
      const { reason } = c.req.valid('json');
      const db = c.var.db;
      const app = await loadForDecision(db, caller, c.req.valid('param').id);
      if (app.status !== 'pending') throw new AppError('INVALID_STATE', { params: { state: app.status } });
      const now = Date.now();
      try {
        await db.batch([
          db
            .update(applications)
            .set({ status: 'rejected', reason, decidedBy: caller.id, decidedAt: now })
            .where(and(eq(applications.id, app.id), eq(applications.status, 'pending'))),
          changedGuard(db),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'application.reject',
            targetType: 'application',
            targetId: app.id,
            detail: { reason },
            at: now,
          }),
        ]);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'decided' } });
        throw err;
      }
      return c.json(toView({ ...app, status: 'rejected', reason, decidedAt: now }), 200);
    },
  );

async function brandName(db: Db): Promise<string> {
  return (await brandInfo(db)).name || '品牌方';
}

function supplierNotAbove(lang: 'zh' | 'en'): string {
  return lang === 'en'
    ? 'The approving agent is no longer above the level applied for'
    : '审批人的等级已不高于申请等级，请联系品牌方';
}
