import { env } from 'cloudflare:test';
import { transaction } from '../../order-helpers';
import { type Allowed, type Ctx, outcomeOf, row, stockQty } from '../ctx';
import { notify } from '../http';
import type { OrderView, SimOrder } from '../model';
import { active, agentOf, buyerToken, live, noteOrder, type Op, ordersIn, recordOrder } from './common';
import { type ConsumerPlan, placeConsumer } from './consumer-orders';
import { withAvailable } from './money';
import { welcome } from './network';
import { payeeToken, shipBody, shipperToken } from './orders';
import { refundAllowed, refundable } from './refunds';

// Steps that send several requests at once. Which request wins may differ from run to run; what may never differ
// is that the answers are among the allowed ones, that the winners' count is what the rules allow, and that every
// invariant holds afterwards.

function countOf(results: { status: number }[], status: number): number {
  return results.filter((r) => r.status === status).length;
}

async function guestPlan(
  ctx: Ctx,
  qtyFor: (stock: number) => number,
): Promise<(ConsumerPlan & { stock: number }) | undefined> {
  const { m, rng } = ctx;
  const shop = rng.pick(active(m));
  const product = rng.pick(m.products);
  if (!shop || !product) return undefined;
  const owner = m.settings.stockModel === 'direct' ? 'brand' : shop.id;
  const stock = await stockQty(owner, product.id);
  const lines = [{ productId: product.id, qty: qtyFor(stock) }];
  const method = rng.chance(0.6) ? 'online' : 'offline';
  const phone = `136${String(++m.counter).padStart(8, '0')}`;
  return { shop, member: undefined, phone, serving: shop, owner, lines, method, stock };
}

// More orders than units: exactly as many succeed as the stock covers, never more, never fewer.
const rush: Op = {
  name: 'rushOrders',
  weight: (m) => (active(m).length > 0 ? 2.5 : 0),
  async run(ctx) {
    // At most the brand's per-order cap (20 by default).
    const plan = await guestPlan(ctx, (stock) => Math.min(20, Math.floor(stock / 3) + 1));
    if (!plan) return;
    const q = plan.lines[0]?.qty ?? 1;
    const n = 5;
    const wins = Math.min(n, Math.floor(plan.stock / q));
    // Five new guests at once (each its own phone, so each is served by the shop).
    const results = await Promise.all(
      Array.from({ length: n }, () =>
        placeConsumer(ctx, { ...plan, phone: `136${String(++ctx.m.counter).padStart(8, '0')}` }),
      ),
    );
    const won = countOf(results, 201);
    ctx.note(
      `${n}× ${ctx.name(plan.lines[0]?.productId ?? '')}×${q} on ${plan.stock} at ${ctx.name(plan.owner)} → ${won} placed`,
    );
    for (const r of results) ctx.expect(r, [201, '409 OUT_OF_STOCK']);
    if (won !== wins)
      ctx.fail('race:stock', `${won} orders placed on ${plan.stock} units of ${q} each, expected ${wins}`);
    for (const r of results) if (r.status === 201) recordOrder(ctx.m, r.body, plan.owner, plan.shop.id);
  },
};

// One Idempotency-Key, three identical requests at once: one order.
const idemOrders: Op = {
  name: 'orderIdemRace',
  weight: (m) => (active(m).length > 0 ? 1.5 : 0),
  async run(ctx) {
    const plan = await guestPlan(ctx, (stock) => Math.max(1, Math.min(3, stock)));
    if (!plan) return;
    const headers = { 'idempotency-key': `race-${ctx.m.counter}`, 'cf-connecting-ip': ctx.nextIp() };
    const results = await Promise.all([1, 2, 3].map(() => placeConsumer(ctx, plan, headers)));
    const enough = plan.stock >= (plan.lines[0]?.qty ?? 1);
    ctx.note(`3× one key at ${ctx.name(plan.shop.id)} → ${results.map(outcomeOf).join(', ')}`);
    for (const r of results) ctx.expect(r, enough ? [201, 200] : ['409 OUT_OF_STOCK']);
    if (!enough) return;
    const ids = new Set(results.map((r) => r.body.id));
    if (ids.size !== 1 || countOf(results, 201) !== 1) {
      ctx.fail('race:idempotency', `one key gave ${ids.size} orders and ${countOf(results, 201)} creations`);
    }
    const first = results.find((r) => r.status === 201);
    if (first) recordOrder(ctx.m, first.body, plan.owner, plan.shop.id);
  },
};

const dupNotify: Op = {
  name: 'dupNotify',
  weight: (m) => (m.orders.some((o) => o.method === 'online' && o.status === 'pending_payment') ? 2.5 : 0),
  async run(ctx) {
    const order = ctx.rng.pick(ctx.m.orders.filter((o) => o.method === 'online' && o.status === 'pending_payment'));
    if (!order) return;
    const tx = transaction(order.id, order.amountFen);
    const event = `EVT-${ctx.m.counter++}`;
    const results = await Promise.all([
      notify(tx, event),
      notify(tx, event),
      notify(transaction(order.id, order.amountFen)),
    ]);
    ctx.note(`${ctx.name(order.id)}: 3 notifications at once → ${results.map(outcomeOf).join(', ')}`);
    for (const r of results) ctx.expect(r, [200]);
    order.status = 'paid';
  },
};

const confirmRace: Op = {
  name: 'confirmRace',
  weight: (m) => (m.orders.some((o) => o.method === 'offline' && o.status === 'pending_payment') ? 2 : 0),
  async run(ctx) {
    const order = ctx.rng.pick(ctx.m.orders.filter((o) => o.method === 'offline' && o.status === 'pending_payment'));
    const token = order && payeeToken(ctx, order);
    if (!order || !token) return;
    const keyed = ctx.rng.chance(0.5);
    const headers = keyed ? { 'idempotency-key': `confirm-${ctx.m.counter}` } : undefined;
    const send = () =>
      ctx.call<OrderView>(`/api/orders/${order.id}/confirm-payment`, { method: 'POST', token, headers });
    const results = await Promise.all(keyed ? [send(), send(), send()] : [send(), send()]);
    ctx.note(
      `${ctx.name(order.id)} ${results.length}× ${keyed ? 'one key' : 'no key'} → ${results.map(outcomeOf).join(', ')}`,
    );
    for (const r of results) ctx.expect(r, keyed ? [200] : [200, '409 INVALID_STATE']);
    if (keyed && new Set(results.map((r) => JSON.stringify(r.body))).size !== 1) {
      ctx.fail('race:idempotent-confirm', 'one Idempotency-Key gave different answers');
    }
    if (!keyed && countOf(results, 200) !== 1)
      ctx.fail('race:confirm', `${countOf(results, 200)} confirmations succeeded`);
    order.status = 'paid';
  },
};

// Each request alone is covered by the wallet; two together are not: exactly one may pass.
const withdrawRace: Op = {
  name: 'withdrawRace',
  weight: (m) => (live(m).length > 0 ? 2 : 0),
  async run(ctx) {
    const min = ctx.m.settings.withdrawMinFen;
    const funded = (await withAvailable(ctx.m)).filter((f) => f.fen >= min);
    const pick = ctx.rng.pick(funded);
    if (!pick) return;
    const amount = Math.max(min, Math.floor(pick.fen / 2) + 1);
    if (amount > pick.fen) return;
    const send = () =>
      ctx.call<{ id: string }>('/api/withdrawals', { token: pick.agent.token, body: { amountFen: amount } });
    const results = await Promise.all([send(), send(), send()]);
    ctx.note(`${ctx.name(pick.agent.id)} 3× ${amount} of ${pick.fen} → ${results.map(outcomeOf).join(', ')}`);
    for (const r of results) ctx.expect(r, [201, '409 INSUFFICIENT_BALANCE']);
    if (countOf(results, 201) !== 1) ctx.fail('race:withdraw', `${countOf(results, 201)} withdrawals passed`);
    for (const r of results) {
      if (r.status === 201)
        ctx.m.withdrawals.push({ id: r.body.id, agentId: pick.agent.id, amountFen: amount, status: 'requested' });
    }
  },
};

// Two one-unit refunds of one line at once: each may pass; a delivered cloud restock only as far as the buyer still
// holds units, anything else at least once.
const refundRace: Op = {
  name: 'refundRace',
  weight: (m) => (m.orders.some((o) => refundable(o) && o.lines.some((l) => l.qty - l.refundedQty >= 2)) ? 1.5 : 0),
  async run(ctx) {
    const open = ctx.m.orders.filter((o) => refundable(o) && o.lines.some((l) => l.qty - l.refundedQty >= 2));
    // Zero-priced orders (pickups) half the time: a refund there moves no money, only units.
    const pickups = open.filter((o) => o.kind === 'pickup');
    const order = (ctx.rng.chance(0.5) && ctx.rng.pick(pickups)) || ctx.rng.pick(open);
    const line = order?.lines.find((l) => l.qty - l.refundedQty >= 2);
    if (!order || !line) return;
    const delivered = order.kind === 'restock' && order.stockModel === 'cloud' && order.status === 'completed';
    const cap = delivered ? Math.min(2, await stockQty(order.agentId, line.productId)) : 2;
    const lines = [{ productId: line.productId, qty: 1 }];
    const send = () =>
      ctx.call<OrderView>(`/api/orders/${order.id}/refund`, {
        token: ctx.m.adminToken,
        body: { lines, reason: '部分退货' },
      });
    const results = await Promise.all([send(), send()]);
    ctx.note(
      `${ctx.name(order.id)} (${order.kind} ${order.status}) 2× one unit → ${results.map(outcomeOf).join(', ')}`,
    );
    for (const r of results) ctx.expect(r, [200, '409 INVALID_STATE']);
    const passed = countOf(results, 200);
    if (passed > cap || (!delivered && passed === 0)) {
      ctx.fail(
        'race:refund',
        `${passed} of two one-unit refunds passed, ${delivered ? `buyer held ${cap}` : 'expected 1 or 2'}`,
      );
    }
    order.known = false;
  },
};

type Action = { name: string; allowed: Allowed[]; send: () => Promise<{ status: number; body: unknown }> };

function actionsFor(ctx: Ctx, order: SimOrder): Action[] {
  const { m } = ctx;
  const post = (path: string, token: string | undefined, body?: unknown) =>
    ctx.call<OrderView>(`/api/orders/${order.id}/${path}`, { method: 'POST', token, ...(body ? { body } : {}) });
  const conflict: Allowed = '409 INVALID_STATE';
  const refund: Action = {
    name: 'refund',
    allowed: [200, conflict],
    send: () => post('refund', m.adminToken, { reason: '并发退款' }),
  };
  switch (order.status) {
    case 'pending_payment': {
      if (order.method === 'offline' && !payeeToken(ctx, order)) return [];
      const pay: Action =
        order.method === 'online'
          ? { name: 'notify', allowed: [200, 400], send: () => notify(transaction(order.id, order.amountFen)) }
          : { name: 'confirm', allowed: [200, conflict], send: () => post('confirm-payment', payeeToken(ctx, order)) };
      return [
        pay,
        { name: 'cancel', allowed: [200, conflict], send: () => post('cancel', buyerToken(m, order) ?? m.adminToken) },
      ];
    }
    case 'paid': {
      const ship: Action = {
        name: 'ship',
        allowed: [200, conflict],
        send: () =>
          ctx.call(`/api/orders/${order.id}/ship`, { token: shipperToken(ctx, order), body: shipBody(order) }),
      };
      const refuse: Action = {
        name: 'refuse',
        allowed: [200, conflict],
        send: () => post('refuse', m.adminToken, { reason: '并发拒单' }),
      };
      return [ship, order.kind === 'restock' && ctx.rng.chance(0.5) ? refuse : refund];
    }
    case 'shipped':
      return [{ name: 'complete', allowed: [200, conflict], send: () => post('complete', m.adminToken) }, refund];
    default:
      return [];
  }
}

// Two different actions on one order at once (pay or cancel, ship or refund, complete or refund).
const orderRace: Op = {
  name: 'orderRace',
  weight: (m) =>
    ordersIn(m, 'pending_payment', 'paid', 'shipped').filter((o) => o.kind !== 'pickup').length > 0 ? 3 : 0,
  async run(ctx) {
    const order = ctx.rng.pick(
      ordersIn(ctx.m, 'pending_payment', 'paid', 'shipped').filter((o) => o.kind !== 'pickup'),
    );
    if (!order) return;
    const actions = actionsFor(ctx, order);
    if (actions.length < 2) return;
    const results = await Promise.all(actions.map((a) => a.send()));
    ctx.note(
      `${ctx.name(order.id)} (${order.status}) ${actions.map((a, i) => `${a.name} ${results[i]?.status}`).join(' ‖ ')}`,
    );
    results.forEach((r, i) => {
      const a = actions[i];
      if (a) ctx.expect(r as { status: number; body: unknown; headers: Headers }, a.allowed, a.name);
    });
    const ok = results.map((r) => r.status === 200);
    if (!ok.some(Boolean)) ctx.fail('race:order-stuck', 'neither of two concurrent actions succeeded');
    // Paying and cancelling exclude each other, except that a payment arriving after the cancellation is
    // acknowledged and owed back (the invariants check that money).
    const exclusive = actions.some((a) => a.name === 'confirm' || a.name === 'refuse');
    if (exclusive && ok.every(Boolean))
      ctx.fail('race:order-both', `${actions.map((a) => a.name).join(' and ')} both succeeded`);
    for (const r of results) noteOrder(ctx.m, r.body);
    order.known = false;
  },
};

// Releasing the shares of a completed order while a refund touches them.
const releaseRace: Op = {
  name: 'releaseRefundRace',
  weight: (m) => (ordersIn(m, 'completed').filter(refundable).length > 0 ? 1.5 : 0),
  async run(ctx) {
    const order = ctx.rng.pick(ordersIn(ctx.m, 'completed').filter(refundable));
    if (!order) return;
    await env.DB.prepare(
      "UPDATE order_shares SET release_at = ? WHERE order_id = ? AND status = 'pending' AND release_at IS NOT NULL",
    )
      .bind(Date.now() - 1, order.id)
      .run();
    const whole = order.lines
      .filter((l) => l.qty > l.refundedQty)
      .map((l) => ({ productId: l.productId, qty: l.qty - l.refundedQty }));
    const refundOk = await refundAllowed(order, whole);
    const [released, refunded] = await Promise.all([
      ctx.call('/api/brand/jobs/release', { method: 'POST', token: ctx.m.adminToken }),
      ctx.call<OrderView>(`/api/orders/${order.id}/refund`, { token: ctx.m.adminToken, body: { reason: '售后退款' } }),
    ]);
    ctx.note(`${ctx.name(order.id)} release ${outcomeOf(released)} ‖ refund ${outcomeOf(refunded)}`);
    ctx.expect(released, [200], 'release');
    ctx.expect(refunded, [...refundOk, '409 INVALID_STATE'], 'refund');
    noteOrder(ctx.m, refunded.body);
    order.known = false;
  },
};

// Approving an application while its approver is downgraded, suspended or revoked.
const approveRace: Op = {
  name: 'approveRace',
  weight: (m) => (m.apps.some((a) => !a.decided) && active(m).length > 0 ? 2 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const candidates = [];
    for (const app of m.apps.filter((a) => !a.decided)) {
      const stored = await row<{ supplierId: string | null }>(
        'SELECT supplier_id AS supplierId FROM applications WHERE id = ?',
        app.id,
      );
      const supplier = agentOf(m, stored?.supplierId ?? null);
      if (supplier?.status === 'active' && supplier.level < app.level) candidates.push({ app, supplier });
    }
    const pick = rng.pick(candidates);
    if (!pick) return;
    const { app, supplier } = pick;
    const move = rng.pick(['downgrade', 'suspend', 'revoke'] as const) ?? 'suspend';
    // The change starts 0–3 ms after the approval, so either may read before the other writes.
    const delay = rng.int(4);
    const other = new Promise((resolve) => setTimeout(resolve, delay)).then(() =>
      move === 'downgrade'
        ? ctx.call(`/api/agents/${supplier.id}/level`, {
            token: m.adminToken,
            body: { level: app.level, reason: '降级' },
          })
        : ctx.call(`/api/agents/${supplier.id}/${move}`, { token: m.adminToken, body: { reason: '品牌方处理' } }),
    );
    const [approved, changed] = await Promise.all([
      ctx.call(`/api/applications/${app.id}/approve`, { method: 'POST', token: supplier.token }),
      other,
    ]);
    const what = `${move === 'downgrade' ? `downgrade to ${app.level}` : move} after ${delay} ms`;
    ctx.note(
      `app${m.apps.indexOf(app)} (level ${app.level}) by ${ctx.name(supplier.id)} ${outcomeOf(approved)} ‖ ${what} ${ctx.name(supplier.id)} ${outcomeOf(changed)}`,
    );
    ctx.expect(
      approved,
      [200, '409 INVALID_STATE', '409 LEVEL_CONFLICT', '404 NOT_FOUND', '401 UNAUTHENTICATED'],
      'approve',
    );
    ctx.expect(changed, [200, '409 LEVEL_CONFLICT'], move);
    if (approved.status === 200) {
      app.decided = true;
      m.agents.push(await welcome(ctx, app.phone, app.level));
      ctx.note(`= A${m.agents.length - 1}`);
    }
  },
};

// An agent and its supplier change level at the same time.
const levelRace: Op = {
  name: 'levelRace',
  weight: (m) => (live(m).some((a) => a.supplierId !== null) ? 1.5 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const agent = rng.pick(live(m).filter((a) => a.supplierId !== null));
    const supplier = agent && agentOf(m, agent.supplierId);
    if (!agent || !supplier) return;
    const up = Math.max(1, supplier.level - rng.between(0, 1));
    const down = Math.min(6, supplier.level + rng.between(1, 2));
    const change = (id: string, level: number) =>
      ctx.call(`/api/agents/${id}/level`, { token: m.adminToken, body: { level, reason: '调整' } });
    const results = await Promise.all([change(agent.id, up), change(supplier.id, down)]);
    ctx.note(
      `${ctx.name(agent.id)} → ${up} ‖ ${ctx.name(supplier.id)} → ${down}: ${results.map(outcomeOf).join(', ')}`,
    );
    for (const r of results) ctx.expect(r, [200, '409 LEVEL_CONFLICT', '409 INVALID_STATE']);
  },
};

export const raceOps: Op[] = [
  rush,
  idemOrders,
  dupNotify,
  confirmRace,
  withdrawRace,
  refundRace,
  orderRace,
  releaseRace,
  approveRace,
  levelRace,
];
