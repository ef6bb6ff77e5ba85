import { transaction } from '../../order-helpers';
import { type Allowed, type Ctx, row, rows, stockQty } from '../ctx';
import { notify } from '../http';
import type { OrderView, SimAgent, SimMember, SimOrder, SimProduct } from '../model';
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
  unitsLeft,
} from './common';

interface Line {
  productId: string;
  qty: number;
}

function drawLines(ctx: Ctx, maxQty: number): Line[] {
  const count = ctx.m.products.length > 1 && ctx.rng.chance(0.25) ? 2 : 1;
  const picked: SimProduct[] = [];
  while (picked.length < count) {
    const p = ctx.rng.pick(ctx.m.products);
    if (p && !picked.includes(p)) picked.push(p);
  }
  return picked.map((p) => ({ productId: p.id, qty: ctx.rng.between(1, maxQty) }));
}

async function enough(owner: string, lines: Line[]): Promise<boolean> {
  for (const l of lines) if ((await stockQty(owner, l.productId)) < l.qty) return false;
  return true;
}

async function stockNote(ctx: Ctx, owner: string, lines: Line[]): Promise<string> {
  const have = await Promise.all(lines.map((l) => stockQty(owner, l.productId)));
  return `(${ctx.name(owner)} holds ${have.join('+')})`;
}

export interface ConsumerPlan {
  shop: SimAgent;
  member: SimMember | undefined;
  phone: string;
  serving: SimAgent | undefined;
  owner: string;
  lines: Line[];
  method: 'online' | 'offline';
}

// 锁粉: a consumer (a member, or a guest by the phone it ships to) bound to an active agent is served by that agent
// whatever shop it opened; otherwise the shop's agent serves it, if active (and its first paid order binds to it).
export async function servingAgent(ctx: Ctx, shop: SimAgent, member: SimMember | undefined, phone: string) {
  const stored = member
    ? await row<{ bound: string | null }>('SELECT bound_agent_id AS bound FROM members WHERE id = ?', member.id)
    : await row<{ bound: string | null }>('SELECT bound_agent_id AS bound FROM members WHERE phone = ?', phone);
  const bound = agentOf(ctx.m, stored?.bound ?? null);
  // A guest is told nothing from its phone's binding: a closed shop is closed to it.
  if (!member && shop.status !== 'active') return undefined;
  if (bound?.status === 'active') return bound;
  return shop.status === 'active' ? shop : undefined;
}

// A new guest, a returning guest (its phone already bound) or a signed-in member.
export function drawBuyer(ctx: Ctx): { member: SimMember | undefined; phone: string } {
  const { m, rng } = ctx;
  const roll = rng.int(10);
  const member = roll < 3 ? rng.pick(m.members) : undefined;
  const returning = roll >= 3 && roll < 5 ? rng.pick(m.guests) : undefined;
  const phone = returning ?? `135${String(++m.counter).padStart(8, '0')}`;
  if (!member && !returning) m.guests.push(phone);
  return { member, phone };
}

// Agents with cloud stock sell more often, so cloud orders do not all end in STOCK_INSUFFICIENT.
export async function planConsumer(ctx: Ctx, maxQty = 3): Promise<ConsumerPlan | undefined> {
  const { m, rng } = ctx;
  const stocked = await rows<{ owner: string }>(
    "SELECT DISTINCT owner_id AS owner FROM stock WHERE owner_id <> 'brand' AND qty > 0",
  );
  const withStock = live(m).filter((a) => stocked.some((s) => s.owner === a.id));
  const shop = (m.settings.stockModel === 'cloud' && rng.chance(0.7) && rng.pick(withStock)) || rng.pick(live(m));
  if (!shop) return undefined;
  const { member, phone } = drawBuyer(ctx);
  const serving = await servingAgent(ctx, shop, member, phone);
  const owner = m.settings.stockModel === 'direct' ? 'brand' : (serving?.id ?? shop.id);
  return {
    shop,
    member,
    phone,
    serving,
    owner,
    lines: drawLines(ctx, maxQty),
    method: rng.chance(0.75) ? 'online' : 'offline',
  };
}

export function placeConsumer(ctx: Ctx, plan: ConsumerPlan, headers: Record<string, string> = {}) {
  return ctx.call<OrderView>('/api/orders', {
    token: plan.member?.token,
    headers,
    body: {
      kind: 'consumer',
      shopCode: plan.shop.code,
      lines: plan.lines,
      paymentMethod: plan.method,
      shipping: { ...SHIPPING, phone: plan.phone },
    },
  });
}

export async function consumerAllowed(plan: ConsumerPlan): Promise<Allowed[]> {
  if (!plan.serving) return ['409 SHOP_CLOSED'];
  return (await enough(plan.owner, plan.lines)) ? [201] : ['409 OUT_OF_STOCK'];
}

function describe(ctx: Ctx, plan: ConsumerPlan): string {
  const lines = plan.lines.map((l) => `${ctx.name(l.productId)}×${l.qty}`).join('+');
  const who = plan.member ? ctx.name(plan.member.id) : `guest ${plan.phone.slice(-4)}`;
  return `${who} at ${ctx.name(plan.shop.id)} (served by ${ctx.name(plan.serving?.id ?? null)}, units of ${ctx.name(plan.owner)}) ${lines} ${plan.method}`;
}

function retail(ctx: Ctx, lines: Line[]): number {
  return lines.reduce((s, l) => s + (ctx.m.products.find((p) => p.id === l.productId)?.retailFen ?? 0) * l.qty, 0);
}

const consumer: Op = {
  name: 'consumerOrder',
  weight: (m) => (live(m).length > 0 ? 12 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const plan = await planConsumer(ctx);
    if (!plan) return;
    const key = rng.chance(0.15) ? `sim-${m.counter}` : undefined;
    const headers: Record<string, string> = key ? { 'idempotency-key': key, 'cf-connecting-ip': ctx.nextIp() } : {};
    const allowed = await consumerAllowed(plan);
    ctx.note(`${describe(ctx, plan)} ${await stockNote(ctx, plan.owner, plan.lines)}`);
    const res = await placeConsumer(ctx, plan, headers);
    const got = ctx.expect(res, allowed);
    ctx.note(`→ ${got}${res.status === 201 ? ` = O${m.orders.length}` : ''}`);
    if (res.status !== 201 || !plan.serving) return;
    const sold = await row<{ agent: string }>('SELECT agent_id AS agent FROM orders WHERE id = ?', res.body.id);
    same(ctx, 'seller', ctx.name(sold?.agent ?? null), ctx.name(plan.serving.id));
    // A guest served by another agent than the shop's (its phone's binding) pays the brand, so no answer names it.
    if (!plan.member) same(ctx, 'guest view seller', res.body.agentId, null);
    const hidden = !plan.member && plan.serving.id !== plan.shop.id;
    same(ctx, 'amount', res.body.amountFen, retail(ctx, plan.lines));
    const direct = m.settings.stockModel === 'direct';
    same(
      ctx,
      'payee',
      ctx.name(res.body.payeeId),
      ctx.name(plan.method === 'online' || direct || hidden ? 'brand' : plan.serving.id),
    );
    recordOrder(m, res.body, plan.owner, plan.serving.id);
    if (key) {
      // The same request again (a client retrying): the first answer back, nothing new written.
      const again = await placeConsumer(ctx, plan, headers);
      ctx.expect(again, [200], 'replay');
      same(ctx, 'replayed order', again.body.id, res.body.id);
    }
  },
};

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

const refund: Op = {
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

// The brand pays back a payment that arrived after its order was cancelled.
const lateRefund: Op = {
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
