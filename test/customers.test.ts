import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { newId } from '../db/ids';
import { admin, api, createAgent, freshIp, PASSWORD, sessionToken, uniquePhone, withSmsCode } from './helpers';

interface Customer {
  id: string;
  name: string;
  phone: string;
  orderCount: number;
  lastOrderAt: number | null;
}

describe('GET /api/customers (我的客户)', () => {
  it('lists the members bound to the agent with paid orders and last order date, a page at a time', async () => {
    const brand = await admin();
    const agent = await createAgent(6);
    const stranger = await createAgent(6);
    const ids: string[] = [];
    for (const name of ['客户甲', '客户乙', '客户丙']) {
      const signup = await api('/api/members', {
        body: await withSmsCode({ phone: uniquePhone(), name, password: PASSWORD, ref: agent.code }),
        headers: { 'cf-connecting-ip': freshIp() },
      });
      expect(signup.status, JSON.stringify(signup.body)).toBe(201);
      ids.push((await api<{ id: string }>('/api/members/me', { token: sessionToken(signup) })).body.id);
    }
    const buyer = ids[0] ?? '';
    const at = Date.now();
    const order = (status: string) =>
      env.DB.prepare(
        `INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, member_id, payment_method, status,
         amount_fen, refunded_fen, created_at) VALUES (?, 'consumer', 'direct', ?, 'brand', 'brand', ?, 'online', ?, 100, 0, ?)`,
      ).bind(newId('ord'), agent.id, buyer, status, at);
    await env.DB.batch([
      order('completed'),
      order('paid'),
      order('cancelled'),
      env.DB.prepare('UPDATE members SET last_order_at = ? WHERE id = ?').bind(at, buyer),
    ]);

    const first = await api<{ items: Customer[]; nextCursor: string | null }>('/api/customers?limit=2', {
      token: agent.token,
    });
    expect(first.status).toBe(200);
    expect(first.body.items.map((c) => c.name)).toEqual(['客户丙', '客户乙']);
    const next = await api<{ items: Customer[]; nextCursor: string | null }>(
      `/api/customers?limit=2&cursor=${first.body.nextCursor}`,
      { token: agent.token },
    );
    expect(next.body.nextCursor).toBeNull();
    // Cancelled orders are not purchases.
    expect(next.body.items).toEqual([
      expect.objectContaining({ id: buyer, name: '客户甲', orderCount: 2, lastOrderAt: at }),
    ]);

    expect((await api<{ items: Customer[] }>('/api/customers', { token: stranger.token })).body.items).toEqual([]);
    expect((await api('/api/customers', { token: brand })).status).toBe(403);
    expect((await api('/api/customers')).status).toBe(401);
  });
});
