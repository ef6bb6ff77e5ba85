import { type Allowed, type Ctx, rows } from '../ctx';
import type { OrderView, SimOrder } from '../model';
import { noteOrder, type Op, ordersIn, tokenOf, unitsLeft } from './common';
import { enough, type Line } from './order-lines';

// Refunds (whole or by line), and paying back a payment that arrived after its order was cancelled.

export const refundable = (o: SimOrder) => ['paid', 'shipped', 'completed'].includes(o.status) && unitsLeft(o) > 0;

// A delivered cloud restock can only be refunded while the buyer still holds the units.
export async function refundAllowed(order: SimOrder, lines: Line[]): Promise<Allowed[]> {
  if (order.kind === 'restock' && order.stockModel === 'cloud' && order.status === 'completed') {
    return (await enough(order.agentId, lines)) ? [200] : ['409 INVALID_STATE'];
  }
  return [200];
}

export function refundLines(ctx: Ctx, order: SimOrder): Line[] | undefined {
  if (ctx.rng.chance(0.5)) return undefined;
  const open = order.lines.filter((l) => l.qty > l.refundedQty);
  const line = ctx.rng.pick(open);
  return line ? [{ productId: line.productId, qty: ctx.rng.between(1, line.qty - line.refundedQty) }] : undefined;
}

export const refund: Op = {
  name: 'refund',
  weight: (m) => (m.orders.some(refundable) ? 5 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const order = rng.pick(m.orders.filter(refundable));
    if (!order) return;
    const lines = refundLines(ctx, order);
    const whole = order.lines
      .filter((l) => l.qty > l.refundedQty)
      .map((l) => ({ productId: l.productId, qty: l.qty - l.refundedQty }));
    const payee = order.payeeId !== 'brand' ? tokenOf(m, order.payeeId) : undefined;
    const allowed = await refundAllowed(order, lines ?? whole);
    const res = await ctx.call<OrderView>(`/api/orders/${order.id}/refund`, {
      token: (rng.chance(0.4) && payee) || m.adminToken,
      body: { ...(lines ? { lines } : {}), reason: '顾客退货' },
    });
    const got = ctx.expect(res, allowed);
    const what = lines ? lines.map((l) => `${ctx.name(l.productId)}×${l.qty}`).join('+') : 'all';
    ctx.note(`${ctx.name(order.id)} (${order.kind} ${order.stockModel} ${order.status}) ${what} → ${got}`);
    noteOrder(m, res.body);
  },
};

// The brand pays back a payment that arrived after its order was cancelled.
export const lateRefund: Op = {
  name: 'lateRefund',
  weight: (m) => (ordersIn(m, 'cancelled').some((o) => o.method === 'online') ? 1.5 : 0),
  async run(ctx) {
    const owed = await rows<{ id: string }>(
      'SELECT id FROM orders WHERE late_paid_fen > 0 AND late_refunded_at IS NULL',
    );
    const order = ctx.rng.pick(ctx.m.orders.filter((o) => owed.some((x) => x.id === o.id)));
    if (!order) return;
    const res = await ctx.call(`/api/orders/${order.id}/late-payment-refund`, {
      token: ctx.m.adminToken,
      body: { reference: `REFUND-${ctx.m.counter}` },
    });
    ctx.note(`${ctx.name(order.id)} → ${ctx.expect(res, [200])}`);
    const again = await ctx.call(`/api/orders/${order.id}/late-payment-refund`, {
      token: ctx.m.adminToken,
      body: { reference: `REFUND-${ctx.m.counter}` },
    });
    ctx.expect(again, ['409 INVALID_STATE'], 'second refund');
  },
};
