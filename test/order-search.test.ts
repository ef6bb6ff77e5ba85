import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids';
import { planOrderSearch } from '../worker/domain/orderSearch';
import { admin, api, createAgent, freshIp, type TestAgent } from './helpers';
import { product, setModel } from './order-helpers';

interface Summary {
  id: string;
  status: string;
  agentId: string;
  shipName: string | null;
  productName: string | null;
  thumbnail: string | null;
  lineCount: number;
}
interface Page {
  items: Summary[];
  nextCursor: string | null;
}

let brand: string;
let seller: TestAgent;
let prd: string;

async function order(phone: string, name: string) {
  const res = await api<{ id: string }>('/api/orders', {
    body: {
      kind: 'consumer',
      shopCode: seller.code,
      lines: [{ productId: prd, qty: 1 }],
      paymentMethod: 'online',
      shipping: { name, phone, address: '浙江省杭州市西湖区文三路 100 号' },
    },
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

// Orders written straight into D1 so the search has many rows to (not) read past.
async function filler(count: number) {
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, i) =>
    env.DB.prepare(
      `INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, payment_method, status, amount_fen,
       refunded_fen, ship_name, ship_phone, ship_address, created_at) VALUES (?, 'consumer', 'direct', ?, 'brand', 'brand',
       'online', 'completed', 100, 0, '路人', ?, '某地', ?)`,
    ).bind(newId('ord', now - 86_400_000 + i), seller.id, `139${String(i).padStart(8, '0')}`, now),
  );
  for (let i = 0; i < rows.length; i += 100) await env.DB.batch(rows.slice(i, i + 100));
}

const search = (q: string, extra = '') =>
  api<Page>(`/api/orders/search?q=${encodeURIComponent(q)}${extra}`, { token: brand });

beforeAll(async () => {
  brand = await admin();
  await setModel('direct');
  seller = await createAgent(6, undefined, '搜索测试代理');
  prd = await product();
  await env.DB.prepare(`UPDATE products SET images = '["/images/p-search.jpg"]' WHERE id = ?`).bind(prd).run();
  await filler(400);
});

describe('brand order search', () => {
  it('finds a consignee’s orders by phone reading a bounded number of rows', async () => {
    const a = await order('13612340001', '李四');
    const b = await order('13612340001', '李四');
    await order('13612340002', '王五');
    const res = await search('136 1234 0001');
    expect(res.status).toBe(200);
    expect(res.body.items.map((o) => o.id)).toEqual([b, a]);
    const rows = Number(res.headers.get('x-d1-rows-read'));
    expect(rows).toBeGreaterThan(0);
    // 400 other orders of the same agent: a scan of orders or of the agent's orders would read them all.
    expect(rows).toBeLessThanOrEqual(50);
    expect(res.body.items[0]).toMatchObject({ productName: expect.stringMatching(/^焕颜精华/), lineCount: 1 });
    expect(res.body.items[0]?.thumbnail).toBe('/images/p-search.jpg');
  });

  it('finds by the start of an order id, a consignee’s name and an agent’s name, paging by cursor', async () => {
    const id = await order('13612340003', '赵六六');
    expect((await search(id.slice(0, 14))).body.items.map((o) => o.id)).toContain(id);
    expect((await search(id.slice(4, 18))).body.items.map((o) => o.id)).toEqual([id]);
    expect((await search('赵六六')).body.items.map((o) => o.id)).toEqual([id]);
    const first = await search('搜索测试代理', '&limit=5');
    expect(first.body.items).toHaveLength(5);
    expect(first.body.items.every((o) => o.agentId === seller.id)).toBe(true);
    expect(Number(first.headers.get('x-d1-rows-read'))).toBeLessThanOrEqual(80);
    const next = await search('搜索测试代理', `&limit=5&cursor=${first.body.nextCursor}`);
    expect(next.body.items).toHaveLength(5);
    expect((next.body.items[0]?.id ?? '') < (first.body.items[4]?.id ?? '')).toBe(true);
    expect((await search('无此人')).body.items).toEqual([]);
  });

  it('narrows to a status tab, and the tab counts follow every order write', async () => {
    const counts = async () =>
      (await api<{ total: number; counts: Record<string, number> }>('/api/orders/status-counts', { token: brand }))
        .body;
    const before = await counts();
    const truth = await env.DB.prepare('SELECT status, count(*) AS n FROM orders GROUP BY status').all<{
      status: string;
      n: number;
    }>();
    for (const r of truth.results) expect(before.counts[r.status]).toBe(r.n);
    const id = await order('13612340004', '钱七');
    const after = await counts();
    expect(after.counts.pending_payment).toBe((before.counts.pending_payment ?? 0) + 1);
    expect(after.total).toBe(before.total + 1);
    const cancel = await api(`/api/orders/${id}/cancel`, {
      method: 'POST',
      headers: { 'cf-connecting-ip': freshIp() },
      token: brand,
    });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const cancelled = await counts();
    expect(cancelled.counts.pending_payment).toBe(before.counts.pending_payment ?? 0);
    expect(cancelled.counts.cancelled).toBe((before.counts.cancelled ?? 0) + 1);
    expect((await search('13612340004', '&status=cancelled')).body.items.map((o) => o.id)).toEqual([id]);
    expect((await search('13612340004', '&status=paid')).body.items).toEqual([]);
  });

  it('is the brand’s alone', async () => {
    for (const path of ['/api/orders/search?q=13612340001', '/api/orders/status-counts']) {
      expect((await api(path, { token: seller.token })).status).toBe(403);
      expect((await api(path)).status).toBe(401);
    }
  });
});

describe('planOrderSearch', () => {
  it('reads a phone, an id, its start and a name', () => {
    expect(planOrderSearch(' +86 138-1234-5678 ')).toEqual({ phone: '13812345678' });
    expect(planOrderSearch('ORD_01JX')).toEqual({ idPrefix: 'ord_01jx' });
    expect(planOrderSearch('01jx00ab')).toEqual({ idPrefix: 'ord_01jx00ab', name: '01jx00ab' });
    expect(planOrderSearch('张  伟')).toEqual({ name: '张 伟' });
    expect(planOrderSearch('ord_%')).toEqual({});
    expect(planOrderSearch('   ')).toEqual({});
  });
});
