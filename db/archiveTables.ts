import { and, getTableColumns, gt, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { idFloor } from './ids';
import { afterSales, gatewayRefunds, ledgerEntries, orderLines, orderShares, orders, saleFacts } from './schema';

// The ONE list of what the archiver (worker/archive/) moves from D1 to R2 per month, and how each table's rows of a
// month are found. The archiver, the restore and the read-back are written over this list only: a change of the
// ledger's storage changes this file, not them.

/** A month's key ranges: orders by the time in their id, the ledger by id (fixed when the month's job starts). */
export interface MonthRange {
  month: string;
  orderLo: string;
  orderHi: string;
  ledgerFromId: number;
  ledgerToId: number;
}

export interface ArchiveTable {
  /** The file name in R2 (archive/<month>/<name>.ndjson.gz). */
  name: string;
  table: SQLiteTable;
  /** Property names of a unique key: rows are written, read and paged in this order. */
  key: string[];
  /** The month's rows; an index serves it with the key order. */
  range: (m: MonthRange) => SQL;
  /** A second copy of another table in another order (for reading): never deleted or restored by itself. */
  copyOf?: string;
  /** Ledger-like: each chunk deleted adds its sums per account to closing_balances in the same batch. */
  balance?: { account: string; amountFen: string };
}

const orderRange = (col: SQLiteColumn) => (m: MonthRange) => and(gte(col, m.orderLo), lt(col, m.orderHi)) as SQL;
const ledgerRange = (m: MonthRange) =>
  and(gt(ledgerEntries.id, m.ledgerFromId), lte(ledgerEntries.id, m.ledgerToId)) as SQL;

// In restore order: parents first. Deletion runs backwards.
export const archiveTables: ArchiveTable[] = [
  { name: 'orders', table: orders, key: ['id'], range: orderRange(orders.id) },
  { name: 'order_lines', table: orderLines, key: ['orderId', 'productId'], range: orderRange(orderLines.orderId) },
  {
    name: 'order_shares',
    table: orderShares,
    key: ['orderId', 'productId', 'partyId'],
    range: orderRange(orderShares.orderId),
  },
  { name: 'after_sales', table: afterSales, key: ['orderId', 'id'], range: orderRange(afterSales.orderId) },
  {
    name: 'gateway_refunds',
    table: gatewayRefunds,
    key: ['orderId', 'id'],
    range: orderRange(gatewayRefunds.orderId),
  },
  {
    name: 'ledger_entries',
    table: ledgerEntries,
    key: ['id'],
    range: ledgerRange,
    balance: { account: 'account', amountFen: 'amountFen' },
  },
  // An agent's statement reads its accounts' entries newest first: in (account, id) order a page reads a few members.
  {
    name: 'ledger_by_account',
    table: ledgerEntries,
    key: ['account', 'id'],
    range: ledgerRange,
    copyOf: 'ledger_entries',
  },
  // The board's keys of each paid order, kept so its refunds come off the same counters: a closed month's orders take
  // no more refunds, so they leave with the month (and a restore puts them back; the board's insert triggers stay
  // quiet then). Last, so the ledger's table indexes stay as they were.
  { name: 'sale_facts', table: saleFacts, key: ['orderId'], range: orderRange(saleFacts.orderId) },
];

export function archiveTable(name: string): ArchiveTable {
  const t = archiveTables.find((x) => x.name === name);
  if (!t) throw new Error(`no archive table ${name}`);
  return t;
}

export function keyColumns(t: ArchiveTable): SQLiteColumn[] {
  const columns = getTableColumns(t.table) as Record<string, SQLiteColumn>;
  return t.key.map((k) => {
    const col = columns[k];
    if (!col) throw new Error(`${t.name} has no column ${k}`);
    return col;
  });
}

// What keeps a month open: an order not in a final state or owed a late refund, a share still pending (one whose units
// were all refunded holds nothing and is never released: it does not), an open
// after-sales request, a refund WeChat Pay has not settled. Each is read through a key range of the month.
export function openInMonth(m: MonthRange): SQL {
  return sql`SELECT
    (SELECT count(*) FROM ${orders} WHERE ${orderRange(orders.id)(m)}
      AND (${orders.status} NOT IN ('completed', 'cancelled', 'refused', 'refunded')
        OR (${orders.latePaidFen} > 0 AND ${orders.lateRefundedAt} IS NULL))) AS orders,
    (SELECT count(*) FROM ${orderShares} WHERE ${orderRange(orderShares.orderId)(m)}
      AND ${orderShares.status} = 'pending' AND ${orderShares.refundedQty} < ${orderShares.qty}) AS shares,
    (SELECT count(*) FROM ${afterSales} WHERE ${orderRange(afterSales.orderId)(m)}
      AND ${afterSales.status} = 'requested') AS after_sales,
    (SELECT count(*) FROM ${gatewayRefunds} WHERE ${orderRange(gatewayRefunds.orderId)(m)}
      AND ${gatewayRefunds.status} IN ('pending', 'processing')) AS refunds`;
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** 'YYYY-MM' of a time, in China Standard Time (UTC+8, no daylight saving). */
export function monthOf(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 7);
}

/** The first millisecond of a month, and of the month `add` months later. */
export function monthStart(month: string, add = 0): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Date.UTC(y, m - 1 + add, 1) - CHINA_OFFSET_MS;
}

export function orderBounds(month: string): { orderLo: string; orderHi: string } {
  return { orderLo: idFloor('ord', monthStart(month)), orderHi: idFloor('ord', monthStart(month, 1)) };
}
