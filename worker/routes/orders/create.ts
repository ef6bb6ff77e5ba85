import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { changedGuard, isGuardFailure, isUniqueFailure } from '../../../db/guard';
import { newId, randomToken, sha256Hex } from '../../../db/ids';
import { boundAgentOf, type MemberKey, memberBindingQuery } from '../../../db/members';
import {
  aboveQuery,
  agentByCodeQuery,
  agentQuery,
  pricesQuery,
  productsQuery,
  stockQuery,
  takeStock,
} from '../../../db/orders';
import { brand, orderLines, orderShares, orders } from '../../../db/schema';
import { orderBinding } from '../../domain/binding';
import {
  BRAND,
  consumerPayee,
  type LineInput,
  type PlannedShare,
  payeeOf,
  planConsumer,
  planRestock,
} from '../../domain/orderFlow';
import { orderNumber } from '../../domain/orderNumber';
import { type ChainAgent, SettlementInputError } from '../../domain/settlement';
import type { AppEnv, Db } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import {
  type Idem,
  idempotencyOf,
  isIdempotencyRace,
  NO_KEY,
  replayOf,
  storeAnswer,
  storedLookup,
} from '../../lib/idempotency';
import { assertWithinLimit, clientIp, countHit, type Limit } from '../../lib/rateLimit';
import { jsonBody, jsonResponse } from '../../schemas';
import { bindingOf } from './consumerBinding';
import { assertFirstRestock } from './firstRestock';
import { assertPriced } from './priced';
import { CreateOrder, OrderView, type OrderViewT, toGuestView, toOrderView } from './shapes';
import { trackedPhoneOrNull } from './tracking';

type Body = z.infer<typeof CreateOrder>;

const PlacedView = OrderView.extend({
  orderToken: z.string().optional().openapi({
    description: 'A guest order only, returned once: send it as X-Order-Token to read and pay the order',
  }),
}).openapi('PlacedOrder');
type PlacedViewT = z.infer<typeof PlacedView>;

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
    201: jsonResponse(PlacedView, 'Order placed'),
    200: jsonResponse(PlacedView, 'Replayed'),
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

// A consumer is told only that stock is short; an agent restocking may see its supplier's count.
async function shortage(
  db: Db,
  owner: string,
  lines: readonly (LineInput & { name: string })[],
  lang: 'zh' | 'en',
  consumer: boolean,
) {
  const rows = await stockQuery(
    db,
    owner,
    lines.map((l) => l.productId),
  );
  const short = lines.find((l) => (rows.find((r) => r.productId === l.productId)?.qty ?? 0) < l.qty) ?? lines[0];
  if (consumer) return new AppError('OUT_OF_STOCK', { field: 'lines', params: { name: short?.name ?? '' } });
  const left = rows.find((r) => r.productId === short?.productId)?.qty ?? 0;
  const ownerName =
    owner === BRAND ? (lang === 'en' ? 'the warehouse' : '仓库') : lang === 'en' ? 'the supplier' : '供货方';
  return new AppError('STOCK_INSUFFICIENT', {
    field: 'lines',
    params: { name: short?.name ?? '', owner: ownerName, left },
  });
}

// Keeps the read batch one shape for callers that are not rate limited here.
const noHit = (db: Db) => db.select({ count: sql<number>`0` }).from(brand).limit(0);

type Placed = { status: 200 | 201; view: PlacedViewT };

// One read batch, one write batch. Placing an order binds no one: the payment's booking does (booking.ts).
async function place(
  c: Context<AppEnv>,
  body: Body,
  idem: Idem | null,
  limits: [Limit, Limit] | null,
): Promise<Placed> {
  const db = c.var.db;
  const caller = c.var.caller;
  const lang = c.var.lang;
  const ids = body.lines.map((l) => l.productId);
  const consumer = body.kind === 'consumer' ? body : null;
  // A signed-in member is itself; a guest is the member its phone belongs to (none yet: this order makes one).
  const memberKey: MemberKey = consumer
    ? caller?.role === 'member'
      ? { id: caller.id }
      : { phone: consumer.shipping.phone }
    : { id: '' };
  const start = Date.now();
  const [[settings], [own], ownAbove, [memberRow], boundAbove, productRows, priceRows, stored, [byIp], [byPhone]] =
    await db.batch([
      db
        .select({
          stockModel: brand.stockModel,
          policy: brand.bindingPolicy,
          rebindDays: brand.rebindDays,
          holdMinutes: brand.unpaidHoldMinutes,
          maxUnits: brand.maxConsumerUnits,
        })
        .from(brand)
        .where(eq(brand.id, 1))
        .limit(1),
      consumer ? agentByCodeQuery(db, consumer.shopCode) : agentQuery(db, caller?.id ?? ''),
      aboveQuery(db, consumer ? sql`(SELECT id FROM agents WHERE code = ${consumer.shopCode})` : (caller?.id ?? '')),
      memberBindingQuery(db, memberKey),
      aboveQuery(db, boundAgentOf(memberKey)),
      productsQuery(db, ids),
      pricesQuery(db, ids),
      storedLookup(db, idem ?? NO_KEY),
      limits ? countHit(db, limits[0], start) : noHit(db),
      limits ? countHit(db, limits[1], start) : noHit(db),
    ]);
  if (limits) {
    assertWithinLimit(limits[0], byIp?.count, start);
    assertWithinLimit(limits[1], byPhone?.count, start);
  }
  const replay = replayOf(idem, stored[0]);
  if (replay) return { status: 200, view: replay.body as PlacedViewT };
  if (!settings) throw new AppError(consumer ? 'SHOP_CLOSED' : 'UNAUTHENTICATED');
  if (consumer && caller?.role === 'member' && !memberRow) throw new AppError('UNAUTHENTICATED');
  // An anonymous caller learns nothing from a phone's binding: a closed shop is closed whoever the phone is.
  if (consumer && !caller && own?.status !== 'active') throw new AppError('SHOP_CLOSED');
  const units = body.lines.reduce((sum, l) => sum + l.qty, 0);
  if (consumer && units > settings.maxUnits) {
    throw new AppError('ORDER_TOO_LARGE', { field: 'lines', params: { max: settings.maxUnits } });
  }
  const model = settings.stockModel;
  const lines = linesOf(body, productRows, priceRows);
  const now = Date.now();

  let subject: { id: string; supplyStoppedAt?: number | null } & ChainAgent;
  let plan: { stockOwner: string; shares: PlannedShare[]; unitFen: (l: LineInput) => number };
  let payeeId: string;
  let agentShown = true;
  try {
    if (consumer) {
      // 锁粉: the bound agent sells (and is credited) unless the rules say this shop's agent does.
      const { member, bound } = bindingOf(memberRow);
      const decision = orderBinding(settings, now, own ?? null, member, bound);
      const seller = decision.sellerId === own?.id ? own : decision.sellerId === bound?.id ? bound : null;
      if (!seller) throw new AppError('SHOP_CLOSED');
      subject = seller;
      await assertPriced(db, lines, seller === own ? [seller, ...ownAbove] : [seller, ...boundAbove]);
      plan = planConsumer(model, [seller, ...(seller === own ? ownAbove : boundAbove)], lines);
      // Paying another agent than the shop's would name it to a guest who never proved the phone: the brand collects.
      // A guest proved its phone with an SMS code when the lookup cookie holds it.
      const proved =
        caller !== null || (seller !== own && (await trackedPhoneOrNull(c))?.phone === consumer.shipping.phone);
      const decided = consumerPayee(model, consumer.paymentMethod, seller.id, own?.id ?? null, proved);
      payeeId = decided.payeeId;
      agentShown = decided.sellerShown;
    } else if (!own) {
      throw new AppError('UNAUTHENTICATED');
    } else if (body.kind === 'restock') {
      subject = own;
      if (own.status !== 'active' || own.supplyStoppedAt !== null) throw new AppError('SUPPLY_STOPPED');
      await assertPriced(db, lines, [own, ...ownAbove]);
      const restock = planRestock(model, own, ownAbove, lines);
      plan = restock;
      payeeId = payeeOf('restock', model, body.paymentMethod, restock.supplierId);
    } else {
      subject = own;
      if (model !== 'cloud') throw new AppError('INVALID_STATE', { params: { state: 'direct' } });
      if (own.supplyStoppedAt !== null) throw new AppError('SUPPLY_STOPPED');
      plan = { stockOwner: own.id, shares: [], unitFen: () => 0 };
      payeeId = BRAND;
    }
  } catch (err) {
    if (err instanceof SettlementInputError) {
      throw new AppError('PRODUCT_UNAVAILABLE', { field: 'lines', params: { name: lines[0]?.name ?? '' } });
    }
    throw err;
  }

  const id = newId('ord', now);
  const guestToken = consumer && !caller ? randomToken() : null;
  const pending = body.kind !== 'pickup';
  const amountFen = lines.reduce((sum, l) => sum + plan.unitFen(l) * l.qty, 0);
  const shipping = body.kind === 'restock' ? null : body.shipping;
  if (body.kind === 'restock') await assertFirstRestock(db, subject, amountFen);
  const order = {
    id,
    kind: body.kind,
    stockModel: model,
    agentId: subject.id,
    payeeId,
    stockOwnerId: plan.stockOwner,
    // A guest order stays a guest's even when its phone is a member's: signing up with it shows none of them.
    memberId: consumer && caller?.role === 'member' ? caller.id : null,
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
    expiresAt: pending ? now + settings.holdMinutes * 60_000 : null,
    guestTokenHash: guestToken ? await sha256Hex(guestToken) : null,
    orderNo: orderNumber(now, Math.random()),
    agentShown,
  };
  const lineRows = lines.map((l) => ({
    orderId: id,
    productId: l.productId,
    qty: l.qty,
    unitFen: plan.unitFen(l),
    refundedQty: 0,
  }));
  const named = lineRows.map((l) => ({ ...l, name: lines.find((x) => x.productId === l.productId)?.name ?? '' }));
  const view: PlacedViewT = guestToken
    ? { ...toGuestView(order, named), orderToken: guestToken }
    : (toOrderView(order, named) satisfies OrderViewT);
  const write = () =>
    db.batch([
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
  try {
    // Two orders in the same second may draw the same number tail: the unique index refuses the second, which
    // draws another.
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        break;
      } catch (err) {
        if (attempt >= 3 || !isUniqueFailure(err, 'order_no')) throw err;
        order.orderNo = orderNumber(now, Math.random());
        view.number = order.orderNo;
      }
    }
  } catch (err) {
    // A concurrent twin with the same Idempotency-Key may have taken the units first: answer as it did.
    if (idem && (isIdempotencyRace(err) || isGuardFailure(err))) {
      const [again] = await storedLookup(db, idem);
      const replayed = replayOf(idem, again);
      if (replayed) return { status: 200, view: replayed.body as PlacedViewT };
    }
    if (isGuardFailure(err)) throw await shortage(db, plan.stockOwner, lines, lang, consumer !== null);
    throw err;
  }
  return { status: 201, view };
}

export const createOrderRoutes = createRouter().openapi(route, async (c) => {
  const body = c.req.valid('json');
  const caller = c.var.caller;
  if (body.kind === 'consumer' ? caller !== null && caller.role !== 'member' : caller?.role !== 'agent') {
    throw new AppError(caller ? 'FORBIDDEN' : 'UNAUTHENTICATED');
  }
  // A guest's orders hold stock until paid or expired: bounded per address and per phone.
  const limits: [Limit, Limit] | null =
    body.kind === 'consumer' && !caller
      ? [
          { key: `order:ip:${clientIp(c.req.raw.headers)}`, max: 20, windowSeconds: 600 },
          { key: `order:phone:${body.shipping.phone}`, max: 10, windowSeconds: 600 },
        ]
      : null;
  const idem = await idempotencyOf(c, 'order', body);
  const placed = await place(c, body, idem, limits);
  return placed.status === 200 ? c.json(placed.view, 200) : c.json(placed.view, 201);
});
