import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { admin, api, type TestAgent } from './helpers';
import { notify, type OrderBody, transaction } from './order-helpers';

export interface RulesBody {
  rewards?: Record<string, unknown>[];
  upgrades?: Record<string, unknown>[];
  pointsPerYuan?: number;
  pointsTowardUpgrade?: boolean;
}

export async function putRules(body: RulesBody, headers: Record<string, string> = {}) {
  return api('/api/incentives/rules', {
    method: 'PUT',
    token: await admin(),
    headers,
    body: { rewards: [], upgrades: [], pointsPerYuan: 0, pointsTowardUpgrade: false, ...body },
  });
}

export async function setRules(body: RulesBody) {
  const res = await putRules(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

// A restock placed and paid online (the gateway notifies), as an agent does it.
export async function placeRestock(
  agent: TestAgent,
  productId: string,
  qty: number,
  paymentMethod: 'online' | 'offline' = 'online',
): Promise<OrderBody & { payeeId: string }> {
  const placed = await api<OrderBody & { payeeId: string }>('/api/orders', {
    token: agent.token,
    body: { kind: 'restock', lines: [{ productId, qty }], paymentMethod },
  });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body;
}

export async function paidRestock(agent: TestAgent, productId: string, qty: number): Promise<OrderBody> {
  const placed = await placeRestock(agent, productId, qty);
  const paid = await notify(transaction(placed.id, placed.amountFen));
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  return placed;
}

export async function refundOrder(orderId: string, lines?: { productId: string; qty: number }[]) {
  const res = await api<OrderBody>(`/api/orders/${orderId}/refund`, {
    token: await admin(),
    body: { reason: '测试退款', ...(lines ? { lines } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export interface Grant {
  agent_id: string;
  kind: string;
  depth: number;
  amount_fen: number;
  reversed_fen: number;
}

export async function grantsOf(orderId: string): Promise<Grant[]> {
  const rows = await env.DB.prepare(
    'SELECT agent_id, kind, depth, amount_fen, reversed_fen FROM reward_grants WHERE order_id = ? ORDER BY depth, kind',
  )
    .bind(orderId)
    .all<Grant>();
  return rows.results;
}

export async function levelOf(agentId: string): Promise<{ level: number; supplier_id: string | null }> {
  const row = await env.DB.prepare('SELECT level, supplier_id FROM agents WHERE id = ?')
    .bind(agentId)
    .first<{ level: number; supplier_id: string | null }>();
  if (!row) throw new Error(`no agent ${agentId}`);
  return row;
}
