import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { InspectionKind, InspectionStatus, NoticeKind } from '../worker/domain/types';
import { allOf } from './enums';

// Anti-counterfeit codes (防伪码) and policing (稽查). Times are integer milliseconds; money is integer fen.

// A batch of codes for one product. Its serials are the range [serial_start, serial_start + size); `generated` counts
// the codes written so far, so an interrupted generation resumes where it stopped.
export const codeBatches = sqliteTable(
  'code_batches',
  {
    id: text('id').primaryKey(),
    productId: text('product_id').notNull(),
    size: integer('size').notNull(),
    generated: integer('generated').notNull(),
    serialStart: integer('serial_start').notNull(),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    completedAt: integer('completed_at'),
  },
  (t) => [
    uniqueIndex('code_batches_serial_start').on(t.serialStart),
    index('code_batches_product').on(t.productId, t.id),
    check('code_batches_size', sql`${t.size} BETWEEN 1 AND 100000`),
    check('code_batches_generated', sql`${t.generated} BETWEEN 0 AND ${t.size}`),
    check('code_batches_serial', sql`${t.serialStart} >= 1`),
  ],
);

// One printed code. `code` is the secret on the label (≥ 64 random bits); `serial` is printed beside it and is what
// shipments bind in ranges. The agent's certificate number is copied at binding so a verification reads one agent row.
export const codes = sqliteTable(
  'codes',
  {
    code: text('code').primaryKey(),
    serial: integer('serial').notNull(),
    batchId: text('batch_id').notNull(),
    productId: text('product_id').notNull(),
    agentId: text('agent_id'),
    certNumber: text('cert_number'),
    bindingId: text('binding_id'),
    boundAt: integer('bound_at'),
    verifyCount: integer('verify_count').notNull().default(0),
    firstVerifiedAt: integer('first_verified_at'),
    lastVerifiedAt: integer('last_verified_at'),
  },
  (t) => [
    uniqueIndex('codes_serial').on(t.serial),
    index('codes_agent').on(t.agentId, t.serial),
    check('codes_verify_count', sql`${t.verifyCount} >= 0`),
  ],
);

// One shipment's binding of codes to an agent (a serial range or a list of codes), optionally for an order.
export const codeBindings = sqliteTable(
  'code_bindings',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id').notNull(),
    orderId: text('order_id'),
    serialFrom: integer('serial_from'),
    serialTo: integer('serial_to'),
    count: integer('count').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('code_bindings_agent').on(t.agentId, t.id),
    index('code_bindings_order').on(t.orderId),
    check('code_bindings_count', sql`${t.count} > 0`),
  ],
);

const inspectionKinds = allOf<InspectionKind>()(['cross_region', 'price_report']);
const inspectionStatuses = allOf<InspectionStatus>()([
  'open',
  'dismissed',
  'warned',
  'fined',
  'supply_stopped',
  'revoked',
]);
const noticeKinds = allOf<NoticeKind>()(['warning', 'fine', 'supply_stopped', 'supply_resumed', 'revoked']);

// The brand's inspection queue: cross-selling flags raised by verifications and price-breaking reports.
export const inspections = sqliteTable(
  'inspections',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: inspectionKinds }).notNull(),
    status: text('status', { enum: inspectionStatuses }).notNull(),
    agentId: text('agent_id').notNull(),
    // cross_region: the code verified and where; price_report: what the reporter saw.
    code: text('code'),
    productId: text('product_id'),
    regionSeen: text('region_seen'),
    authorizedRegion: text('authorized_region'),
    priceSeenFen: integer('price_seen_fen'),
    note: text('note'),
    reporterContact: text('reporter_contact'),
    // Repeated verifications of one code out of region count on its open flag instead of opening new ones.
    hits: integer('hits').notNull().default(1),
    resolution: text('resolution'),
    fineFen: integer('fine_fen'),
    decidedBy: text('decided_by'),
    decidedAt: integer('decided_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    // price_report: the reporter's evidence pictures (/api/files/… paths), at most 3.
    evidence: text('evidence', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  },
  (t) => [
    index('inspections_status').on(t.status, t.id),
    index('inspections_kind_status').on(t.kind, t.status, t.id),
    index('inspections_kind').on(t.kind, t.id),
    index('inspections_agent').on(t.agentId, t.id),
    uniqueIndex('inspections_open_code').on(t.code).where(sql`kind = 'cross_region' AND status = 'open'`),
    check('inspections_kind', sql`${t.kind} IN ('cross_region', 'price_report')`),
    check(
      'inspections_status',
      sql`${t.status} IN ('open', 'dismissed', 'warned', 'fined', 'supply_stopped', 'revoked')`,
    ),
    check('inspections_fine', sql`${t.fineFen} IS NULL OR ${t.fineFen} > 0`),
    check('inspections_price', sql`${t.priceSeenFen} IS NULL OR ${t.priceSeenFen} >= 0`),
  ],
);

// What the brand told an agent: warnings, fines, supply stopped or resumed, revocation. Shown in the agent's console.
export const agentNotices = sqliteTable(
  'agent_notices',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id').notNull(),
    kind: text('kind', { enum: noticeKinds }).notNull(),
    inspectionId: text('inspection_id'),
    message: text('message').notNull(),
    amountFen: integer('amount_fen'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('agent_notices_agent').on(t.agentId, t.id)],
);

// Small values with an expiry shared by every isolate (WeChat access_token and jsapi_ticket).
export const kvCache = sqliteTable('kv_cache', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  expiresAt: integer('expires_at').notNull(),
});
