import { env } from 'cloudflare:test';
import { type Allowed, balanceOf, row, rows, stockQty } from '../ctx';
import type { Model, SimAgent } from '../model';
import { live, type Op, ordersIn, same } from './common';

const release: Op = {
  name: 'release',
  weight: (m) => (ordersIn(m, 'completed').length > 0 ? 4 : 0.5),
  async run(ctx) {
    const due = await row<{ n: number }>(
      "SELECT count(*) AS n FROM order_shares WHERE status = 'pending' AND release_at <= ?",
      Date.now(),
    );
    const res = await ctx.call<{ released: number }>('/api/brand/jobs/release', {
      method: 'POST',
      token: ctx.m.adminToken,
    });
    ctx.note(`${due?.n ?? 0} due → ${ctx.expect(res, [200])} released ${res.body.released}`);
    same(ctx, 'released', res.body.released, due?.n ?? 0);
  },
};

// The freeze period is days long: moving one order's release time into the past is how time passes here.
const timePasses: Op = {
  name: 'timePasses',
  weight: (m) => (ordersIn(m, 'completed', 'refunded').length > 0 ? 3 : 0),
  async run(ctx) {
    const order = ctx.rng.pick(ordersIn(ctx.m, 'completed', 'refunded'));
    if (!order) return;
    const moved = await env.DB.prepare(
      "UPDATE order_shares SET release_at = ? WHERE order_id = ? AND status = 'pending' AND release_at IS NOT NULL",
    )
      .bind(Date.now() - 1, order.id)
      .run();
    ctx.note(`${ctx.name(order.id)}: ${moved.meta.changes} shares due now`);
  },
};

const freeze: Op = {
  name: 'setFreeze',
  weight: () => 0.7,
  async run(ctx) {
    const days = ctx.m.settings.freezeDays === 0 ? 7 : 0;
    const res = await ctx.call('/api/brand/settings', {
      method: 'PATCH',
      token: ctx.m.adminToken,
      body: { freezeDays: days },
    });
    ctx.note(`freeze ${days} days → ${ctx.expect(res, [200])}`);
    ctx.m.settings.freezeDays = days;
  },
};

const stockModel: Op = {
  name: 'setStockModel',
  weight: () => 0.8,
  async run(ctx) {
    const model = ctx.m.settings.stockModel === 'cloud' ? 'direct' : 'cloud';
    // The model stays while any agent holds cloud stock (they could neither sell nor pick it up after).
    const held = await row<{ n: number }>("SELECT count(*) AS n FROM stock WHERE owner_id <> 'brand' AND qty > 0");
    const allowed: Allowed[] = (held?.n ?? 0) > 0 ? ['409 STOCK_MODEL_LOCKED'] : [200];
    const res = await ctx.call('/api/brand/settings', {
      method: 'PATCH',
      token: ctx.m.adminToken,
      body: { stockModel: model },
    });
    const got = ctx.expect(res, allowed);
    ctx.note(`${model} → ${got}`);
    if (got === '200') ctx.m.settings.stockModel = model;
  },
};

const warehouse: Op = {
  name: 'adjustWarehouse',
  weight: () => 2,
  async run(ctx) {
    const { m, rng } = ctx;
    const product = rng.pick(m.products);
    if (!product) return;
    const have = await stockQty('brand', product.id);
    // Taking stock down to a few units is what makes the order rushes contend.
    const delta = rng.chance(0.55) ? rng.between(1, 40) : -rng.between(1, have + 3);
    const res = await ctx.call<{ qty: number }>('/api/stock/adjust', {
      token: m.adminToken,
      body: { productId: product.id, delta, reason: delta > 0 ? '入库' : '盘点' },
    });
    const got = ctx.expect(res, have + delta >= 0 ? [200] : ['409 STOCK_INSUFFICIENT']);
    ctx.note(`${ctx.name(product.id)} ${have} ${delta > 0 ? '+' : ''}${delta} → ${got}`);
    if (res.status !== 200) return;
    same(ctx, 'warehouse after adjust', res.body.qty, have + delta);
    m.injected.set(product.id, (m.injected.get(product.id) ?? 0) + delta);
  },
};

// What the agent can withdraw: its wallet balance less its held shares (credited at payment, held until release).
export async function available(agent: SimAgent): Promise<number> {
  const held = await row<{ fen: number }>('SELECT held_fen AS fen FROM held_shares WHERE agent_id = ?', agent.id);
  return (await balanceOf(`agent:${agent.id}:available`)) - (held?.fen ?? 0);
}

export function withdrawalAllowed(m: Model, have: number, amount: number): Allowed[] {
  if (amount < m.settings.withdrawMinFen) return ['400 BELOW_MINIMUM'];
  if (have < 0) return ['409 DEBT_OUTSTANDING'];
  return amount > have ? ['409 INSUFFICIENT_BALANCE'] : [201];
}

export async function withAvailable(m: Model): Promise<{ agent: SimAgent; fen: number }[]> {
  const found = await rows<{ account: string; fen: number }>(
    `SELECT b.account, b.balance_fen - coalesce(h.held_fen, 0) AS fen FROM balances b
     LEFT JOIN held_shares h ON b.account = 'agent:' || h.agent_id || ':available'
     WHERE b.account LIKE 'agent:%:available' AND b.balance_fen - coalesce(h.held_fen, 0) <> 0`,
  );
  return found.flatMap((f) => {
    const agent = live(m).find((a) => f.account === `agent:${a.id}:available`);
    return agent ? [{ agent, fen: f.fen }] : [];
  });
}

const withdraw: Op = {
  name: 'withdraw',
  weight: (m) => (live(m).length > 0 ? 4 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const funded = await withAvailable(m);
    const agent = (rng.chance(0.85) && rng.pick(funded)?.agent) || rng.pick(live(m));
    if (!agent) return;
    const have = await available(agent);
    const min = m.settings.withdrawMinFen;
    const roll = rng.int(10);
    const amount =
      roll < 7 && have >= min
        ? rng.between(min, have)
        : roll < 9
          ? Math.max(min, have + rng.between(1, 500))
          : Math.max(1, min - 1);
    const res = await ctx.call<{ id: string }>('/api/withdrawals', { token: agent.token, body: { amountFen: amount } });
    const got = ctx.expect(res, withdrawalAllowed(m, have, amount));
    ctx.note(
      `${ctx.name(agent.id)} ${amount} of ${have} → ${got}${res.status === 201 ? ` = W${m.withdrawals.length}` : ''}`,
    );
    if (res.status === 201)
      m.withdrawals.push({ id: res.body.id, agentId: agent.id, amountFen: amount, status: 'requested' });
  },
};

const decide: Op = {
  name: 'decideWithdrawal',
  weight: (m) => (m.withdrawals.some((w) => w.status === 'requested') ? 4 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const w = rng.pick(m.withdrawals.filter((x) => x.status === 'requested'));
    if (!w) return;
    const pay = rng.chance(0.7);
    const res = await ctx.call<{ status: string }>(`/api/withdrawals/${w.id}/${pay ? 'approve' : 'reject'}`, {
      token: m.adminToken,
      body: pay ? { reference: `BANK-${m.counter}` } : { reason: '账户信息有误' },
    });
    ctx.note(`${ctx.name(w.id)} ${pay ? 'pay' : 'reject'} → ${ctx.expect(res, [200])}`);
    w.status = pay ? 'paid' : 'rejected';
    same(ctx, 'withdrawal status', res.body.status, w.status);
  },
};

export const moneyOps: Op[] = [release, timePasses, freeze, stockModel, warehouse, withdraw, decide];
