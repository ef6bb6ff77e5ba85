import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  api,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  sessionToken,
  snapshot,
  type TestAgent,
  uniquePhone,
  withSmsCode,
} from './helpers';

interface StockItem {
  productId: string;
  sku: string;
  name: string;
  qty: number;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

let brand: string;
let skuCounter = 0;

beforeAll(async () => {
  brand = await admin();
});

async function createProduct(name = '玻尿酸精华液'): Promise<{ id: string; sku: string; name: string }> {
  const levels = (await api<{ levels: { rank: number }[] }>('/api/brand')).body.levels;
  skuCounter++;
  const res = await api<{ id: string; sku: string; name: string }>('/api/products', {
    body: {
      sku: `STK-${Date.now().toString(36)}-${skuCounter}`,
      name,
      retailFen: 29_900,
      prices: Object.fromEntries(levels.map((l) => [String(l.rank), 10_000 + l.rank * 1000])),
      onSale: true,
    },
    token: brand,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

function adjust(productId: string, delta: number, token: string | undefined = brand, lang?: string) {
  return api<StockItem & ErrorBody>('/api/stock/adjust', {
    body: { productId, delta, reason: '盘点' },
    token,
    ...(lang ? { headers: { 'accept-language': lang } } : {}),
  });
}

async function warehouseQty(productId: string): Promise<number | undefined> {
  const row = await env.DB.prepare("SELECT qty FROM stock WHERE owner_id = 'brand' AND product_id = ?")
    .bind(productId)
    .first<{ qty: number }>();
  return row?.qty;
}

// Cloud stock arrives by restock orders; these tests only read it, so they put it in place directly.
async function giveCloudStock(agentId: string, productId: string, qty: number) {
  await env.DB.prepare('INSERT INTO stock (owner_id, product_id, qty) VALUES (?, ?, ?)')
    .bind(agentId, productId, qty)
    .run();
}

describe('POST /api/stock/adjust', () => {
  it('adds to and removes from the warehouse, each change in the audit log', async () => {
    const product = await createProduct();
    const added = await adjust(product.id, 10);
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body).toEqual({ productId: product.id, sku: product.sku, name: product.name, qty: 10 });
    expect((await adjust(product.id, 5)).body.qty).toBe(15);
    expect((await adjust(product.id, -15)).body.qty).toBe(0);
    expect((await adjust(product.id, 2)).body.qty).toBe(2);
    expect(await warehouseQty(product.id)).toBe(2);
    const log = await api<{ items: { action: string; detail: { delta: number; reason: string } }[] }>(
      `/api/audit?targetId=${product.id}`,
      { token: brand },
    );
    expect(log.body.items.filter((e) => e.action === 'stock.adjust').map((e) => e.detail.delta)).toEqual([
      2, -15, 5, 10,
    ]);
  });

  it('refuses a decrease below zero, saying what is left, and writes nothing', async () => {
    const product = await createProduct('防晒霜');
    await adjust(product.id, 7);
    const never = await createProduct('面膜');
    const before = await snapshot();
    const res = await adjust(product.id, -8);
    expectError(res, 409, 'STOCK_INSUFFICIENT', 'delta');
    expect(res.body.error.message).toContain('防晒霜');
    expect(res.body.error.message).toContain('仓库仅剩 7 件');
    const english = await adjust(product.id, -8, brand, 'en');
    expect(english.body.error.message).toContain('warehouse has 7 left');
    const empty = await adjust(never.id, -1);
    expectError(empty, 409, 'STOCK_INSUFFICIENT', 'delta');
    expect(empty.body.error.message).toContain('仅剩 0 件');
    expect(await snapshot()).toBe(before);
    expect(await warehouseQty(product.id)).toBe(7);
  });

  it('never oversells: 20 concurrent decrements of 1 against 10 units leave 0 and refuse 10', async () => {
    const product = await createProduct();
    await adjust(product.id, 10);
    const results = await Promise.all(Array.from({ length: 20 }, () => adjust(product.id, -1)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('STOCK_INSUFFICIENT');
    expect(await warehouseQty(product.id)).toBe(0);
    const audited = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE target_id = ? AND action = 'stock.adjust'",
    )
      .bind(product.id)
      .first<{ n: number }>();
    expect(audited?.n).toBe(11);
  });

  it('refuses a zero or oversized delta, a missing reason and an unknown product, writing nothing', async () => {
    const product = await createProduct();
    const before = await snapshot();
    for (const delta of [0, 1_000_001, -1_000_001, 1.5]) {
      expectError(await adjust(product.id, delta), 400, 'VALIDATION_FAILED', 'delta');
    }
    expectError(
      await api('/api/stock/adjust', { body: { productId: product.id, delta: 1 }, token: brand }),
      400,
      'VALIDATION_FAILED',
      'reason',
    );
    expectError(await adjust('prd_01jx0000000000000000000000', 5), 404, 'NOT_FOUND', 'productId');
    expect(await snapshot()).toBe(before);
  });

  it('is for the brand only: agents and members are refused, the anonymous asked to sign in', async () => {
    const product = await createProduct();
    const agent = await createAgent(1);
    const member = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '会员丙', password: PASSWORD, ref: agent.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    const before = await snapshot();
    expectError(await adjust(product.id, 5, agent.token), 403, 'FORBIDDEN');
    expectError(await adjust(product.id, 5, sessionToken(member)), 403, 'FORBIDDEN');
    expectError(
      await api('/api/stock/adjust', { body: { productId: product.id, delta: 5, reason: '盘点' } }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await api('/api/stock', { token: agent.token }), 403, 'FORBIDDEN');
    expectError(await api('/api/stock'), 401, 'UNAUTHENTICATED');
    expect(await snapshot()).toBe(before);
  });
});

describe('reading stock', () => {
  let top: TestAgent;
  let mid: TestAgent;
  let low: TestAgent;
  let stranger: TestAgent;
  let products: { id: string; sku: string; name: string }[];

  // top(1) → mid(3) → low(5); stranger(3) in another team. mid holds three products in its cloud stock.
  beforeAll(async () => {
    top = await createAgent(1);
    mid = await createAgent(3, top);
    low = await createAgent(5, mid);
    stranger = await createAgent(3, await createAgent(1));
    products = [await createProduct('A'), await createProduct('B'), await createProduct('C')];
    for (const [i, p] of products.entries()) await giveCloudStock(mid.id, p.id, (i + 1) * 10);
  });

  it('shows an agent’s cloud stock to itself, its uplines and the brand, paginated', async () => {
    const expected = products.map((p, i) => ({ productId: p.id, sku: p.sku, name: p.name, qty: (i + 1) * 10 }));
    for (const [path, token] of [
      ['/api/agents/me/stock', mid.token],
      [`/api/agents/${mid.id}/stock`, mid.token],
      [`/api/agents/${mid.id}/stock`, top.token],
      [`/api/agents/${mid.id}/stock`, brand],
      [`/api/stock?owner=${mid.id}`, brand],
    ] as const) {
      const seen: StockItem[] = [];
      let cursor: string | null = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const page: { status: number; body: Page<StockItem> } = await api<Page<StockItem>>(
          `${path}${sep}limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { token },
        );
        expect(page.status, `${path}: ${JSON.stringify(page.body)}`).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen, path).toEqual(expected);
    }
  });

  it('hides an agent’s stock from a downline, another team and members (404 or 403), and the anonymous (401)', async () => {
    expectError(await api(`/api/agents/${mid.id}/stock`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(await api(`/api/agents/${mid.id}/stock`, { token: low.token }), 404, 'NOT_FOUND');
    const member = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '会员丁', password: PASSWORD, ref: mid.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expectError(await api(`/api/agents/${mid.id}/stock`, { token: sessionToken(member) }), 403, 'FORBIDDEN');
    expectError(await api(`/api/agents/${mid.id}/stock`), 401, 'UNAUTHENTICATED');
  });

  it('lists the warehouse for the brand and answers 404 for an unknown owner', async () => {
    const product = await createProduct('仓库商品');
    await adjust(product.id, 42);
    const seen: StockItem[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page<StockItem> } = await api<Page<StockItem>>(
        `/api/stock?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { token: brand },
      );
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toContainEqual({ productId: product.id, sku: product.sku, name: '仓库商品', qty: 42 });
    expect(seen.map((s) => s.productId)).not.toContain(products[0]?.id);
    expectError(
      await api('/api/stock?owner=agt_01jx0000000000000000000000', { token: brand }),
      404,
      'NOT_FOUND',
      'owner',
    );
  });
});
