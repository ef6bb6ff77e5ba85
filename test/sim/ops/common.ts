import type { Ctx } from '../ctx';
import { isOrderView, type Model, type OrderView, type SimAgent, type SimOrder } from '../model';

// One kind of step. `weight` is how likely the generator picks it in the current state (0: nothing to act on, and
// a replayed step is then skipped); `run` picks its targets with the step's own generator and checks the answers.
export interface Op {
  name: string;
  weight(m: Model): number;
  run(ctx: Ctx): Promise<void>;
}

export const SHIPPING = { name: '王小明', phone: '13700001111', address: '浙江省杭州市西湖区文三路 100 号' };
export const TRACKING = { carrier: '顺丰速运', trackingNo: 'SF1234567890' };

export function agentOf(m: Model, id: string | null): SimAgent | undefined {
  return id === null ? undefined : m.agents.find((a) => a.id === id);
}

export const live = (m: Model) => m.agents.filter((a) => a.status !== 'revoked');
export const active = (m: Model) => m.agents.filter((a) => a.status === 'active');

// The supply chain above an agent, nearest first, as the model knows it (synced from the database every step).
export function chainOf(m: Model, agent: SimAgent): SimAgent[] {
  const chain: SimAgent[] = [];
  for (let s = agentOf(m, agent.supplierId); s && chain.length < 10; s = agentOf(m, s.supplierId)) chain.push(s);
  return chain;
}

export function ordersIn(m: Model, ...statuses: SimOrder['status'][]): SimOrder[] {
  return m.orders.filter((o) => statuses.includes(o.status));
}

// The token that may act as `party` (an agent id or 'brand'); a revoked agent has none.
export function tokenOf(m: Model, party: string | null): string | undefined {
  if (party === null || party === 'brand') return m.adminToken;
  const agent = agentOf(m, party);
  return agent && agent.status !== 'revoked' ? agent.token : undefined;
}

export function buyerToken(m: Model, order: SimOrder): string | undefined {
  if (order.kind === 'consumer') return m.members.find((x) => x.id === order.memberId)?.token;
  return tokenOf(m, order.agentId);
}

// `sellerId`: the agent a guest's order is sold through, which its answer does not name.
export function recordOrder(m: Model, view: OrderView, stockOwnerId: string, sellerId?: string): SimOrder {
  const order: SimOrder = {
    id: view.id,
    kind: view.kind,
    stockModel: view.stockModel,
    agentId: view.agentId ?? sellerId ?? '',
    payeeId: view.payeeId,
    stockOwnerId,
    memberId: view.memberId,
    method: view.paymentMethod,
    status: view.status,
    amountFen: view.amountFen,
    refundedFen: view.refundedFen,
    lines: view.lines.map((l) => ({
      productId: l.productId,
      qty: l.qty,
      unitFen: l.unitFen,
      refundedQty: l.refundedQty,
    })),
    known: true,
  };
  m.orders.push(order);
  return order;
}

// The model takes what the API answered; the step's end compares it with what the database holds.
export function noteOrder(m: Model, body: unknown): void {
  if (!isOrderView(body)) return;
  const order = m.orders.find((o) => o.id === body.id);
  if (!order) return;
  order.status = body.status;
  order.refundedFen = body.refundedFen;
  order.lines = body.lines.map((l) => ({ ...l }));
  order.known = true;
}

export function unitsLeft(order: SimOrder): number {
  return order.lines.reduce((s, l) => s + l.qty - l.refundedQty, 0);
}

export function same(ctx: Ctx, what: string, got: unknown, want: unknown): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    ctx.fail(`wrong-answer:${what}`, `${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
}
