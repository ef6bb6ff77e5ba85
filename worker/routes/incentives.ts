import { createRoute, z } from '@hono/zod-openapi';
import { newId } from '../../db/ids';
import { rewardRulesQuery, settingsQuery, upgradeRulesQuery } from '../../db/incentives';
import { audit } from '../../db/network';
import { incentiveSettings, levels, rewardRules, upgradeRules } from '../../db/schema';
import { checkIncentiveConfig } from '../domain/incentiveRules';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { Fen, jsonBody, jsonResponse, LevelRank } from '../schemas';

// The brand's incentive rules: rewards paid on purchases, automatic upgrades and the points rate. Agents read them
// (they see the rules before they apply); only the brand replaces them, and the compliance guard refuses what it must.

const RewardRuleBody = z.strictObject({
  kind: z.enum(['referral', 'same_level', 'tiered']),
  trigger: z
    .enum(['first_restock', 'signup', 'approval'])
    .default('first_restock')
    .openapi({ description: 'Only first_restock is accepted: rewards are paid on purchases' }),
  // Wider than the guard allows, so a deeper rule is refused with its reason rather than a bare range error.
  depth: z.number().int().min(1).max(9).default(1),
  amountFen: Fen.default(0),
  bps: z.number().int().min(0).max(10000).default(0).openapi({ description: 'Share of the purchase, 100 = 1%' }),
  minRecruits: z.number().int().min(0).max(1000).default(0),
});

const UpgradeRuleBody = z.strictObject({
  kind: z.enum(['cumulative', 'single', 'refer']),
  targetLevel: LevelRank.nullable().default(null),
  thresholdFen: Fen.default(0),
  referCount: z.number().int().min(0).max(100).default(0),
});

const IncentiveConfig = z
  .strictObject({
    rewards: z.array(RewardRuleBody).max(20),
    upgrades: z.array(UpgradeRuleBody).max(20),
    pointsPerYuan: z.number().int().min(0).max(100),
    pointsTowardUpgrade: z.boolean(),
  })
  .openapi('IncentiveConfig');

const IncentiveRules = z
  .object({
    rewards: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['referral', 'same_level', 'tiered']),
        depth: z.number(),
        amountFen: z.number(),
        bps: z.number(),
        minRecruits: z.number(),
      }),
    ),
    upgrades: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['cumulative', 'single', 'refer']),
        targetLevel: z.number().nullable(),
        thresholdFen: z.number(),
        referCount: z.number(),
      }),
    ),
    pointsPerYuan: z.number(),
    pointsTowardUpgrade: z.boolean(),
  })
  .openapi('IncentiveRules');

export const incentiveRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/incentives/rules',
      tags: ['incentives'],
      summary: 'The reward, upgrade and points rules in force (the brand and its agents)',
      responses: { 200: jsonResponse(IncentiveRules, 'The rules'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin', 'agent');
      const db = c.var.db;
      const [rewards, upgrades, [settings]] = await db.batch([
        rewardRulesQuery(db),
        upgradeRulesQuery(db),
        settingsQuery(db),
      ]);
      return c.json(
        {
          rewards,
          upgrades,
          pointsPerYuan: settings?.pointsPerYuan ?? 0,
          pointsTowardUpgrade: settings?.pointsTowardUpgrade ?? false,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/incentives/rules',
      tags: ['incentives'],
      summary:
        'Replace the incentive rules (the brand). Refused with the rule broken: rewards only on purchases, ' +
        'at most 3 levels deep, percentages within the purchase',
      request: jsonBody(IncentiveConfig),
      responses: { 200: jsonResponse(IncentiveRules, 'The rules now in force'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const config = c.req.valid('json');
      const db = c.var.db;
      const ranks = (await db.select({ rank: levels.rank }).from(levels).limit(9)).map((l) => l.rank);
      const broken = checkIncentiveConfig(config, ranks);
      if (broken)
        throw new AppError('INCENTIVE_FORBIDDEN', { field: broken.field, params: { rule: broken.violation } });
      const now = Date.now();
      const rewards = config.rewards.map(({ trigger: _trigger, ...r }) => ({ ...r, id: newId('rul', now) }));
      const upgrades = config.upgrades.map((u) => ({ ...u, id: newId('rul', now) }));
      const settings = { pointsPerYuan: config.pointsPerYuan, pointsTowardUpgrade: config.pointsTowardUpgrade };
      await db.batch([
        db.delete(rewardRules),
        db.delete(upgradeRules),
        // One row per insert: D1 binds at most 100 parameters per statement.
        ...rewards.map((r) => db.insert(rewardRules).values(r)),
        ...upgrades.map((u) => db.insert(upgradeRules).values(u)),
        db
          .insert(incentiveSettings)
          .values({ id: 1, ...settings, updatedAt: now })
          .onConflictDoUpdate({ target: incentiveSettings.id, set: { ...settings, updatedAt: now } }),
        audit(db, {
          actorRole: caller.role,
          actorId: caller.id,
          action: 'incentives.rules',
          targetType: 'brand',
          targetId: 'brand',
          detail: { rewards: rewards.length, upgrades: upgrades.length, ...settings },
          at: now,
        }),
      ]);
      return c.json({ rewards, upgrades, ...settings }, 200);
    },
  );
