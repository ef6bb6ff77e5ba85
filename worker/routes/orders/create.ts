import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import {
  aboveQuery,
  agentByCodeQuery,
  agentQuery,
  pricesQuery,
  productsQuery,
  stockQuery,
  takeStock,
} from '../../../db/orders';
import { brand, members, orderLines, orderShares, orders } from '../../../db/schema';
import { BRAND, type LineInput, type PlannedShare, payeeOf, planConsumer, planRestock } from '../../domain/orderFlow';
import { SettlementInputError } from '../../domain/settlement';
import type { Db } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { changedGuard, isGuardFailure } from '../../lib/guard';
import { idempotencyOf, isIdempotencyRace, NO_KEY, replayOf, storeAnswer, storedLookup } from '../../lib/idempotency';
import { newId } from '../../lib/ids';
import { jsonBody, jsonResponse } from '../../schemas';
import { CreateOrder, OrderView, toOrderView } from './shapes';

type Body = z.infer<typeof CreateOrder>;

const route = createRoute({
  method: 'post',
  path: '/orders',
  tags: ['orders'],
  summary:
    'Place an order: a consumer order through a shop (guest or member), an agent’s restock, or a pickup of own cloud stock',
  request: {
    ...jsonBody(CreateOrder),
    headers: z.object({ 'idempotency-key': z.string().max(64).optional() }),
  },
  responses: {
    201: jsonResponse(OrderView, 'Order placed'),
    200: jsonResponse(OrderView, 'Replayed'),
    ...errorResponses,
  },
});

// 9 share rows × 11 columns stays under D1's 100 bound parameters per statement.
function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function linesOf(
  body: Body,
  productRows: Awaited<ReturnType<typeof productsQuery>>,
  priceRows: Awaited<ReturnType<typeof pricesQuery>>,
): (LineInput & { name: string })[] {
  return body.lines.map((line) => {
    const product = productRows.find((p) => p.id === line.productId);
    if (!product?.onSale)
      throw new AppError('PRODUCT_UNAVAILABLE', { field: 'lines', params: { name: product?.name ?? line.productId } });
    const prices: Record<number, number> = {};
    for (const p of priceRows) if (p.productId === line.productId) prices[p.level] = p.priceFen;
    return { productId: line.productId, qty: line.qty, retailFen: product.retailFen, prices, name: product.name };
  });
}

async function shortage(db: Db, owner: string, lines: readonly (LineInput & { name: string })[], lang: 'zh' | 'en') {
  const rows = await stockQuery(
    db,
    owner,
    lines.map((l) => l.productId),
  );
  const short = lines.find((l) => (rows.find((r) => r.productId === l.productId)?.qty ?? 0) < l.qty) ?? lines[0];
  const left = rows.find((r) => r.productId === short?.productId)?.qty ?? 0;
  const ownerName =
    owner === BRAND ? (lang === 'en' ? 'the warehouse' : '仓库') : lang === 'en' ? 'the supplier' : '供货方';
  return new AppError('STOCK_INSUFFICIENT', {
    field: 'lines',
    params: { name: short?.name ?? '', owner: ownerName, left },
  });
}

export const createOrderRoutes = createRouter().openapi(route, async (c) => {
  const body = c.req.valid('json');
  const db = c.var.db;
  const caller = c.var.caller;
  const lang = c.var.lang;
  if (body.kind === 'consumer' ? caller !== null && caller.role !== 'member' : caller?.role !== 'agent') {
    throw new AppError(caller ? 'FORBIDDEN' : 'UNAUTHENTICATED');
  }
  const idem = await idempotencyOf(c, 'order', body);
  const ids = body.lines.map((l) => l.productId);

  // A bound member is served by (and credits) its bound agent, whichever shop it opened.
  const boundAgentId =
    body.kind === 'consumer' && caller?.role === 'member'
      ? ((await db.select({ id: members.boundAgentId }).from(members).where(eq(members.id, caller.id)).limit(1))[0]
          ?.id ?? null)
      : null;
  const subjectId = body.kind === 'consumer' ? boundAgentId : (caller?.id ?? '');
  const subjectQuery = subjectId
    ? agentQuery(db, subjectId)
    : agentByCodeQuery(db, body.kind === 'consumer' ? body.shopCode : '');
  const aboveOf =
    subjectId ?? sql`(SELECT id FROM agents WHERE code = ${body.kind === 'consumer' ? body.shopCode : ''})`;
  const [[settings], [subject], above, productRows, priceRows, stored] = await db.batch([
    db.select({ stockModel: brand.stockModel }).from(brand).where(eq(brand.id, 1)).limit(1),
    subjectQuery,
    aboveQuery(db, aboveOf),
    productsQuery(db, ids),
    pricesQuery(db, ids),
    storedLookup(db, idem ?? NO_KEY),
  ]);
  const replay = replayOf(idem, stored[0]);
  if (replay) return c.json(replay.body as z.infer<typeof OrderView>, 200);
  if (!settings || !subject) throw new AppError(body.kind === 'consumer' ? 'SHOP_CLOSED' : 'UNAUTHENTICATED');
  const model = settings.stockModel;
  const lines = linesOf(body, productRows, priceRows);

  let plan: { stockOwner: string; shares: PlannedShare[]; unitFen: (l: LineInput) => number };
  let payeeId: string;
  try {
    if (body.kind === 'consumer') {
      if (subject.status !== 'active') throw new AppError('SHOP_CLOSED');
      plan = planConsumer(model, [subject, ...above], lines);
      payeeId = payeeOf('consumer', model, body.paymentMethod, subject.id);
    } else if (body.kind === 'restock') {
      if (subject.status !== 'active' || subject.supplyStoppedAt !== null) throw new AppError('SUPPLY_STOPPED');
      const restock = planRestock(model, subject, above, lines);
      plan = restock;
      payeeId = payeeOf('restock', model, body.paymentMethod, restock.supplierId);
    } else {
      if (model !== 'cloud') throw new AppError('INVALID_STATE', { params: { state: 'direct' } });
      if (subject.supplyStoppedAt !== null) throw new AppError('SUPPLY_STOPPED');
      plan = { stockOwner: subject.id, shares: [], unitFen: () => 0 };
      payeeId = BRAND;
    }
  } catch (err) {
    if (err instanceof SettlementInputError) {
      throw new AppError('PRODUCT_UNAVAILABLE', { field: 'lines', params: { name: lines[0]?.name ?? '' } });
    }
    throw err;
  }

  const now = Date.now();
  const id = newId('ord', now);
  const amountFen = lines.reduce((sum, l) => sum + plan.unitFen(l) * l.qty, 0);
  const shipping = body.kind === 'restock' ? null : body.shipping;
  const order = {
    id,
    kind: body.kind,
    stockModel: model,
    agentId: subject.id,
    payeeId,
    stockOwnerId: plan.stockOwner,
    memberId: body.kind === 'consumer' && caller?.role === 'member' ? caller.id : null,
    paymentMethod: body.kind === 'pickup' ? ('offline' as const) : body.paymentMethod,
    status: body.kind === 'pickup' ? ('paid' as const) : ('pending_payment' as const),
    amountFen,
    refundedFen: 0,
    shipName: shipping?.name ?? null,
    shipPhone: shipping?.phone ?? null,
    shipAddress: shipping?.address ?? null,
    carrier: null,
    trackingNo: null,
    note: body.note ?? null,
    createdAt: now,
    paidAt: body.kind === 'pickup' ? now : null,
    shippedAt: null,
    completedAt: null,
    closedAt: null,
  };
  const lineRows = lines.map((l) => ({
    orderId: id,
    productId: l.productId,
    qty: l.qty,
    unitFen: plan.unitFen(l),
    refundedQty: 0,
  }));
  const view = toOrderView(
    order,
    lineRows.map((l) => ({ ...l, name: lines.find((x) => x.productId === l.productId)?.name ?? '' })),
  );
  try {
    await db.batch([
      db.insert(orders).values(order),
      ...lines.flatMap((l) => [takeStock(db, plan.stockOwner, l.productId, l.qty), changedGuard(db)]),
      db.insert(orderLines).values(lineRows),
      ...chunks(plan.shares, 9).map((rows) =>
        db
          .insert(orderShares)
          .values(
            rows.map((s) => ({ ...s, orderId: id, status: 'planned' as const, refundedQty: 0, releaseAt: null })),
          ),
      ),
      ...(idem ? [storeAnswer(db, idem, 201, view, now)] : []),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw await shortage(db, plan.stockOwner, lines, lang);
    if (idem && isIdempotencyRace(err)) {
      const [again] = await storedLookup(db, idem);
      const replayed = replayOf(idem, again);
      if (replayed) return c.json(replayed.body as z.infer<typeof OrderView>, 200);
    }
    throw err;
  }
  return c.json(view, 201);
});
