import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Pre-aggregated rows for the team PK leaderboards and the brand dashboard. Triggers on agents, members, orders and
// order_lines (migration 0012) keep them in the same statement as each write, so every reader takes a bounded
// number of rows and none scans the orders. Days ('2026-12-04') and months ('2026-12') are China time (UTC+8).

export const boardMetrics = ['sales', 'agents', 'members'] as const;
export const breakdownDims = ['level', 'province', 'product'] as const;

// Each agent's team (the agent at the top of its supply chain, whom the brand supplies) and its province.
export const agentTeams = sqliteTable(
  'agent_teams',
  {
    agentId: text('agent_id').primaryKey(),
    teamId: text('team_id').notNull(),
    province: text('province').notNull(),
  },
  (t) => [index('agent_teams_team').on(t.teamId)],
);

// The keys a paid order was counted under, so its refunds come off the same counters.
export const saleFacts = sqliteTable('sale_facts', {
  orderId: text('order_id').primaryKey(),
  day: text('day').notNull(),
  month: text('month').notNull(),
  agentId: text('agent_id').notNull(),
  teamId: text('team_id').notNull(),
  level: integer('level').notNull(),
  province: text('province').notNull(),
  // A member id, or 'tel:' and a guest's phone; null for restocks.
  consumer: text('consumer'),
});

// Per month and metric: sales (net fen), agents recruited (as referrer), members bound at signup.
export const boardAgents = sqliteTable(
  'board_agents',
  {
    month: text('month').notNull(),
    metric: text('metric', { enum: boardMetrics }).notNull(),
    agentId: text('agent_id').notNull(),
    teamId: text('team_id').notNull(),
    value: integer('value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.metric, t.agentId] }),
    index('board_agents_rank').on(t.month, t.metric, t.value, t.agentId),
    index('board_agents_team_rank').on(t.month, t.metric, t.teamId, t.value, t.agentId),
    check('board_agents_metric', sql`${t.metric} IN ('sales', 'agents', 'members')`),
  ],
);

export const boardTeams = sqliteTable(
  'board_teams',
  {
    month: text('month').notNull(),
    metric: text('metric', { enum: boardMetrics }).notNull(),
    teamId: text('team_id').notNull(),
    value: integer('value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.metric, t.teamId] }),
    index('board_teams_rank').on(t.month, t.metric, t.value, t.teamId),
    check('board_teams_metric', sql`${t.metric} IN ('sales', 'agents', 'members')`),
  ],
);

export const teamTargets = sqliteTable(
  'team_targets',
  {
    month: text('month').notNull(),
    teamId: text('team_id').notNull(),
    salesFen: integer('sales_fen').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.teamId] }), check('team_targets_sales', sql`${t.salesFen} > 0`)],
);

export const dailyStats = sqliteTable('daily_stats', {
  day: text('day').primaryKey(),
  orders: integer('orders').notNull().default(0),
  salesFen: integer('sales_fen').notNull().default(0),
  newAgents: integer('new_agents').notNull().default(0),
  newMembers: integer('new_members').notNull().default(0),
});

// Sales per month by the seller's level, its province, and by product (units too).
export const monthBreakdown = sqliteTable(
  'month_breakdown',
  {
    month: text('month').notNull(),
    dim: text('dim', { enum: breakdownDims }).notNull(),
    key: text('key').notNull(),
    salesFen: integer('sales_fen').notNull(),
    units: integer('units').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.dim, t.key] }),
    index('month_breakdown_rank').on(t.month, t.dim, t.salesFen, t.key),
    check('month_breakdown_dim', sql`${t.dim} IN ('level', 'province', 'product')`),
  ],
);

// Paid, not wholly refunded orders per consumer, and how many consumers have one and how many two or more.
export const consumerOrders = sqliteTable(
  'consumer_orders',
  { consumer: text('consumer').primaryKey(), n: integer('n').notNull() },
  (t) => [check('consumer_orders_n', sql`${t.n} >= 0`)],
);

export const buyerTotals = sqliteTable(
  'buyer_totals',
  { id: integer('id').primaryKey(), buyers: integer('buyers').notNull(), repeaters: integer('repeaters').notNull() },
  (t) => [check('buyer_totals_singleton', sql`${t.id} = 1`)],
);
