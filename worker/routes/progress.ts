import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, desc, eq } from 'drizzle-orm';
import {
  agentCoreQuery,
  grantsHistoryQuery,
  pointsHistoryQuery,
  progressQuery,
  settingsQuery,
  upgradeRulesQuery,
} from '../../db/incentives';
import { auditLog, levels } from '../../db/schema';
import { progressSteps } from '../domain/upgrades';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { jsonResponse, PageQuery, pageOf, toPage } from '../schemas';

// An agent's own incentives: progress toward the next level, points history, rewards received. Each reads the
// caller's own rows only (no id in the path to probe).

const Step = z.object({
  kind: z.enum(['cumulative', 'single', 'refer']),
  targetLevel: z.number(),
  targetLevelName: z.string(),
  needed: z.number().openapi({ description: 'Fen for cumulative/single, recruits for refer' }),
  current: z.number(),
});

const Progress = z
  .object({
    level: z.number(),
    levelName: z.string(),
    restockFen: z.number(),
    points: z.number(),
    pointsPerYuan: z.number(),
    pointsTowardUpgrade: z.boolean(),
    sameLevelRecruits: z.number(),
    steps: z.array(Step),
    upgrades: z.array(z.object({ at: z.number(), from: z.number(), to: z.number(), reason: z.string() })),
  })
  .openapi('Progress');

const PointsEntry = z.object({
  id: z.number(),
  kind: z.enum(['earn', 'reverse', 'redeem']),
  points: z.number(),
  orderId: z.string().nullable(),
  giftId: z.string().nullable(),
  at: z.number(),
});

const RewardGrant = z.object({
  id: z.string(),
  orderId: z.string(),
  kind: z.string(),
  depth: z.number(),
  amountFen: z.number(),
  reversedFen: z.number(),
  at: z.number(),
});

export const progressRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/incentives/progress',
      tags: ['incentives'],
      summary: 'The calling agent’s progress toward the next level, its points and its automatic upgrades',
      responses: { 200: jsonResponse(Progress, 'Progress'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const db = c.var.db;
      const [[me], rules, [progress], [settings], levelRows, log] = await db.batch([
        agentCoreQuery(db, caller.id),
        upgradeRulesQuery(db),
        progressQuery(db, [caller.id]),
        settingsQuery(db),
        db.select({ rank: levels.rank, name: levels.name }).from(levels).orderBy(asc(levels.rank)).limit(9),
        db
          .select({ at: auditLog.at, detail: auditLog.detail })
          .from(auditLog)
          .where(and(eq(auditLog.targetId, caller.id), eq(auditLog.action, 'agent.auto_upgrade')))
          .orderBy(desc(auditLog.id))
          .limit(5),
      ]);
      const level = me?.level ?? 0;
      const nameOf = (rank: number) => levelRows.find((l) => l.rank === rank)?.name ?? String(rank);
      const points = progress?.points ?? 0;
      const towardUpgrade = settings?.pointsTowardUpgrade ?? false;
      const restockFen = progress?.restockFen ?? 0;
      const cumulative = restockFen + (towardUpgrade ? Math.max(0, points) * 100 : 0);
      const steps = progressSteps(rules, level, cumulative, progress?.sameLevelRecruits ?? 0);
      return c.json(
        {
          level,
          levelName: nameOf(level),
          restockFen,
          points,
          pointsPerYuan: settings?.pointsPerYuan ?? 0,
          pointsTowardUpgrade: towardUpgrade,
          sameLevelRecruits: progress?.sameLevelRecruits ?? 0,
          steps: steps.map((s) => ({ ...s, targetLevelName: nameOf(s.targetLevel) })),
          upgrades: log.map((l) => ({
            at: l.at,
            from: Number(l.detail?.from),
            to: Number(l.detail?.to),
            reason: String(l.detail?.reason),
          })),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/points',
      tags: ['incentives'],
      summary: 'The calling agent’s points history, newest first (cursor paged)',
      request: { query: PageQuery },
      responses: { 200: jsonResponse(pageOf(PointsEntry), 'Points entries'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const { cursor, limit } = c.req.valid('query');
      const before = cursor && /^\d+$/.test(cursor) ? Number(cursor) : null;
      const rows = await pointsHistoryQuery(c.var.db, caller.id, before, limit + 1);
      return c.json(
        toPage(rows, limit, (r) => String(r.id)),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/rewards',
      tags: ['incentives'],
      summary: 'Rewards paid to the calling agent on its recruits’ purchases, newest first (cursor paged)',
      request: { query: PageQuery },
      responses: { 200: jsonResponse(pageOf(RewardGrant), 'Reward grants'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const { cursor, limit } = c.req.valid('query');
      const rows = await grantsHistoryQuery(c.var.db, caller.id, cursor ?? null, limit + 1);
      const items = rows.map(({ agentId: _a, ruleId: _r, ...g }) => g);
      return c.json(
        toPage(items, limit, (r) => r.id),
        200,
      );
    },
  );
