import { type Allowed, type Ctx, row, rows } from '../ctx';
import type { OrderView, SimAgent, SimMember } from '../model';
import { agentOf, live, type Op, recordOrder, SHIPPING, same } from './common';
import { drawLines, enough, type Line, stockNote } from './order-lines';

// Consumer orders through a shop link: who serves the buyer, whose units fill the order, what the answer may be.

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

export const consumer: Op = {
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
