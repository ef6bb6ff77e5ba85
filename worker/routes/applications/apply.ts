import { createRoute } from '@hono/zod-openapi';
import { eq, or } from 'drizzle-orm';
import { brandInfo } from '../../../db/brandInfo';
import { isUniqueFailure } from '../../../db/guard';
import { newId } from '../../../db/ids';
import { chainAbove } from '../../../db/network';
import { agents, applications, levels } from '../../../db/schema';
import { maskName } from '../../domain/mask';
import { placeSupplier } from '../../domain/placement';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { hashPassword, iterationsFor } from '../../lib/password';
import { clientIp, enforceLimit } from '../../lib/rateLimit';
import { IdParam, jsonBody, jsonResponse } from '../../schemas';
import { activeRecruiter, brandName } from './access';
import { ApplicationStatus, ApplyBody, CodeParam, Invite } from './shapes';

// The public side: an invite link, applying, and following the application by its id.
export const applyRoutes = createRouter()
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
        passwordHash: await hashPassword(body.password, iterationsFor(c.env)),
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
  );
