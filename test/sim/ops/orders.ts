import { transaction } from '../../order-helpers';
import { type Allowed, type Ctx, row, rows, stockQty } from '../ctx';
import { notify } from '../http';
import type { OrderView, SimOrder } from '../model';
import {
  active,
  agentOf,
  buyerToken,
  chainOf,
  live,
  noteOrder,
  type Op,
  ordersIn,
  recordOrder,
  SHIPPING,
  same,
  TRACKING,
  tokenOf,
} from './common';
import { consumer } from './consumer-orders';
import { drawLines, enough, type Line } from './order-lines';
import { lateRefund, refund } from './refunds';

const restock: Op = {
  name: 'restock',
  weight: (m) => (live(m).length > 0 ? 8 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const buyer = rng.pick(live(m));
    if (!buyer) return;
    const lines = drawLines(ctx, 8);
    const method = rng.chance(0.7) ? 'online' : 'offline';
    const cloud = m.settings.stockModel === 'cloud';
    const supplier = chainOf(m, buyer).find((a) => a.status === 'active');
    const owner = cloud ? (supplier?.id ?? 'brand') : 'brand';
    const allowed: Allowed[] =
      buyer.status !== 'active'
        ? ['409 SUPPLY_STOPPED']
        : (await enough(owner, lines))
          ? [201]
          : ['409 STOCK_INSUFFICIENT'];
    const res = await ctx.call<OrderView>('/api/orders', {
      token: buyer.token,
      body: { kind: 'restock', lines, paymentMethod: method },
    });
    const got = ctx.expect(res, allowed);
    const what = lines.map((l) => `${ctx.name(l.productId)}×${l.qty}`).join('+');
    ctx.note(
      `${ctx.name(buyer.id)} from ${ctx.name(owner)} ${what} ${method} → ${got}${res.status === 201 ? ` = O${m.orders.length}` : ''}`,
    );
    if (res.status !== 201) return;
    const unit = (l: Line) => m.products.find((p) => p.id === l.productId)?.prices[buyer.level - 1] ?? 0;
    same(
      ctx,
      'restock amount',
      res.body.amountFen,
      lines.reduce((s, l) => s + unit(l) * l.qty, 0),
    );
    same(ctx, 'restock payee', res.body.payeeId, method === 'online' || !cloud ? 'brand' : owner);
    recordOrder(m, res.body, owner);
  },
};

const pickup: Op = {
  name: 'pickup',
  weight: (m) => (m.settings.stockModel === 'cloud' && live(m).length > 0 ? 2 : 0.3),
  async run(ctx) {
    const { m, rng } = ctx;
    const held = await rows<{ owner: string; productId: string; qty: number }>(
      "SELECT owner_id AS owner, product_id AS productId, qty FROM stock WHERE owner_id <> 'brand' AND qty > 0",
    );
    const choice = rng.pick(held.filter((h) => live(m).some((a) => a.id === h.owner)));
    const agent = agentOf(m, choice?.owner ?? null) ?? rng.pick(live(m));
    if (!agent) return;
    const productId = choice?.productId ?? m.products[0]?.id ?? '';
    const have = await stockQty(agent.id, productId);
    const qty = rng.between(1, have + 1);
    const allowed: Allowed[] =
      m.settings.stockModel !== 'cloud' ? ['409 INVALID_STATE'] : have >= qty ? [201] : ['409 STOCK_INSUFFICIENT'];
    const res = await ctx.call<OrderView>('/api/orders', {
      token: agent.token,
      body: { kind: 'pickup', lines: [{ productId, qty }], shipping: SHIPPING },
    });
    const got = ctx.expect(res, allowed);
    ctx.note(`${ctx.name(agent.id)} ${ctx.name(productId)}×${qty} of ${have} → ${got}`);
    if (res.status === 201) recordOrder(m, res.body, agent.id);
  },
};

const online: Op = {
  name: 'payOnline',
  weight: (m) =>
    m.orders.some((o) => o.method === 'online' && o.status !== 'cancelled' && o.kind !== 'pickup') ? 10 : 0,
  async run(ctx) {
    const { m, rng } = ctx;
    const waiting = m.orders.filter((o) => o.method === 'online' && o.status === 'pending_payment');
    const late = m.orders.filter((o) => o.method === 'online' && o.kind !== 'pickup' && o.status !== 'pending_payment');
    const order = (rng.chance(0.85) && rng.pick(waiting)) || rng.pick(late);
    if (!order) return;
    const wrong = order.status === 'pending_payment' && rng.chance(0.1);
    const tx = transaction(order.id, order.amountFen + (wrong ? 1 : 0));
    const res = await notify(tx);
    // A wrong amount is refused (WeChat retries); a payment after cancellation is acknowledged and owed back.
    const allowed: Allowed[] = wrong ? [400] : [200];
    const got = ctx.expect(res, allowed);
    ctx.note(`${ctx.name(order.id)} (${order.status})${wrong ? ' wrong amount' : ''} → ${got}`);
    if (res.status === 200 && order.status === 'pending_payment') order.status = 'paid';
    if (res.status === 200 && rng.chance(0.3)) {
      // WeChat sends the same notification again.
      ctx.expect(await notify(tx), [200], 'repeat');
    }
  },
};

export function payeeToken(ctx: Ctx, order: SimOrder): string | undefined {
  return tokenOf(ctx.m, order.payeeId);
}

const confirm: Op = {
  name: 'confirmOffline',
  weight: (m) => (m.orders.some((o) => o.method === 'offline' && o.status === 'pending_payment') ? 6 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const order = rng.pick(m.orders.filter((o) => o.method === 'offline' && o.status === 'pending_payment'));
    if (!order) return;
    const payee = payeeToken(ctx, order);
    const stranger = rng.chance(0.1) ? rng.pick(active(m).filter((a) => a.id !== order.payeeId)) : undefined;
    const token = stranger?.token ?? payee;
    const allowed: Allowed[] = stranger ? ['404 NOT_FOUND'] : token ? [200] : ['401 UNAUTHENTICATED'];
    const key = rng.chance(0.3) ? { 'idempotency-key': `pay-${m.counter}` } : undefined;
    const res = await ctx.call<OrderView>(`/api/orders/${order.id}/confirm-payment`, {
      method: 'POST',
      token,
      headers: key,
    });
    const got = ctx.expect(res, allowed);
    ctx.note(`${ctx.name(order.id)} by ${stranger ? ctx.name(stranger.id) : ctx.name(order.payeeId)} → ${got}`);
    noteOrder(m, res.body);
    if (res.status === 200 && key) {
      const again = await ctx.call<OrderView>(`/api/orders/${order.id}/confirm-payment`, {
        method: 'POST',
        token,
        headers: key,
      });
      ctx.expect(again, [200], 'replay');
      same(ctx, 'replayed confirmation', again.body.paidAt, res.body.paidAt);
    }
  },
};

// The brand, or the agent whose units it takes (when it is an agent).
export function shipperToken(ctx: Ctx, order: SimOrder): string {
  const agent = order.stockOwnerId !== 'brand' ? tokenOf(ctx.m, order.stockOwnerId) : undefined;
  return (ctx.rng.chance(0.5) && agent) || ctx.m.adminToken;
}

export function shipBody(order: SimOrder) {
  return order.kind === 'restock' && order.stockModel === 'cloud' ? {} : TRACKING;
}

const ship: Op = {
  name: 'ship',
  weight: (m) => (ordersIn(m, 'paid').length > 0 ? 8 : 0),
  async run(ctx) {
    const order = ctx.rng.pick(ordersIn(ctx.m, 'paid'));
    if (!order) return;
    const res = await ctx.call<OrderView>(`/api/orders/${order.id}/ship`, {
      token: shipperToken(ctx, order),
      body: shipBody(order),
    });
    const got = ctx.expect(res, [200]);
    ctx.note(`${ctx.name(order.id)} → ${got} ${res.body.status}`);
    same(
      ctx,
      'status after ship',
      res.body.status,
      order.kind === 'restock' && order.stockModel === 'cloud' ? 'completed' : 'shipped',
    );
    noteOrder(ctx.m, res.body);
  },
};

const complete: Op = {
  name: 'complete',
  weight: (m) => (ordersIn(m, 'shipped').length > 0 ? 6 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const order = rng.pick(ordersIn(m, 'shipped'));
    if (!order) return;
    const buyer = buyerToken(m, order);
    const res = await ctx.call<OrderView>(`/api/orders/${order.id}/complete`, {
      method: 'POST',
      token: (rng.chance(0.6) && buyer) || m.adminToken,
    });
    ctx.note(`${ctx.name(order.id)} → ${ctx.expect(res, [200])}`);
    noteOrder(m, res.body);
  },
};

const cancel: Op = {
  name: 'cancel',
  weight: (m) => (ordersIn(m, 'pending_payment').length > 0 ? 3 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const order = rng.pick(ordersIn(m, 'pending_payment'));
    if (!order) return;
    const buyer = buyerToken(m, order);
    const res = await ctx.call<OrderView>(`/api/orders/${order.id}/cancel`, {
      method: 'POST',
      token: (rng.chance(0.5) && buyer) || m.adminToken,
    });
    ctx.note(`${ctx.name(order.id)} → ${ctx.expect(res, [200])}`);
    noteOrder(m, res.body);
  },
};

const refuse: Op = {
  name: 'refuse',
  weight: (m) => (m.orders.some((o) => o.kind === 'restock' && ['pending_payment', 'paid'].includes(o.status)) ? 2 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const order = rng.pick(
      m.orders.filter((o) => o.kind === 'restock' && ['pending_payment', 'paid'].includes(o.status)),
    );
    if (!order) return;
    const res = await ctx.call<OrderView>(`/api/orders/${order.id}/refuse`, {
      token: shipperToken(ctx, order),
      body: { reason: '暂不供货' },
    });
    ctx.note(`${ctx.name(order.id)} (${order.status}) → ${ctx.expect(res, [200])}`);
    same(ctx, 'status after refusal', res.body.status, 'refused');
    noteOrder(m, res.body);
  },
};

// IDOR: an order answers only to those who take part in it.
const peek: Op = {
  name: 'orderPeek',
  weight: (m) => (m.orders.length > 0 && active(m).length > 1 ? 1.5 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const order = rng.pick(m.orders);
    if (!order) return;
    const parties = [order.agentId, order.payeeId, order.stockOwnerId];
    const agent = rng.pick(active(m));
    if (!agent) return;
    const res = await ctx.call<OrderView>(`/api/orders/${order.id}`, { token: agent.token });
    const party = parties.includes(agent.id);
    ctx.note(
      `${ctx.name(order.id)} by ${ctx.name(agent.id)} (${party ? 'party' : 'stranger'}) → ${ctx.expect(res, party ? [200] : ['404 NOT_FOUND'])}`,
    );
    if (party) {
      const stored = await row<{ status: string }>('SELECT status FROM orders WHERE id = ?', order.id);
      same(ctx, 'order status read', res.body.status, stored?.status);
    }
  },
};

export const orderOps: Op[] = [
  lateRefund,
  consumer,
  restock,
  pickup,
  online,
  confirm,
  ship,
  complete,
  cancel,
  refuse,
  refund,
  peek,
];
