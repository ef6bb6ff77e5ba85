import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Products, stock, orders with their lines and settlement shares, and the payment notifications applied.
// Times are integer milliseconds since the epoch; money is integer fen.

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
    // An unpaid order's units are held until then; the cron cancels it after (null once paid or for a pickup).
    expiresAt: integer('expires_at'),
    // SHA-256 of the token a guest got once at creation: it reads and pays its order with it.
    guestTokenHash: text('guest_token_hash'),
    // What people see and search for: 18 digits, time-ordered (worker/domain/orderNumber.ts).
    orderNo: text('order_no'),
    // Whether a guest buyer may be told the agent serving it: not when its unproved phone is bound to another agent
    // than the shop's (worker/domain/orderFlow.ts consumerPayee).
    agentShown: integer('agent_shown', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [
    index('orders_late_payment_due').on(t.id).where(sql`late_paid_fen > 0 AND late_refunded_at IS NULL`),
    index('orders_agent').on(t.agentId, t.id),
    index('orders_payee_status').on(t.payeeId, t.status, t.id),
    index('orders_member').on(t.memberId, t.id).where(sql`member_id IS NOT NULL`),
    index('orders_status').on(t.status, t.id),
    // Orders an agent ships from its own stock, by status (the console's to-ship list and count).
    index('orders_stock_owner_status').on(t.stockOwnerId, t.status, t.id),
    // Orders by the phone they ship to: the order search, a guest's SMS-proved lookup and the claim at signup (those
    // two filter the phone's orders to the guest ones; migration 0026 dropped the partial index that held only those).
    index('orders_ship_phone').on(t.shipPhone, t.id),
    index('orders_ship_name').on(t.shipName, t.id),
    uniqueIndex('orders_order_no').on(t.orderNo),
    // Shipped orders the cron completes once the brand's days have passed.
    index('orders_shipped_due').on(t.shippedAt).where(sql`status = 'shipped'`),
    index('orders_unpaid_expiry').on(t.expiresAt).where(sql`status = 'pending_payment'`),
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
// Stored WITHOUT ROWID (migration 0024, which drizzle cannot say): the table is its primary key's B-tree, so the three
// ids are not kept a second time in an index (about 650 bytes an order). Nothing may read its rowid.
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
    // pending (held: credited to the party's account, not withdrawable) until completion plus the freeze period, then
    // available (released); its refunded part is reversed.
    status: text('status', { enum: ['planned', 'pending', 'available', 'void'] }).notNull(),
    refundedQty: integer('refunded_qty').notNull(),
    releaseAt: integer('release_at'),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.productId, t.partyId] }),
    // Only held shares wait for their release (the query names the status literally, so SQLite uses this index).
    index('order_shares_release').on(t.releaseAt).where(sql`status = 'pending'`),
    check(
      'order_shares_amount',
      sql`${t.amountFen} >= 0 AND ${t.amountFen} = (${t.sellUnitFen} - ${t.buyUnitFen}) * ${t.qty}`,
    ),
  ],
);

// Each gateway notification once: a repeat finds its event id here.
export const paymentEvents = sqliteTable('payment_events', {
  eventId: text('event_id').primaryKey(),
  orderId: text('order_id').notNull(),
  transactionId: text('transaction_id').notNull(),
  amountFen: integer('amount_fen').notNull(),
  at: integer('at').notNull(),
});

// A buyer's after-sales request (申请售后): a refund of the whole order or of some units, which the party that
// may refund the order approves (through the ordinary refund) or refuses. One open request per order.
export const afterSales = sqliteTable(
  'after_sales',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    // The order's agent and payee, copied so each side's list reads one index range.
    agentId: text('agent_id').notNull(),
    payeeId: text('payee_id').notNull(),
    kind: text('kind', { enum: ['refund', 'return'] }).notNull(),
    status: text('status', { enum: ['requested', 'approved', 'refused'] }).notNull(),
    reason: text('reason').notNull(),
    // The units asked back: [{ productId, qty }].
    lines: text('lines', { mode: 'json' }).$type<{ productId: string; qty: number }[]>().notNull(),
    amountFen: integer('amount_fen').notNull(),
    answer: text('answer'),
    createdAt: integer('created_at').notNull(),
    decidedAt: integer('decided_at'),
  },
  (t) => [
    index('after_sales_order').on(t.orderId, t.id),
    index('after_sales_agent').on(t.agentId, t.status, t.id),
    index('after_sales_payee').on(t.payeeId, t.status, t.id),
    index('after_sales_status').on(t.status, t.id),
    uniqueIndex('after_sales_one_open').on(t.orderId).where(sql`status = 'requested'`),
    check('after_sales_kind', sql`${t.kind} IN ('refund', 'return')`),
    check('after_sales_status', sql`${t.status} IN ('requested', 'approved', 'refused')`),
    check('after_sales_amount', sql`${t.amountFen} > 0`),
  ],
);
