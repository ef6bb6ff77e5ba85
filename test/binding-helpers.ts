import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { DAY_MS } from '../worker/domain/binding';
import { admin, api, freshIp, PASSWORD, smsCode } from './helpers';
import { notify, type OrderBody, transaction } from './order-helpers';

// The consumer orders, signups and member rows the binding tests drive and read.

export interface MemberRow {
  id: string;
  name: string;
  password_hash: string;
  bound_agent_id: string | null;
  bound_at: number | null;
  bound_proof: string | null;
  last_order_at: number | null;
}

export async function memberOf(phone: string): Promise<MemberRow | null> {
  return env.DB.prepare(
    'SELECT id, name, password_hash, bound_agent_id, bound_at, bound_proof, last_order_at FROM members WHERE phone = ?',
  )
    .bind(phone)
    .first<MemberRow>();
}

export async function sharesOf(orderId: string) {
  const rows = await env.DB.prepare('SELECT party_id, amount_fen FROM order_shares WHERE order_id = ?')
    .bind(orderId)
    .all<{ party_id: string; amount_fen: number }>();
  return Object.fromEntries(rows.results.map((r) => [r.party_id, r.amount_fen]));
}

export async function setPolicy(bindingPolicy: 'permanent' | 'rebind', rebindDays = 30) {
  const res = await api('/api/brand/settings', {
    method: 'PATCH',
    token: await admin(),
    body: { bindingPolicy, rebindDays },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

// Moves the member's clock back: its last order (and binding) `days` ago.
export async function idleFor(phone: string, days: number) {
  const at = Date.now() - days * DAY_MS;
  await env.DB.prepare('UPDATE members SET last_order_at = ?, bound_at = ? WHERE phone = ?').bind(at, at, phone).run();
}

export function placeOrder(shopCode: string, productId: string, phone: string, token?: string) {
  return api<OrderBody & { memberId: string | null; createdAt: number }>('/api/orders', {
    token,
    body: {
      kind: 'consumer',
      shopCode,
      lines: [{ productId, qty: 1 }],
      paymentMethod: 'online',
      shipping: { name: '陈小雨', phone, address: '江苏省南京市鼓楼区中山路 18 号' },
    },
    headers: { 'cf-connecting-ip': freshIp() },
  });
}

// The agent an order is sold through and credited to (a guest's answer does not say).
export async function sellerOf(orderId: string): Promise<string | undefined> {
  const row = await env.DB.prepare('SELECT agent_id FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ agent_id: string }>();
  return row?.agent_id;
}

// An order placed and paid (WeChat Pay notifies): only a paid order binds.
export async function order(shopCode: string, productId: string, phone: string, token?: string) {
  const placed = await placeOrder(shopCode, productId, phone, token);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  expect((await notify(transaction(placed.body.id, placed.body.amountFen))).status).toBe(200);
  return { ...placed, seller: await sellerOf(placed.body.id) };
}

// `again`: a second signup with the phone within the minute (its per-phone code limit lifted).
export async function signup(phone: string, ref?: string, again = false) {
  return api<{ id: string; boundAgent: { id: string; status: string } | null; name: string }>('/api/members', {
    body: {
      phone,
      name: '陈小雨',
      password: PASSWORD,
      smsCode: await smsCode(phone, 'signup', again),
      ...(ref ? { ref } : {}),
    },
    headers: { 'cf-connecting-ip': freshIp() },
  });
}
