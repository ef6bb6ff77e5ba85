import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { sha256Hex } from '../../../db/ids';
import { linesQuery, type OrderRow, orderQuery, sharesQuery } from '../../../db/orders';
import { brand } from '../../../db/schema';
import { BRAND } from '../../domain/orderFlow';
import type { AppEnv, Caller } from '../../env';
import { AppError } from '../../errors';
import { requireCaller } from '../../middleware/session';
import { TRACK_COOKIE, trackedPhoneOrNull } from './tracking';

// Who takes part in an order: the brand, its member, the agent it is sold through or bought by, its payee and
// the owner of the units it takes. Anyone else gets 404, so order ids cannot be probed.
export function partOf(caller: Caller, order: OrderRow): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role === 'member') return order.memberId === caller.id;
  return order.agentId === caller.id || order.payeeId === caller.id || order.stockOwnerId === caller.id;
}

// The brand, or the agent whose units or shop it is: may cancel, refuse and refund (shipping: canShip).
export function isSellerSide(caller: Caller, order: OrderRow): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role !== 'agent') return false;
  if (order.kind === 'consumer') return order.agentId === caller.id || order.stockOwnerId === caller.id;
  return order.stockOwnerId === caller.id || order.payeeId === caller.id;
}

// Who ships: the owner of the units. A consumer order takes the warehouse's units in the direct model (厂家统一发货:
// the brand ships every one) and the selling agent's in the cloud model (shipped on its behalf); the brand may always.
export function canShip(caller: Caller, order: OrderRow): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role !== 'agent') return false;
  if (order.kind === 'consumer') return order.stockOwnerId === caller.id;
  return isSellerSide(caller, order);
}

// The member or the buying agent.
export function isBuyer(caller: Caller, order: OrderRow): boolean {
  if (order.kind === 'consumer') return caller.role === 'member' && order.memberId === caller.id;
  return caller.role === 'agent' && order.agentId === caller.id;
}

function orderRows(c: Context<AppEnv>, id: string) {
  const db = c.var.db;
  return db.batch([
    orderQuery(db, id),
    linesQuery(db, id),
    sharesQuery(db, id),
    db.select({ freezeDays: brand.freezeDays }).from(brand).where(eq(brand.id, 1)).limit(1),
  ]);
}

export async function loadOrder(c: Context<AppEnv>, id: string) {
  const caller = requireCaller(c);
  const [[order], lines, shares, [settings]] = await orderRows(c, id);
  if (!order || !partOf(caller, order)) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
  return { caller, order, lines, shares, freezeDays: settings?.freezeDays ?? 7 };
}

export type LoadedOrder = Awaited<ReturnType<typeof loadOrder>>;

// For what the buyer does (confirm receipt, cancel, ask for after-sales): the signed-in buyer, or a guest holding
// the order's token (or its SMS-proved phone). Anyone else who takes part sees it too (the brand may act); anyone
// who does not gets 404 (or 401 with no credentials at all).
export async function loadForBuyer(
  c: Context<AppEnv>,
  id: string,
): Promise<Omit<LoadedOrder, 'caller'> & { caller: Caller | null; buyer: boolean }> {
  if (c.req.header(ORDER_TOKEN_HEADER) !== undefined || getCookie(c, TRACK_COOKIE)) {
    const [[order], lines, shares, [settings]] = await orderRows(c, id);
    if (order && (await holdsGuestToken(c, order))) {
      return { caller: null, order, lines, shares, freezeDays: settings?.freezeDays ?? 7, buyer: true };
    }
    if (!c.var.caller) throw new AppError('NOT_FOUND', { params: { what: 'order' } });
  }
  const loaded = await loadOrder(c, id);
  return { ...loaded, buyer: isBuyer(loaded.caller, loaded.order) };
}

export { BRAND };

export const ORDER_TOKEN_HEADER = 'x-order-token';

// A guest holds its order's token (given once at creation, stored hashed), or proved the order's phone by SMS code
// (the tracking cookie of POST /api/orders/lookup, for the guest orders placed with that phone): it is the buyer.
export async function holdsGuestToken(c: Context<AppEnv>, order: OrderRow): Promise<boolean> {
  const token = c.req.header(ORDER_TOKEN_HEADER);
  if (token && order.guestTokenHash && token.length <= 128 && (await sha256Hex(token)) === order.guestTokenHash) {
    return true;
  }
  if (order.kind !== 'consumer' || order.memberId !== null || !getCookie(c, TRACK_COOKIE)) return false;
  return (await trackedPhoneOrNull(c))?.phone === order.shipPhone;
}

// The buyer only: the signed-in member or buying agent, or a guest holding the order's token. Anyone else gets 401
// (no credentials at all) or 404, so order ids cannot be probed. Returns whether the buyer is a guest.
export async function requireBuyer(c: Context<AppEnv>, order: OrderRow | undefined): Promise<'guest' | 'caller'> {
  const caller = c.var.caller;
  if (order && (await holdsGuestToken(c, order))) return 'guest';
  if (!caller && !c.req.header(ORDER_TOKEN_HEADER) && !getCookie(c, TRACK_COOKIE))
    throw new AppError('UNAUTHENTICATED');
  if (order && caller && isBuyer(caller, order)) return 'caller';
  throw new AppError('NOT_FOUND', { params: { what: 'order' } });
}
