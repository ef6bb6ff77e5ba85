import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, gt, gte, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Context } from 'hono';
import { brandInfo } from '../../db/brandInfo';
import { ledgerEntryColumns } from '../../db/ledger';
import { agents, ledgerEntries, orderLines, orderShares, orderStatuses, orders, products } from '../../db/schema';
import { archivedLedgerRows, archivedOrderRows, archivedPurchaseRows } from '../archive/exports';
import { archivedMonths, liveFrom } from '../archive/read';
import { brandWord, orderKindWords, orderStatusWords, paymentWords } from '../domain/orderWords';
import type { AppEnv, Db } from '../env';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import type { Lang } from '../i18n';
import { concat, livePages } from '../lib/batches';
import { formatFen } from '../lib/money';
import { requireCaller } from '../middleware/session';

// Streamed CSV for Excel: UTF-8 with a BOM (or Excel reads Chinese as mojibake), CRLF rows, RFC 4180 quoting.
// Each pull of the stream reads the next PAGE rows by key, so an export of any size holds one page in memory.

const PAGE = 500;
const CHINA_OFFSET_MS = 8 * 3_600_000;

type Cell = string | number | null | { fen: number };
interface Column<R> {
  zh: string;
  en: string;
  value: (row: R, lang: Lang) => Cell;
}

const Time = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const RangeQuery = z.object({
  from: Time.optional().openapi({ description: 'From this time (ms since the epoch), inclusive' }),
  to: Time.optional().openapi({ description: 'Up to this time (ms since the epoch), exclusive' }),
});
const OrdersQuery = RangeQuery.extend({
  status: z.enum(orderStatuses).optional(),
  agentId: z.string().max(40).optional().openapi({ description: 'The agent the order was sold through or placed by' }),
});

const csvResponses = {
  200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: z.string() } } },
  ...errorResponses,
};

// Times in China Standard Time (UTC+8, no daylight saving), as Excel reads them.
function chinaTime(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  // Yuan with two decimals, as a plain number Excel can sum.
  if (typeof value === 'object') return formatFen(value.fen).replace('¥', '');
  // Excel runs a cell that starts with = + - @ as a formula: text from people stays text.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(cells: Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function inRange(column: AnySQLiteColumn, from: number | undefined, to: number | undefined): SQL | undefined {
  return and(from === undefined ? undefined : gte(column, from), to === undefined ? undefined : lt(column, to));
}

// The rows come from archived months first (read back from R2, worker/archive/exports.ts), then from D1; both go
// through the same columns, so a month reads the same before and after it is archived.
function csvResponse<R>(c: Context<AppEnv>, name: string, columns: Column<R>[], batches: AsyncIterable<R[]>): Response {
  const lang = c.var.lang;
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(columns.map((col) => col[lang]))}`));
        return;
      }
      const next = await iterator.next();
      if (next.done) controller.close();
      else
        controller.enqueue(
          encoder.encode(next.value.map((r) => csvLine(columns.map((col) => col.value(r, lang)))).join('')),
        );
    },
  });
  const day = chinaTime(Date.now())?.slice(0, 10);
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}-${day}.csv"`,
    'Cache-Control': 'no-store',
  });
}

const payee = alias(agents, 'payee');

// One row per order line (an order without lines still gets one row), keyed by order id then product id.
const orderColumns = {
  id: orders.id,
  createdAt: orders.createdAt,
  kind: orders.kind,
  status: orders.status,
  agentName: agents.name,
  agentPhone: agents.phone,
  payeeId: orders.payeeId,
  // Aliased: D1 rows are keyed by column name, and three tables here have a `name`.
  payeeName: sql<string | null>`${payee.name}`.as('payee_name'),
  paymentMethod: orders.paymentMethod,
  amountFen: orders.amountFen,
  refundedFen: orders.refundedFen,
  paidAt: orders.paidAt,
  shippedAt: orders.shippedAt,
  completedAt: orders.completedAt,
  shipName: orders.shipName,
  shipPhone: orders.shipPhone,
  shipAddress: orders.shipAddress,
  carrier: orders.carrier,
  trackingNo: orders.trackingNo,
  note: orders.note,
  productId: orderLines.productId,
  productName: sql<string | null>`${products.name}`.as('product_name'),
  sku: products.sku,
  qty: orderLines.qty,
  unitFen: orderLines.unitFen,
  refundedQty: orderLines.refundedQty,
};
export type OrdersFilter = z.infer<typeof OrdersQuery>;
type Live = ReturnType<typeof liveFrom>;
type LineKey = [string, string | null];

function ordersPage(db: Db, { status, agentId, from, to }: OrdersFilter, live: Live, after: LineKey | null) {
  return db
    .select(orderColumns)
    .from(orders)
    .leftJoin(agents, eq(agents.id, orders.agentId))
    .leftJoin(payee, eq(payee.id, orders.payeeId))
    .leftJoin(orderLines, eq(orderLines.orderId, orders.id))
    .leftJoin(products, eq(products.id, orderLines.productId))
    .where(
      and(
        status ? eq(orders.status, status) : undefined,
        agentId ? eq(orders.agentId, agentId) : undefined,
        inRange(orders.createdAt, from, to),
        live.orderHi === null ? undefined : gte(orders.id, live.orderHi),
        after === null
          ? undefined
          : or(
              gt(orders.id, after[0]),
              and(eq(orders.id, after[0]), sql`coalesce(${orderLines.productId}, '') > ${after[1] ?? ''}`),
            ),
      ),
    )
    .orderBy(asc(orders.id), asc(orderLines.productId))
    .limit(PAGE);
}
export type OrderRow = Awaited<ReturnType<typeof ordersPage>>[number];

const lineFen = (r: OrderRow) => (r.qty === null || r.unitFen === null ? null : r.qty * r.unitFen);

// Values in words of the reader's language (状态 待发货, not paid), ready to ship from or to hand to a person.
const orderCsv: Column<OrderRow>[] = [
  { zh: '订单号', en: 'Order', value: (r) => r.id },
  { zh: '下单时间', en: 'Created', value: (r) => chinaTime(r.createdAt) },
  { zh: '类型', en: 'Kind', value: (r, lang) => orderKindWords[lang][r.kind] },
  { zh: '状态', en: 'Status', value: (r, lang) => orderStatusWords[lang][r.status] },
  { zh: '代理', en: 'Agent', value: (r) => r.agentName },
  { zh: '代理手机', en: 'Agent phone', value: (r) => r.agentPhone },
  { zh: '收款方', en: 'Payee', value: (r, lang) => (r.payeeId === 'brand' ? brandWord[lang] : r.payeeName) },
  { zh: '支付方式', en: 'Payment', value: (r, lang) => paymentWords[lang][r.paymentMethod] },
  { zh: '商品', en: 'Product', value: (r) => r.productName },
  { zh: '商品编码', en: 'SKU', value: (r) => r.sku },
  { zh: '数量', en: 'Qty', value: (r) => r.qty },
  { zh: '单价(元)', en: 'Unit price (CNY)', value: (r) => (r.unitFen === null ? null : { fen: r.unitFen }) },
  {
    zh: '小计(元)',
    en: 'Line total (CNY)',
    value: (r) => {
      const fen = lineFen(r);
      return fen === null ? null : { fen };
    },
  },
  { zh: '已退数量', en: 'Refunded qty', value: (r) => r.refundedQty },
  { zh: '金额(元)', en: 'Amount (CNY)', value: (r) => ({ fen: r.amountFen }) },
  { zh: '金额(分)', en: 'Amount (fen)', value: (r) => r.amountFen },
  { zh: '已退款(元)', en: 'Refunded (CNY)', value: (r) => ({ fen: r.refundedFen }) },
  { zh: '已退款(分)', en: 'Refunded (fen)', value: (r) => r.refundedFen },
  { zh: '支付时间', en: 'Paid', value: (r) => chinaTime(r.paidAt) },
  { zh: '发货时间', en: 'Shipped', value: (r) => chinaTime(r.shippedAt) },
  { zh: '完成时间', en: 'Completed', value: (r) => chinaTime(r.completedAt) },
  { zh: '收货人', en: 'Recipient', value: (r) => r.shipName },
  { zh: '收货电话', en: 'Phone', value: (r) => r.shipPhone },
  { zh: '收货地址', en: 'Address', value: (r) => r.shipAddress },
  { zh: '快递公司', en: 'Carrier', value: (r) => r.carrier },
  { zh: '快递单号', en: 'Tracking no.', value: (r) => r.trackingNo },
  { zh: '备注', en: 'Note', value: (r) => r.note },
];

export type Range = z.infer<typeof RangeQuery>;

function ledgerPage(db: Db, { from, to }: Range, live: Live, after: number | null) {
  return db
    .select(ledgerEntryColumns)
    .from(ledgerEntries)
    .where(and(inRange(ledgerEntries.at, from, to), gt(ledgerEntries.id, Math.max(after ?? 0, live.ledgerToId))))
    .orderBy(asc(ledgerEntries.id))
    .limit(PAGE);
}
export type LedgerRow = Awaited<ReturnType<typeof ledgerPage>>[number];

const ledgerCsv: Column<LedgerRow>[] = [
  { zh: '流水号', en: 'Entry', value: (r) => r.id },
  { zh: '交易号', en: 'Transaction', value: (r) => r.txnId },
  { zh: '时间', en: 'Time', value: (r) => chinaTime(r.at) },
  { zh: '账户', en: 'Account', value: (r) => r.account },
  { zh: '类型', en: 'Kind', value: (r) => r.kind },
  { zh: '订单号', en: 'Order', value: (r) => r.orderId },
  { zh: '备注', en: 'Memo', value: (r) => r.memo },
  { zh: '金额(元)', en: 'Amount (CNY)', value: (r) => ({ fen: r.amountFen }) },
  { zh: '金额(分)', en: 'Amount (fen)', value: (r) => r.amountFen },
];

// The Compliance guard's purchase record: each tier bought at its own price and resold at the price of the level below.
const purchaseColumns = {
  orderId: orderShares.orderId,
  paidAt: orders.paidAt,
  productId: orderShares.productId,
  sku: products.sku,
  productName: sql<string | null>`${products.name}`.as('product_name'),
  partyId: orderShares.partyId,
  partyName: sql<string | null>`${agents.name}`.as('party_name'),
  level: orderShares.level,
  buyUnitFen: orderShares.buyUnitFen,
  sellUnitFen: orderShares.sellUnitFen,
  qty: orderShares.qty,
  amountFen: orderShares.amountFen,
  refundedQty: orderShares.refundedQty,
  status: orderShares.status,
};
type PurchaseKey = [orderId: string, productId: string, partyId: string];

function purchasesPage(db: Db, { from, to }: Range, live: Live, after: PurchaseKey | null) {
  return db
    .select(purchaseColumns)
    .from(orderShares)
    .innerJoin(orders, eq(orders.id, orderShares.orderId))
    .leftJoin(products, eq(products.id, orderShares.productId))
    .leftJoin(agents, eq(agents.id, orderShares.partyId))
    .where(
      and(
        // Planned shares belong to orders never paid: no purchase happened.
        ne(orderShares.status, 'planned'),
        inRange(orders.paidAt, from, to),
        live.orderHi === null ? undefined : gte(orderShares.orderId, live.orderHi),
        after === null
          ? undefined
          : sql`(${orderShares.orderId}, ${orderShares.productId}, ${orderShares.partyId}) > (${after[0]}, ${after[1]}, ${after[2]})`,
      ),
    )
    .orderBy(asc(orderShares.orderId), asc(orderShares.productId), asc(orderShares.partyId))
    .limit(PAGE);
}
export type PurchaseRow = Awaited<ReturnType<typeof purchasesPage>>[number];

function purchaseCsv(brandName: string): Column<PurchaseRow>[] {
  return [
    { zh: '订单号', en: 'Order', value: (r) => r.orderId },
    { zh: '支付时间', en: 'Paid', value: (r) => chinaTime(r.paidAt) },
    { zh: '商品编码', en: 'SKU', value: (r) => r.sku },
    { zh: '商品', en: 'Product', value: (r) => r.productName },
    { zh: '经营方ID', en: 'Party ID', value: (r) => r.partyId },
    { zh: '经营方', en: 'Party', value: (r) => (r.partyId === 'brand' ? brandName : r.partyName) },
    { zh: '等级', en: 'Level', value: (r) => r.level },
    { zh: '进货单价(元)', en: 'Buy unit (CNY)', value: (r) => ({ fen: r.buyUnitFen }) },
    { zh: '进货单价(分)', en: 'Buy unit (fen)', value: (r) => r.buyUnitFen },
    { zh: '售出单价(元)', en: 'Sell unit (CNY)', value: (r) => ({ fen: r.sellUnitFen }) },
    { zh: '售出单价(分)', en: 'Sell unit (fen)', value: (r) => r.sellUnitFen },
    { zh: '数量', en: 'Qty', value: (r) => r.qty },
    { zh: '差价(元)', en: 'Margin (CNY)', value: (r) => ({ fen: r.amountFen }) },
    { zh: '差价(分)', en: 'Margin (fen)', value: (r) => r.amountFen },
    { zh: '已退数量', en: 'Refunded qty', value: (r) => r.refundedQty },
    { zh: '状态', en: 'Status', value: (r) => r.status },
  ];
}

export const exportRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/exports/orders.csv',
      tags: ['exports'],
      summary: 'Every order as CSV (brand admin); filter by status, agent and creation time',
      request: { query: OrdersQuery },
      responses: csvResponses,
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const filter = c.req.valid('query');
      const months = await archivedMonths(c.var.db);
      const live = liveFrom(months);
      return csvResponse(
        c,
        'orders',
        orderCsv,
        concat(
          archivedOrderRows(c.var.db, c.env.ARCHIVE, months, filter),
          livePages(
            (after: LineKey | null) => ordersPage(c.var.db, filter, live, after),
            (r): LineKey => [r.id, r.productId],
            PAGE,
          ),
        ),
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/exports/ledger.csv',
      tags: ['exports'],
      summary: 'Every ledger entry as CSV (brand admin); filter by time',
      request: { query: RangeQuery },
      responses: csvResponses,
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const range = c.req.valid('query');
      const months = await archivedMonths(c.var.db);
      const live = liveFrom(months);
      return csvResponse(
        c,
        'ledger',
        ledgerCsv,
        concat(
          archivedLedgerRows(c.env.ARCHIVE, months, range),
          livePages(
            (after: number | null) => ledgerPage(c.var.db, range, live, after),
            (r) => r.id,
            PAGE,
          ),
        ),
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/exports/purchases.csv',
      tags: ['exports'],
      summary: 'The purchase record per order and tier: bought at its own price, resold at the next (brand admin)',
      request: { query: RangeQuery },
      responses: csvResponses,
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const range = c.req.valid('query');
      const { name: brandName } = await brandInfo(c.var.db);
      const months = await archivedMonths(c.var.db);
      const live = liveFrom(months);
      return csvResponse(
        c,
        'purchases',
        purchaseCsv(brandName),
        concat(
          archivedPurchaseRows(c.var.db, c.env.ARCHIVE, months, range),
          livePages(
            (after: PurchaseKey | null) => purchasesPage(c.var.db, range, live, after),
            (r): PurchaseKey => [r.orderId, r.productId, r.partyId],
            PAGE,
          ),
        ),
      );
    },
  );
