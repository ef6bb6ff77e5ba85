import { inArray } from 'drizzle-orm';
import { monthStart } from '../../db/archiveTables';
import { agents, products } from '../../db/schema';
import type { Db } from '../env';
import type { LedgerRow, OrderRow, OrdersFilter, PurchaseRow, Range } from '../routes/exports';
import { type ArchivedMonth, allRows, lookup, manifestOf, rowsBetween } from './read';
import type { Row } from './store';

// The CSV exports' rows of archived months, read back from R2 in the order and shape the live queries give
// (worker/routes/exports.ts): the same joins with agents and products (read from D1 per member of rows), the same
// filters, so the export's columns turn them into the same bytes.

const DAY = 86_400_000;

function within(value: number | null, from: number | undefined, to: number | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  return value !== null && (from === undefined || value >= from) && (to === undefined || value < to);
}

async function agentsById(db: Db, ids: string[]) {
  const rows = await lookup(ids, (chunk) =>
    db.select({ id: agents.id, name: agents.name, phone: agents.phone }).from(agents).where(inArray(agents.id, chunk)),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

async function productsById(db: Db, ids: string[]) {
  const rows = await lookup(ids, (chunk) =>
    db
      .select({ id: products.id, name: products.name, sku: products.sku })
      .from(products)
      .where(inArray(products.id, chunk)),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

const str = (v: unknown) => v as string;
const num = (v: unknown) => v as number;
const numOrNull = (v: unknown) => (v ?? null) as number | null;
const strOrNull = (v: unknown) => (v ?? null) as string | null;

// Orders created in the filter's time range can only be in months that overlap it (a day's margin either side).
function monthMayHold(m: ArchivedMonth, from: number | undefined, to: number | undefined): boolean {
  return !(
    (to !== undefined && monthStart(m.month) >= to + DAY) ||
    (from !== undefined && monthStart(m.month, 1) + DAY <= from)
  );
}

export async function* archivedOrderRows(
  db: Db,
  bucket: R2Bucket,
  months: readonly ArchivedMonth[],
  filter: OrdersFilter,
): AsyncGenerator<OrderRow[]> {
  for (const m of months.filter((x) => monthMayHold(x, filter.from, filter.to))) {
    const manifest = await manifestOf(bucket, m);
    for await (const batch of allRows(bucket, manifest, 'orders')) {
      const picked = batch.filter(
        (o) =>
          (!filter.status || o.status === filter.status) &&
          (!filter.agentId || o.agentId === filter.agentId) &&
          within(numOrNull(o.createdAt), filter.from, filter.to),
      );
      const first = picked[0];
      const last = picked[picked.length - 1];
      if (!first || !last) continue;
      const lines: Row[] = [];
      for await (const rows of rowsBetween(
        bucket,
        manifest,
        'order_lines',
        [str(first.id), ''],
        [str(last.id), '\uffff'],
      )) {
        lines.push(...rows);
      }
      const byOrder = new Map<string, Row[]>();
      for (const l of lines) byOrder.set(str(l.orderId), [...(byOrder.get(str(l.orderId)) ?? []), l]);
      const people = await agentsById(
        db,
        picked.flatMap((o) => [str(o.agentId), str(o.payeeId)]),
      );
      const goods = await productsById(
        db,
        lines.map((l) => str(l.productId)),
      );
      const out: OrderRow[] = [];
      for (const o of picked) {
        const agent = people.get(str(o.agentId));
        const base = {
          id: str(o.id),
          createdAt: num(o.createdAt),
          kind: o.kind as OrderRow['kind'],
          status: o.status as OrderRow['status'],
          agentName: agent?.name ?? null,
          agentPhone: agent?.phone ?? null,
          payeeId: str(o.payeeId),
          payeeName: people.get(str(o.payeeId))?.name ?? null,
          paymentMethod: o.paymentMethod as OrderRow['paymentMethod'],
          amountFen: num(o.amountFen),
          refundedFen: num(o.refundedFen),
          paidAt: numOrNull(o.paidAt),
          shippedAt: numOrNull(o.shippedAt),
          completedAt: numOrNull(o.completedAt),
          shipName: strOrNull(o.shipName),
          shipPhone: strOrNull(o.shipPhone),
          shipAddress: strOrNull(o.shipAddress),
          carrier: strOrNull(o.carrier),
          trackingNo: strOrNull(o.trackingNo),
          note: strOrNull(o.note),
        };
        const own = byOrder.get(str(o.id)) ?? [];
        // A left join: an order without lines still gives one row.
        if (own.length === 0) {
          out.push({
            ...base,
            productId: null,
            productName: null,
            sku: null,
            qty: null,
            unitFen: null,
            refundedQty: null,
          });
        }
        for (const l of own) {
          const p = goods.get(str(l.productId));
          out.push({
            ...base,
            productId: str(l.productId),
            productName: p?.name ?? null,
            sku: p?.sku ?? null,
            qty: num(l.qty),
            unitFen: num(l.unitFen),
            refundedQty: num(l.refundedQty),
          });
        }
      }
      yield out;
    }
  }
}

export async function* archivedLedgerRows(
  bucket: R2Bucket,
  months: readonly ArchivedMonth[],
  { from, to }: Range,
): AsyncGenerator<LedgerRow[]> {
  for (const m of months) {
    const manifest = await manifestOf(bucket, m);
    for await (const batch of allRows(bucket, manifest, 'ledger_entries')) {
      const rows = batch
        .filter((e) => within(num(e.at), from, to))
        .map((e) => ({
          id: num(e.id),
          txnId: str(e.txnId),
          at: num(e.at),
          account: str(e.account),
          kind: str(e.kind),
          orderId: strOrNull(e.orderId),
          memo: strOrNull(e.memo),
          amountFen: num(e.amountFen),
        }));
      if (rows.length > 0) yield rows;
    }
  }
}

export async function* archivedPurchaseRows(
  db: Db,
  bucket: R2Bucket,
  months: readonly ArchivedMonth[],
  { from, to }: Range,
): AsyncGenerator<PurchaseRow[]> {
  for (const m of months) {
    const manifest = await manifestOf(bucket, m);
    for await (const batch of allRows(bucket, manifest, 'order_shares')) {
      const shares = batch.filter((s) => s.status !== 'planned');
      const first = shares[0];
      const last = shares[shares.length - 1];
      if (!first || !last) continue;
      const paidAt = new Map<string, number | null>();
      for await (const rows of rowsBetween(bucket, manifest, 'orders', [str(first.orderId)], [str(last.orderId)])) {
        for (const o of rows) paidAt.set(str(o.id), numOrNull(o.paidAt));
      }
      // As the inner join with orders and the paid-time filter of the live query.
      const kept = shares.filter(
        (s) => paidAt.has(str(s.orderId)) && within(paidAt.get(str(s.orderId)) ?? null, from, to),
      );
      const people = await agentsById(
        db,
        kept.map((s) => str(s.partyId)),
      );
      const goods = await productsById(
        db,
        kept.map((s) => str(s.productId)),
      );
      const rows: PurchaseRow[] = kept.map((s) => ({
        orderId: str(s.orderId),
        paidAt: paidAt.get(str(s.orderId)) ?? null,
        productId: str(s.productId),
        sku: goods.get(str(s.productId))?.sku ?? null,
        productName: goods.get(str(s.productId))?.name ?? null,
        partyId: str(s.partyId),
        partyName: people.get(str(s.partyId))?.name ?? null,
        level: num(s.level),
        buyUnitFen: num(s.buyUnitFen),
        sellUnitFen: num(s.sellUnitFen),
        qty: num(s.qty),
        amountFen: num(s.amountFen),
        refundedQty: num(s.refundedQty),
        status: s.status as PurchaseRow['status'],
      }));
      if (rows.length > 0) yield rows;
    }
  }
}
