import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { changedGuard, isGuardFailure, isUniqueFailure } from '../../../db/guard';
import { newAgentCode, newCertificateNumber, newId } from '../../../db/ids';
import { audit, joinTeam, stillSupplies } from '../../../db/network';
import { agents, applications, brand, certificates } from '../../../db/schema';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { requireCaller } from '../../middleware/session';
import { IdParam, jsonBody, jsonResponse, Reason } from '../../schemas';
import { loadForDecision } from './access';
import { ApplicationView, toView } from './shapes';

// Approving (the applicant becomes an agent with its certificate, in one batch) or rejecting an application.
export const decideRoutes = createRouter()
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
                  : and(eq(applications.supplierId, app.supplierId), stillSupplies(app.supplierId, app.level)),
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

function supplierNotAbove(lang: 'zh' | 'en'): string {
  return lang === 'en'
    ? 'The approving agent is no longer above the level applied for'
    : '审批人的等级已不高于申请等级，请联系品牌方';
}
