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

  it('finds a customer by the start of its name or phone, and opens its orders sold through this agent only', async () => {
    const agent = await createAgent(6);
    const stranger = await createAgent(6);
    const phones = [uniquePhone(), uniquePhone()];
    const ids: string[] = [];
    for (const [i, name] of ['王小明', '李四'].entries()) {
      const signup = await api('/api/members', {
        body: await withSmsCode({ phone: phones[i] ?? '', name, password: PASSWORD, ref: agent.code }),
        headers: { 'cf-connecting-ip': freshIp() },
      });
      expect(signup.status, JSON.stringify(signup.body)).toBe(201);
      ids.push((await api<{ id: string }>('/api/members/me', { token: sessionToken(signup) })).body.id);
    }
    const [wang = '', li = ''] = ids;
    const mine = newId('ord');
    const elsewhere = newId('ord');
    const order = (id: string, seller: string) =>
      env.DB.prepare(
        `INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, member_id, payment_method, status,
         amount_fen, refunded_fen, ship_name, created_at) VALUES (?, 'consumer', 'direct', ?, 'brand', 'brand', ?, 'online', 'paid', 25900, 0, '王小明', ?)`,
      ).bind(id, seller, wang, Date.now());
    await env.DB.batch([order(elsewhere, stranger.id), order(mine, agent.id)]);

    type Found = { items: Customer[] };
    const byName = await api<Found>(`/api/customers?q=${encodeURIComponent('王小')}`, { token: agent.token });
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((c) => c.id)).toEqual([wang]);
    // Typed in groups as people read phones aloud.
    const p = phones[1] ?? '';
    // The whole number: two test phones may share their first seven digits.
    const typed = `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`;
    const byPhone = await api<Found>(`/api/customers?q=${encodeURIComponent(typed)}`, { token: agent.token });
    expect(byPhone.body.items.map((c) => c.id)).toEqual([li]);
    expect(
      (await api<Found>(`/api/customers?q=${encodeURIComponent('张')}`, { token: agent.token })).body.items,
    ).toEqual([]);
    // The stranger's search never reaches another agent's customers.
    expect((await api<Found>(`/api/customers?q=${p}`, { token: stranger.token })).body.items).toEqual([]);

    const opened = await api<{ customer: { name: string; phone: string }; items: { id: string; amountFen: number }[] }>(
      `/api/customers/${wang}/orders`,
      { token: agent.token },
    );
    expect(opened.status).toBe(200);
    expect(opened.body.customer).toEqual({ id: wang, name: '王小明', phone: phones[0] });
    // The order another agent sold this member stays that agent's.
    expect(opened.body.items.map((o) => o.id)).toEqual([mine]);

    // Another agent's customer is not found, not forbidden: the id says nothing about whether it exists.
    const idor = await api<{ error: { code: string } }>(`/api/customers/${wang}/orders`, { token: stranger.token });
    expect(idor.status).toBe(404);
    expect(idor.body.error.code).toBe('NOT_FOUND');
    expect((await api(`/api/customers/${wang}/orders`, { token: await admin() })).status).toBe(403);
    const tooLong = await api<{ error: { code: string; field?: string } }>(`/api/customers?q=${'a'.repeat(41)}`, {
      token: agent.token,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.field).toBe('q');
  });
});
