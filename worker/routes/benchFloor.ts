import { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids';
import { takeStock } from '../../db/orders';
import { orderLines, orderShares, orders } from '../../db/schema';
import type { AppEnv } from '../env';
import { AppError } from '../errors';
import { createRouter } from '../http';

// Benchmarks only (bench/orders-1m.mjs): the floor that order placement is measured against. One D1 batch that
// writes the rows a consumer order writes — the order, its lines, its settlement rows (order_shares), the warehouse
// stock moves — with fresh ids into the real tables (so rows and indexes are the same), and reads nothing.
// It answers 404 ROUTE_NOT_FOUND, like any unknown route, unless the var BENCH_ENDPOINTS is '1', which only the
// benchmark sets (wrangler dev --var BENCH_ENDPOINTS:1); never set it in wrangler.toml. Not in the OpenAPI document.

const FloorBody = z.strictObject({
  // The agent the order is sold through (an existing one, so the orders_agent index grows where real orders go).
  agentId: z.string().min(1).max(40),
  lines: z
    .array(z.strictObject({ productId: z.string().min(1).max(40), qty: z.number().int().min(1).max(9999) }))
    .min(1)
    .max(20)
    .refine((lines) => new Set(lines.map((l) => l.productId)).size === lines.length, { message: 'blank' }),
  // Settlement rows per line: the seller, each active agent above it, and the brand.
  sharesPerLine: z.number().int().min(1).max(10),
});

// 9 share rows × 11 columns stays under D1's 100 bound parameters per statement, as in orders/create.ts.
const SHARES_PER_INSERT = 9;
const UNIT_FEN = 29_900;

function benchEnabled(env: AppEnv['Bindings']): boolean {
  return (env as AppEnv['Bindings'] & Record<string, string | undefined>).BENCH_ENDPOINTS === '1';
}

export const benchFloorRoutes = createRouter().post('/bench/floor', async (c) => {
  if (!benchEnabled(c.env)) throw new AppError('ROUTE_NOT_FOUND');
  const parsed = FloorBody.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', { params: { detail: 'agentId, lines, sharesPerLine' } });
  const body = parsed.data;
  const db = c.var.db;
  const now = Date.now();
  const id = newId('ord', now);
  const shares = body.lines.flatMap((line) =>
    Array.from({ length: body.sharesPerLine }, (_, k) => ({
      orderId: id,
      productId: line.productId,
      // Fresh agent-like ids: the order_shares_party index grows at random places, as with real parties.
      partyId: k === body.sharesPerLine - 1 ? 'brand' : newId('agt', now),
      level: body.sharesPerLine - 1 - k,
      buyUnitFen: 20_000 - k * 1_000,
      sellUnitFen: 21_000 - k * 1_000,
      qty: line.qty,
      amountFen: 1_000 * line.qty,
      status: 'planned' as const,
      refundedQty: 0,
      releaseAt: null,
    })),
  );
  const inserts = [];
  for (let i = 0; i < shares.length; i += SHARES_PER_INSERT) {
    inserts.push(db.insert(orderShares).values(shares.slice(i, i + SHARES_PER_INSERT)));
  }
  await db.batch([
    db.insert(orders).values({
      id,
      kind: 'consumer',
      stockModel: 'direct',
      agentId: body.agentId,
      payeeId: 'brand',
      stockOwnerId: 'brand',
      memberId: null,
      paymentMethod: 'online',
      status: 'pending_payment',
      amountFen: body.lines.reduce((sum, l) => sum + l.qty * UNIT_FEN, 0),
      refundedFen: 0,
      shipName: '压测顾客',
      shipPhone: '13800000000',
      shipAddress: '浙江省杭州市西湖区文三路 100 号',
      carrier: null,
      trackingNo: null,
      note: null,
      createdAt: now,
      paidAt: null,
      shippedAt: null,
      completedAt: null,
      closedAt: null,
    }),
    ...body.lines.map((l) => takeStock(db, 'brand', l.productId, l.qty)),
    db
      .insert(orderLines)
      .values(
        body.lines.map((l) => ({ orderId: id, productId: l.productId, qty: l.qty, unitFen: UNIT_FEN, refundedQty: 0 })),
      ),
    ...inserts,
  ]);
  return c.json({ id }, 201);
});
