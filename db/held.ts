import { and, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../worker/env';
import { changedGuard } from './guard';
import { heldShares, orderShares } from './schema';

// Batch items adding each agent's change to its held counter. An increase inserts or adds; a decrease is a plain
// UPDATE (an upsert would check its negative candidate row against the CHECK first) that must find the counter and
// keep it at or above zero, or the guard aborts the batch.
export function heldItems(db: Db, deltas: ReadonlyMap<string, number>): BatchItem<'sqlite'>[] {
  return [...deltas]
    .filter(([, fen]) => fen !== 0)
    .flatMap(([agentId, fen]): BatchItem<'sqlite'>[] =>
      fen > 0
        ? [
            db
              .insert(heldShares)
              .values({ agentId, heldFen: fen })
              .onConflictDoUpdate({
                target: heldShares.agentId,
                set: { heldFen: sql`${heldShares.heldFen} + ${fen}` },
              }),
          ]
        : [
            db
              .update(heldShares)
              .set({ heldFen: sql`${heldShares.heldFen} + ${fen}` })
              .where(sql`${heldShares.agentId} = ${agentId} AND ${heldShares.heldFen} + ${fen} >= 0`),
            changedGuard(db),
          ],
    );
}

// What an agent's held shares hold (0 without a counter).
export function heldQuery(db: Db, agentId: string) {
  return db.select({ heldFen: heldShares.heldFen }).from(heldShares).where(eq(heldShares.agentId, agentId)).limit(1);
}

// Of these orders, the ones in which the agent still has a held share (order_shares' primary key serves it). One JSON
// parameter for the ids keeps the statement under D1's 100 bound values.
export function heldOrdersQuery(db: Db, agentId: string, orderIds: readonly string[]) {
  return db
    .selectDistinct({ orderId: orderShares.orderId })
    .from(orderShares)
    .where(
      and(
        sql`${orderShares.orderId} IN (SELECT value FROM json_each(${JSON.stringify(orderIds)}))`,
        eq(orderShares.partyId, agentId),
        // A share whose units were all refunded holds nothing (and its month may be archived: it reads the same).
        sql`${orderShares.status} = 'pending' AND ${orderShares.refundedQty} < ${orderShares.qty}`,
      ),
    );
}
