import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are integer milliseconds since the epoch; money is integer fen.

export const brandThemes = ['teal', 'red', 'rose', 'orange', 'gold', 'green', 'blue', 'purple', 'black'] as const;
export type BrandTheme = (typeof brandThemes)[number];

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
    // The brand's face on consumer pages: a logo (https URL or site path, '' for none) and one of the themes that
    // site/src/styles/themes.css defines (a class, not inline style, so the pages keep a strict CSP).
    logoUrl: text('logo_url').notNull().default(''),
    theme: text('theme', { enum: brandThemes }).notNull().default('teal'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('brand_singleton', sql`${t.id} = 1`),
    check('brand_stock_model', sql`${t.stockModel} IN ('direct', 'cloud')`),
    check('brand_freeze_days', sql`${t.freezeDays} BETWEEN 0 AND 90`),
    check('brand_binding_policy', sql`${t.bindingPolicy} IN ('permanent', 'rebind')`),
    check('brand_rebind_days', sql`${t.rebindDays} BETWEEN 1 AND 3650`),
    check('brand_withdraw_min', sql`${t.withdrawMinFen} >= 0`),
    check('brand_cert_valid_days', sql`${t.certValidDays} BETWEEN 1 AND 3650`),
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
    status: text('status', { enum: ['active', 'suspended', 'revoked'] }).notNull(),
    statusReason: text('status_reason'),
    // null supplier means the brand supplies this agent.
    supplierId: text('supplier_id'),
    referrerId: text('referrer_id'),
    passwordHash: text('password_hash').notNull(),
    // Set while the brand has stopped supplying this agent (停货): restocks and pickups are refused.
    supplyStoppedAt: integer('supply_stopped_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('agents_code').on(t.code),
    uniqueIndex('agents_phone').on(t.phone),
    uniqueIndex('agents_wechat').on(t.wechat),
    index('agents_supplier_level').on(t.supplierId, t.level),
    index('agents_level_id').on(t.level, t.id),
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
    status: text('status', { enum: ['active', 'suspended', 'revoked'] }).notNull(),
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

export const members = sqliteTable(
  'members',
  {
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    boundAgentId: text('bound_agent_id'),
    boundAt: integer('bound_at'),
    // Last order placed as this member or with its phone; the `rebind` policy counts days without an order from here.
    lastOrderAt: integer('last_order_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('members_phone').on(t.phone), index('members_bound_agent').on(t.boundAgentId, t.id)],
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

export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_window').on(t.windowStart)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    actorRole: text('actor_role', { enum: ['admin', 'agent', 'member', 'public', 'system'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    at: integer('at').notNull(),
  },
  (t) => [index('audit_log_target').on(t.targetId, t.id)],
);

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    images: text('images', { mode: 'json' }).$type<string[]>().notNull(),
    // The brand's own shelf name ('' for none): the shop's category filter.
    category: text('category').notNull().default(''),
    retailFen: integer('retail_fen').notNull(),
    onSale: integer('on_sale', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('products_sku').on(t.sku),
    index('products_on_sale').on(t.onSale, t.id),
    index('products_category').on(t.onSale, t.category, t.id),
    check('products_retail', sql`${t.retailFen} > 0`),
  ],
);

export const productPrices = sqliteTable(
  'product_prices',
  {
    productId: text('product_id').notNull(),
    level: integer('level').notNull(),
    priceFen: integer('price_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.level] }), check('product_prices_positive', sql`${t.priceFen} > 0`)],
);

// Units owned per (owner, product): owner 'brand' is the warehouse; in the cloud model each agent owns units too.
// The CHECK makes any move that would go below zero abort its whole batch.
export const stock = sqliteTable(
  'stock',
  {
    ownerId: text('owner_id').notNull(),
    productId: text('product_id').notNull(),
    qty: integer('qty').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.productId] }), check('stock_not_negative', sql`${t.qty} >= 0`)],
);

export const orderStatuses = [
  'pending_payment',
  'paid',
  'shipped',
  'completed',
  'cancelled',
  'refused',
  'refunded',
] as const;

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    // consumer: a member or guest buys through an agent; restock: an agent buys from its supplier; pickup (提货):
    // an agent has its own cloud stock shipped to an address.
    kind: text('kind', { enum: ['consumer', 'restock', 'pickup'] }).notNull(),
    stockModel: text('stock_model', { enum: ['direct', 'cloud'] }).notNull(),
    // The agent it is sold through (consumer) or the buying agent (restock, pickup).
    agentId: text('agent_id').notNull(),
    // Who is paid and confirms an offline payment: an agent id, or 'brand'.
    payeeId: text('payee_id').notNull(),
    // Whose units the order takes ('brand' = the warehouse): cancellations and refunds give them back there.
    stockOwnerId: text('stock_owner_id').notNull(),
    memberId: text('member_id'),
    paymentMethod: text('payment_method', { enum: ['online', 'offline'] }).notNull(),
    status: text('status', { enum: orderStatuses }).notNull(),
    amountFen: integer('amount_fen').notNull(),
    refundedFen: integer('refunded_fen').notNull(),
    shipName: text('ship_name'),
    shipPhone: text('ship_phone'),
    shipAddress: text('ship_address'),
    carrier: text('carrier'),
    trackingNo: text('tracking_no'),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
    paidAt: integer('paid_at'),
    shippedAt: integer('shipped_at'),
    completedAt: integer('completed_at'),
    closedAt: integer('closed_at'),
    // Money the gateway collected after the order was cancelled: owed back to the payer until the brand refunds it.
    latePaidFen: integer('late_paid_fen').notNull().default(0),
    lateRefundedAt: integer('late_refunded_at'),
    lateRefundRef: text('late_refund_ref'),
  },
  (t) => [
    index('orders_late_payment_due').on(t.id).where(sql`late_paid_fen > 0 AND late_refunded_at IS NULL`),
    index('orders_agent').on(t.agentId, t.id),
    index('orders_payee_status').on(t.payeeId, t.status, t.id),
    index('orders_member').on(t.memberId, t.id),
    index('orders_status').on(t.status, t.id),
    check('orders_kind', sql`${t.kind} IN ('consumer', 'restock', 'pickup')`),
    check(
      'orders_status',
      sql`${t.status} IN ('pending_payment', 'paid', 'shipped', 'completed', 'cancelled', 'refused', 'refunded')`,
    ),
    check('orders_amount', sql`${t.amountFen} >= 0 AND ${t.refundedFen} >= 0 AND ${t.refundedFen} <= ${t.amountFen}`),
  ],
);

export const orderLines = sqliteTable(
  'order_lines',
  {
    orderId: text('order_id').notNull(),
    productId: text('product_id').notNull(),
    qty: integer('qty').notNull(),
    unitFen: integer('unit_fen').notNull(),
    refundedQty: integer('refunded_qty').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.productId] }),
    check('order_lines_qty', sql`${t.qty} > 0 AND ${t.refundedQty} >= 0 AND ${t.refundedQty} <= ${t.qty}`),
    check('order_lines_unit', sql`${t.unitFen} >= 0`),
  ],
);

// The settlement of each order line per tier, written when the order is placed and booked when it is paid. Each row is
// what the Compliance guard asks for: a purchase at buy_unit_fen and a resale at sell_unit_fen of qty units.
export const orderShares = sqliteTable(
  'order_shares',
  {
    orderId: text('order_id').notNull(),
    productId: text('product_id').notNull(),
    // An agent id, or 'brand'.
    partyId: text('party_id').notNull(),
    level: integer('level').notNull(),
    buyUnitFen: integer('buy_unit_fen').notNull(),
    sellUnitFen: integer('sell_unit_fen').notNull(),
    qty: integer('qty').notNull(),
    amountFen: integer('amount_fen').notNull(),
    // pending until completion plus the freeze period, then available; its refunded part is reversed.
    status: text('status', { enum: ['planned', 'pending', 'available', 'void'] }).notNull(),
    refundedQty: integer('refunded_qty').notNull(),
    releaseAt: integer('release_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.productId, t.partyId] }),
    index('order_shares_release').on(t.status, t.releaseAt),
    index('order_shares_party').on(t.partyId, t.orderId),
    check(
      'order_shares_amount',
      sql`${t.amountFen} >= 0 AND ${t.amountFen} = (${t.sellUnitFen} - ${t.buyUnitFen}) * ${t.qty}`,
    ),
  ],
);

// Double entry: each transaction's entries sum to zero; balances are kept beside them in the same batch.
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    txnId: text('txn_id').notNull(),
    account: text('account').notNull(),
    amountFen: integer('amount_fen').notNull(),
    kind: text('kind').notNull(),
    orderId: text('order_id'),
    memo: text('memo'),
    at: integer('at').notNull(),
  },
  (t) => [
    index('ledger_account').on(t.account, t.id),
    index('ledger_txn').on(t.txnId),
    index('ledger_order').on(t.orderId),
  ],
);

export const balances = sqliteTable('balances', {
  account: text('account').primaryKey(),
  balanceFen: integer('balance_fen').notNull(),
});

export const withdrawals = sqliteTable(
  'withdrawals',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id').notNull(),
    amountFen: integer('amount_fen').notNull(),
    status: text('status', { enum: ['requested', 'paid', 'rejected'] }).notNull(),
    reference: text('reference'),
    reason: text('reason'),
    createdAt: integer('created_at').notNull(),
    decidedAt: integer('decided_at'),
  },
  (t) => [
    index('withdrawals_agent').on(t.agentId, t.id),
    index('withdrawals_status').on(t.status, t.id),
    check('withdrawals_amount', sql`${t.amountFen} > 0`),
  ],
);

// A repeated request with the same Idempotency-Key gets the first answer back.
export const idempotency = sqliteTable('idempotency', {
  key: text('key').primaryKey(),
  requestHash: text('request_hash').notNull(),
  status: integer('status').notNull(),
  body: text('body').notNull(),
  createdAt: integer('created_at').notNull(),
});

// Each gateway notification once: a repeat finds its event id here.
export const paymentEvents = sqliteTable('payment_events', {
  eventId: text('event_id').primaryKey(),
  orderId: text('order_id').notNull(),
  transactionId: text('transaction_id').notNull(),
  amountFen: integer('amount_fen').notNull(),
  at: integer('at').notNull(),
});

export type Agent = typeof agents.$inferSelect;
export type Application = typeof applications.$inferSelect;
export type Brand = typeof brand.$inferSelect;
export type Level = typeof levels.$inferSelect;
export type AgentStatus = Agent['status'];
export type Role = (typeof sessions.$inferSelect)['role'];

// One row that a batch rewrites with `changes()` of its previous statement: the CHECK aborts the whole batch
// when a conditional UPDATE touched nothing (D1 has no BEGIN/COMMIT; the batch is the transaction).
export const guards = sqliteTable('guards', { id: integer('id').primaryKey(), ok: integer('ok').notNull() }, (t) => [
  check('guards_ok', sql`${t.ok} > 0`),
]);

export * from './schema-policing';
