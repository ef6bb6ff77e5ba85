import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, gt, gte, sql } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import { addPoints, ensureProgress, progressQuery } from '../../db/incentives';
import { audit } from '../../db/network';
import { agentProgress, gifts } from '../../db/schema';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { IdParam, jsonBody, jsonResponse, TextLine } from '../schemas';

// Gifts the brand lists for points, and an agent's redemption: points and the gift's stock both move by
// conditional updates in one batch, so neither can go below zero.

const Gift = z.object({ id: z.string(), name: z.string(), pointsCost: z.number(), stock: z.number() }).openapi('Gift');

const GiftBody = z.strictObject({
  name: TextLine(40),
  pointsCost: z.number().int().min(1).max(10_000_000),
  stock: z.number().int().min(0).max(1_000_000),
});

export const giftRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/gifts',
      tags: ['incentives'],
      summary: 'Gifts redeemable for points (the brand and its agents)',
      responses: { 200: jsonResponse(z.object({ items: z.array(Gift) }), 'Gifts'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin', 'agent');
      const items = await c.var.db
        .select({ id: gifts.id, name: gifts.name, pointsCost: gifts.pointsCost, stock: gifts.stock })
        .from(gifts)
        .orderBy(asc(gifts.pointsCost), asc(gifts.id))
        .limit(100);
      return c.json({ items }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/gifts',
      tags: ['incentives'],
      summary: 'List a gift for points (the brand)',
      request: jsonBody(GiftBody),
      responses: { 201: jsonResponse(Gift, 'Listed'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const body = c.req.valid('json');
      const now = Date.now();
      const gift = { id: newId('gft', now), ...body };
      const [count] = await c.var.db.select({ n: sql<number>`count(*)` }).from(gifts);
      if ((count?.n ?? 0) >= 100) throw new AppError('INVALID_STATE', { params: { state: 'gifts ≥ 100' } });
      await c.var.db.batch([
        c.var.db.insert(gifts).values({ ...gift, createdAt: now }),
        audit(c.var.db, {
          actorRole: caller.role,
          actorId: caller.id,
          action: 'gift.create',
          targetType: 'gift',
          targetId: gift.id,
          at: now,
        }),
      ]);
      return c.json(gift, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/gifts/{id}/redeem',
      tags: ['incentives'],
      summary: 'Redeem one gift with the calling agent’s points',
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ giftId: z.string(), points: z.number() }), 'Redeemed; points left'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const { id } = c.req.valid('param');
      const db = c.var.db;
      const [[gift], [progress]] = await db.batch([
        db.select().from(gifts).where(eq(gifts.id, id)).limit(1),
        progressQuery(db, [caller.id]),
      ]);
      if (!gift) throw new AppError('NOT_FOUND', { params: { what: 'gift' } });
      const have = progress?.points ?? 0;
      if (have < gift.pointsCost) {
        throw new AppError('INSUFFICIENT_POINTS', { params: { needed: gift.pointsCost, have } });
      }
      if (gift.stock <= 0) throw new AppError('OUT_OF_STOCK', { params: { name: gift.name } });
      const now = Date.now();
      try {
        await db.batch([
          ensureProgress(db, caller.id),
          // Guards in SQL: a concurrent redemption that spent the points or took the last gift aborts this one.
          db
            .update(agentProgress)
            .set({ points: sql`${agentProgress.points}` })
            .where(and(eq(agentProgress.agentId, caller.id), gte(agentProgress.points, gift.pointsCost))),
          changedGuard(db),
          db
            .update(gifts)
            .set({ stock: sql`${gifts.stock} - 1` })
            .where(and(eq(gifts.id, id), gt(gifts.stock, 0))),
          changedGuard(db),
          ...addPoints(db, { agentId: caller.id, kind: 'redeem', points: -gift.pointsCost, giftId: id }, now),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'gift.redeem',
            targetType: 'gift',
            targetId: id,
            detail: { points: gift.pointsCost },
            at: now,
          }),
        ]);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
        throw err;
      }
      return c.json({ giftId: id, points: have - gift.pointsCost }, 200);
    },
  );
