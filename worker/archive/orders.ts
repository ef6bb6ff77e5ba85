import { inArray } from 'drizzle-orm';
import { monthOf } from '../../db/archiveTables';
import { idTime } from '../../db/ids';
import type { LineRow, OrderRow } from '../../db/orders';
import { products } from '../../db/schema';
import type { Db } from '../env';
import { type ArchivedMonth, lookup, manifestOf, rowsBetween } from './read';

// An order of an archived month, looked up by id: the member of its month's orders file that holds it and the
// members of order_lines that hold its lines, shaped as the live queries shape them (orderQuery, linesQuery).
export function archivedMonthOf(months: readonly ArchivedMonth[], id: string): ArchivedMonth | null {
  const time = idTime(id);
  if (time === null) return null;
  return months.find((m) => m.month === monthOf(time)) ?? null;
}

export async function archivedOrder(
  db: Db,
  bucket: R2Bucket,
  month: ArchivedMonth,
  id: string,
): Promise<{ order: OrderRow; lines: LineRow[] } | null> {
  const manifest = await manifestOf(bucket, month);
  let order: OrderRow | null = null;
  for await (const rows of rowsBetween(bucket, manifest, 'orders', [id], [id])) {
    order = (rows[0] as unknown as OrderRow | undefined) ?? null;
  }
  if (!order) return null;
  const lines: Omit<LineRow, 'name'>[] = [];
  for await (const rows of rowsBetween(bucket, manifest, 'order_lines', [id, ''], [id, '\uffff'])) {
    lines.push(...(rows as unknown as Omit<LineRow, 'name'>[]));
  }
  const names = new Map(
    (
      await lookup(
        lines.map((l) => l.productId),
        (ids) => db.select({ id: products.id, name: products.name }).from(products).where(inArray(products.id, ids)),
      )
    ).map((p) => [p.id, p.name]),
  );
  // As linesQuery's inner join: a line whose product is gone is left out.
  const shaped = lines.flatMap((l) => {
    const name = names.get(l.productId);
    return name === undefined
      ? []
      : [{ productId: l.productId, qty: l.qty, unitFen: l.unitFen, refundedQty: l.refundedQty, name }];
  });
  return { order, lines: shaped };
}

/** Order numbers of orders that live in archived months (ids D1 no longer holds): one manifest read per month, one
 * member read per order. */
export async function archivedOrderNos(
  bucket: R2Bucket,
  months: readonly ArchivedMonth[],
  ids: readonly string[],
): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  const manifests = new Map<string, ReturnType<typeof manifestOf>>();
  for (const id of new Set(ids)) {
    const month = archivedMonthOf(months, id);
    if (!month) continue;
    const reading = manifests.get(month.month) ?? manifestOf(bucket, month);
    manifests.set(month.month, reading);
    const manifest = await reading;
    for await (const rows of rowsBetween(bucket, manifest, 'orders', [id], [id])) {
      const row = rows[0] as { orderNo?: string | null } | undefined;
      if (row) found.set(id, row.orderNo ?? null);
    }
  }
  return found;
}
