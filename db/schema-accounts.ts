import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Who signs in: brand admins, members (consumers) and the sessions of all three roles.

export const admins = sqliteTable(
  'admins',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('admins_username').on(t.username)],
);

export const members = sqliteTable(
  'members',
  {
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    boundAgentId: text('bound_agent_id'),
    boundAt: integer('bound_at'),
    boundProof: text('bound_proof', { enum: ['order', 'sms', 'openid', 'brand'] }),
    boundProofRef: text('bound_proof_ref'),
    // Last order placed as this member or with its phone; the `rebind` policy counts days without an order from here.
    lastOrderAt: integer('last_order_at'),
    createdAt: integer('created_at').notNull(),
    // From WeChat OAuth (snsapi_base) while signed in: JSAPI payment needs it.
    openid: text('openid'),
  },
  (t) => [
    uniqueIndex('members_phone').on(t.phone),
    index('members_bound_agent').on(t.boundAgentId, t.id),
    index('members_agent_phone').on(t.boundAgentId, t.phone),
    index('members_agent_name').on(t.boundAgentId, t.name),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    // SHA-256 of the token, so a leaked table does not leak live sessions.
    id: text('id').primaryKey(),
    role: text('role', { enum: ['admin', 'agent', 'member'] }).notNull(),
    subjectId: text('subject_id').notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('sessions_subject').on(t.subjectId), index('sessions_expires').on(t.expiresAt)],
);

export type Role = (typeof sessions.$inferSelect)['role'];

// A member's saved delivery addresses (at most MAX_ADDRESSES, one of them the default), offered at checkout.
export const memberAddresses = sqliteTable(
  'member_addresses',
  {
    id: text('id').primaryKey(),
    memberId: text('member_id').notNull(),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    address: text('address').notNull(),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('member_addresses_member').on(t.memberId, t.id),
    // One default per member: a second one aborts its batch.
    uniqueIndex('member_addresses_default').on(t.memberId).where(sql`is_default = 1`),
  ],
);
