import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Incentives (issue 17): reward rules paid on purchases, automatic upgrades, points and gifts.
// Times are integer milliseconds since the epoch; money is integer fen.

// The brand's points policy: points per yuan of personal (consumer) sales, and whether points count toward the
// cumulative-restock upgrade (one point as one yuan).
export const incentiveSettings = sqliteTable(
  'incentive_settings',
  {
    id: integer('id').primaryKey(),
    pointsPerYuan: integer('points_per_yuan').notNull().default(0),
    pointsTowardUpgrade: integer('points_toward_upgrade', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('incentive_settings_singleton', sql`${t.id} = 1`),
    check('incentive_settings_points', sql`${t.pointsPerYuan} BETWEEN 0 AND 100`),
  ],
);

// Reward rules. referral: paid to the referrer `depth` steps up the referral line on a recruit's first restock;
// same_level: to the direct referrer when the recruit is of its level; tiered: to the direct referrer when its
// qualified recruits in a month reach min_recruits. The CHECK keeps the compliance guard's depth limit in SQL too.
export const rewardRules = sqliteTable(
  'reward_rules',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['referral', 'same_level', 'tiered'] }).notNull(),
    depth: integer('depth').notNull().default(1),
    amountFen: integer('amount_fen').notNull().default(0),
    // Basis points of the purchase (100 = 1%).
    bps: integer('bps').notNull().default(0),
    minRecruits: integer('min_recruits').notNull().default(0),
  },
  (t) => [
    check('reward_rules_kind', sql`${t.kind} IN ('referral', 'same_level', 'tiered')`),
    check('reward_rules_depth', sql`${t.depth} BETWEEN 1 AND 3`),
    check('reward_rules_money', sql`${t.amountFen} >= 0 AND ${t.bps} BETWEEN 0 AND 10000`),
  ],
);

// Automatic upgrades. cumulative / single: reaching threshold_fen raises the agent to target_level;
// refer (推三升一): refer_count qualified recruits of the agent's own level raise it one level.
export const upgradeRules = sqliteTable(
  'upgrade_rules',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['cumulative', 'single', 'refer'] }).notNull(),
    targetLevel: integer('target_level'),
    thresholdFen: integer('threshold_fen').notNull().default(0),
    referCount: integer('refer_count').notNull().default(0),
  },
  (t) => [check('upgrade_rules_kind', sql`${t.kind} IN ('cumulative', 'single', 'refer')`)],
);

// Maintained per agent in the order's batch, so progress and rules read one row.
export const agentProgress = sqliteTable(
  'agent_progress',
  {
    agentId: text('agent_id').primaryKey(),
    restockFen: integer('restock_fen').notNull().default(0),
    // The order that made this agent a qualified recruit; a recruit qualifies once.
    firstRestockOrderId: text('first_restock_order_id'),
    // Qualified recruits of its own level since its level last changed (推三升一).
    sameLevelRecruits: integer('same_level_recruits').notNull().default(0),
    // May go negative when a refund takes back points already redeemed (a debt, like the wallet's).
    points: integer('points').notNull().default(0),
  },
  (t) => [check('agent_progress_counts', sql`${t.restockFen} >= 0 AND ${t.sameLevelRecruits} >= 0`)],
);

// Qualified recruits per referrer and month (YYYY-MM), for the tiered reward.
export const recruitCounts = sqliteTable(
  'recruit_counts',
  {
    agentId: text('agent_id').notNull(),
    period: text('period').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.period] })],
);

// One row per reward paid on an order; a refund reverses its share of it (reversed_fen) with a new transaction.
export const rewardGrants = sqliteTable(
  'reward_grants',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    agentId: text('agent_id').notNull(),
    ruleId: text('rule_id').notNull(),
    kind: text('kind').notNull(),
    depth: integer('depth').notNull(),
    amountFen: integer('amount_fen').notNull(),
    reversedFen: integer('reversed_fen').notNull().default(0),
    at: integer('at').notNull(),
  },
  (t) => [
    index('reward_grants_order').on(t.orderId),
    index('reward_grants_agent').on(t.agentId, t.id),
    check('reward_grants_amount', sql`${t.amountFen} > 0 AND ${t.reversedFen} BETWEEN 0 AND ${t.amountFen}`),
  ],
);

// Points history: earned on a paid consumer order, taken back by its refund, spent on a gift.
export const pointsEntries = sqliteTable(
  'points_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: text('agent_id').notNull(),
    kind: text('kind', { enum: ['earn', 'reverse', 'redeem'] }).notNull(),
    points: integer('points').notNull(),
    orderId: text('order_id'),
    giftId: text('gift_id'),
    at: integer('at').notNull(),
  },
  (t) => [index('points_entries_agent').on(t.agentId, t.id), index('points_entries_order').on(t.orderId)],
);

export const gifts = sqliteTable(
  'gifts',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    pointsCost: integer('points_cost').notNull(),
    stock: integer('stock').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [check('gifts_cost', sql`${t.pointsCost} > 0`), check('gifts_stock', sql`${t.stock} >= 0`)],
);

export type RewardRule = typeof rewardRules.$inferSelect;
export type UpgradeRule = typeof upgradeRules.$inferSelect;
export type AgentProgress = typeof agentProgress.$inferSelect;
