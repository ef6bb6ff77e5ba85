import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { BrandTheme } from '../worker/domain/brandSettings';
import type { AgentStatus } from '../worker/domain/types';
import { allOf } from './enums';
import type { PayoutKind } from './schema-ledger';

// The agent network: the brand's settings, levels, agents and their supply tree, applications, certificates.
// Times are integer milliseconds since the epoch; money is integer fen.

const agentStatuses = allOf<AgentStatus>()(['active', 'suspended', 'revoked']);

export const brandThemes = allOf<BrandTheme>()([
  'teal',
  'red',
  'rose',
  'orange',
  'gold',
  'green',
  'blue',
  'purple',
  'black',
]);
export type { BrandTheme };

export const brand = sqliteTable(
  'brand',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    sealText: text('seal_text').notNull(),
    stockModel: text('stock_model', { enum: ['direct', 'cloud'] }).notNull(),
    freezeDays: integer('freeze_days').notNull(),
    bindingPolicy: text('binding_policy', { enum: ['permanent', 'rebind'] }).notNull(),
    rebindDays: integer('rebind_days').notNull(),
    withdrawMinFen: integer('withdraw_min_fen').notNull(),
    certValidDays: integer('cert_valid_days').notNull(),
    // How long an unpaid order holds its units before the cron cancels it, and the most units one consumer order takes.
    unpaidHoldMinutes: integer('unpaid_hold_minutes').notNull().default(30),
    maxConsumerUnits: integer('max_consumer_units').notNull().default(20),
    // The brand's face on consumer pages: a logo (https URL or site path, '' for none) and one of the themes that
    // site/src/styles/themes.css defines (a class, not inline style, so the pages keep a strict CSP).
    logoUrl: text('logo_url').notNull().default(''),
    theme: text('theme', { enum: brandThemes }).notNull().default('teal'),
    // 1: approving a withdrawal pays it by WeChat Pay transfer when the agent's openid is known.
    payoutTransfer: integer('payout_transfer', { mode: 'boolean' }).notNull().default(false),
    // Days after shipment when the cron completes an order its buyer has not confirmed.
    autoCompleteDays: integer('auto_complete_days').notNull().default(10),
    // How to pay the brand offline (WeChat ID, phone, bank account), shown to buyers whose payee is the brand.
    payNote: text('pay_note').notNull().default(''),
    // The brand's 收款码 (payment QR): an uploaded picture's path (/api/files/…), '' for none.
    payQrUrl: text('pay_qr_url').notNull().default(''),
    // Closed months older than this many move from D1 to R2 (worker/archive/).
    archiveAfterMonths: integer('archive_after_months').notNull().default(6),
    // The payout account kinds the brand pays withdrawals to (at least one, in wechat/alipay/bank order).
    payoutKinds: text('payout_kinds', { mode: 'json' })
      .$type<PayoutKind[]>()
      .notNull()
      .default(sql`'["wechat","alipay","bank"]'`),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('brand_singleton', sql`${t.id} = 1`),
    check(
      'brand_payout_kinds',
      sql`json_valid(${t.payoutKinds}) AND json_array_length(${t.payoutKinds}) BETWEEN 1 AND 3`,
    ),
    check('brand_archive_after_months', sql`${t.archiveAfterMonths} BETWEEN 1 AND 120`),
    check('brand_stock_model', sql`${t.stockModel} IN ('direct', 'cloud')`),
    check('brand_freeze_days', sql`${t.freezeDays} BETWEEN 0 AND 90`),
    check('brand_binding_policy', sql`${t.bindingPolicy} IN ('permanent', 'rebind')`),
    check('brand_rebind_days', sql`${t.rebindDays} BETWEEN 1 AND 3650`),
    check('brand_withdraw_min', sql`${t.withdrawMinFen} >= 0`),
    check('brand_cert_valid_days', sql`${t.certValidDays} BETWEEN 1 AND 3650`),
    check('brand_unpaid_hold', sql`${t.unpaidHoldMinutes} BETWEEN 5 AND 1440`),
    check('brand_max_consumer_units', sql`${t.maxConsumerUnits} BETWEEN 1 AND 9999`),
    check('brand_auto_complete_days', sql`${t.autoCompleteDays} BETWEEN 1 AND 60`),
    check('brand_theme', sql`${t.theme} IN ${sql.raw(`(${brandThemes.map((th) => `'${th}'`).join(', ')})`)}`),
  ],
);

export const levels = sqliteTable(
  'levels',
  {
    rank: integer('rank').primaryKey(),
    name: text('name').notNull(),
    firstOrderFen: integer('first_order_fen').notNull(),
  },
  (t) => [
    uniqueIndex('levels_name').on(t.name),
    check('levels_rank', sql`${t.rank} BETWEEN 1 AND 9`),
    check('levels_first_order', sql`${t.firstOrderFen} >= 0`),
  ],
);

export const agents = sqliteTable(
  'agents',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    wechat: text('wechat').notNull(),
    region: text('region').notNull(),
    level: integer('level')
      .notNull()
      .references(() => levels.rank),
    status: text('status', { enum: agentStatuses }).notNull(),
    statusReason: text('status_reason'),
    // null supplier means the brand supplies this agent.
    supplierId: text('supplier_id'),
    referrerId: text('referrer_id'),
    passwordHash: text('password_hash').notNull(),
    // Set while the brand has stopped supplying this agent (停货): restocks and pickups are refused.
    supplyStoppedAt: integer('supply_stopped_at'),
    // The agent's openid under the merchant's appid, for payouts by WeChat Pay transfer; null until known.
    openid: text('openid'),
    // How to pay this agent offline, shown to buyers whose order it is the payee of.
    payNote: text('pay_note').notNull().default(''),
    // The agent's 收款码 (payment QR), an upload of its own (/api/files/…); '' for none.
    payQrUrl: text('pay_qr_url').notNull().default(''),
    // The agent's own photo for its share posters, an upload of its own; '' for none.
    photoUrl: text('photo_url').notNull().default(''),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('agents_code').on(t.code),
    uniqueIndex('agents_phone').on(t.phone),
    uniqueIndex('agents_wechat').on(t.wechat),
    uniqueIndex('agents_openid').on(t.openid),
    index('agents_supplier_level').on(t.supplierId, t.level),
    index('agents_level_id').on(t.level, t.id),
    index('agents_name').on(t.name),
    // Certificate lookups and price-breaking reports find a WeChat ID in any case (wechat = ? COLLATE NOCASE).
    index('agents_wechat_nocase').on(sql`${t.wechat} COLLATE NOCASE`),
    check('agents_status', sql`${t.status} IN ('active', 'suspended', 'revoked')`),
    check('agents_not_own_supplier', sql`${t.supplierId} IS NULL OR ${t.supplierId} <> ${t.id}`),
  ],
);

// Closure of the supply tree: one row per (agent, each agent above it). An agent has at most
// eight agents above it (levels are strictly increasing up the chain), so this stays at most 8 × N rows
// and lets a subtree be listed through an index instead of a recursive walk.
export const teamMembers = sqliteTable(
  'team_members',
  {
    ancestorId: text('ancestor_id').notNull(),
    memberId: text('member_id').notNull(),
    level: integer('level').notNull(),
    status: text('status', { enum: agentStatuses }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ancestorId, t.memberId] }),
    index('team_members_member').on(t.memberId),
    index('team_members_level').on(t.ancestorId, t.level, t.memberId),
    index('team_members_status').on(t.ancestorId, t.status, t.memberId),
  ],
);

// Maintained counts per level of each owner's whole team (owner 'brand' counts every agent), so a team summary
// reads at most nine rows whatever the size of the team. Revoked agents are not counted.
export const teamCounts = sqliteTable(
  'team_counts',
  {
    ownerId: text('owner_id').notNull(),
    level: integer('level').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.level] }), check('team_counts_non_negative', sql`${t.count} >= 0`)],
);

export const applications = sqliteTable(
  'applications',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    wechat: text('wechat').notNull(),
    region: text('region').notNull(),
    level: integer('level').notNull(),
    referrerId: text('referrer_id'),
    supplierId: text('supplier_id'),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull(),
    reason: text('reason'),
    passwordHash: text('password_hash').notNull(),
    agentId: text('agent_id'),
    decidedBy: text('decided_by'),
    decidedAt: integer('decided_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('applications_pending_phone').on(t.phone).where(sql`status = 'pending'`),
    uniqueIndex('applications_pending_wechat').on(t.wechat).where(sql`status = 'pending'`),
    index('applications_supplier_status').on(t.supplierId, t.status, t.id),
    index('applications_status_id').on(t.status, t.id),
    index('applications_agent').on(t.agentId),
    check('applications_status', sql`${t.status} IN ('pending', 'approved', 'rejected')`),
  ],
);

export const certificates = sqliteTable(
  'certificates',
  {
    number: text('number').primaryKey(),
    agentId: text('agent_id').notNull(),
    validFrom: integer('valid_from').notNull(),
    validUntil: integer('valid_until').notNull(),
    issuedAt: integer('issued_at').notNull(),
  },
  (t) => [
    uniqueIndex('certificates_agent').on(t.agentId),
    check('certificates_validity', sql`${t.validUntil} > ${t.validFrom}`),
  ],
);

export const certLookups = sqliteTable(
  'cert_lookups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: text('agent_id').notNull(),
    via: text('via', { enum: ['number', 'wechat', 'phone'] }).notNull(),
    region: text('region'),
    at: integer('at').notNull(),
  },
  (t) => [index('cert_lookups_agent').on(t.agentId, t.id)],
);

export type Agent = typeof agents.$inferSelect;
export type Application = typeof applications.$inferSelect;
export type Brand = typeof brand.$inferSelect;
export type Level = typeof levels.$inferSelect;
