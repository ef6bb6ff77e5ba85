import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { isActive, matches, noFilter } from '../site/src/features/shop/shopFilter';
import {
  admin,
  api,
  BASE,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  seedBrand,
  sessionToken,
  type TestAgent,
  uniquePhone,
  withSmsCode,
  workerFetch,
} from './helpers';
import { PRICES, setModel, setStock } from './order-helpers';

// The shop as a shop (issue 15 items 5, 8, 9): sold-out marks in the cloud model, the brand's categories, search,
// and the closed-shop wording. Needs site/dist (npm test builds the site first).

interface Card {
  id: string;
  name: string;
  category: string;
  soldOut: boolean;
}

async function shopHtml(code: string, headers: Record<string, string> = {}) {
  const res = await workerFetch(`${BASE}/s/${code}`, { headers });
  return { status: res.status, html: await res.text(), rowsRead: Number(res.headers.get('x-d1-rows-read')) };
}

function island(html: string): { products: Card[]; categories: string[] } {
  const match = html.match(/<script type="application\/json" id="shop-data">([\s\S]*?)<\/script>/);
  return JSON.parse(match?.[1] ?? 'null');
}

function cardOf(html: string, id: string): string {
  const start = html.indexOf(`<li class="pcard`, html.indexOf(`id="shop-products"`));
  const cards = html.slice(start).split('</li>');
  return cards.find((c) => c.includes(`id=${id}&amp;`)) ?? '';
}

async function newProduct(name: string, category?: string) {
  const res = await api<{ id: string; category: string }>('/api/products', {
    token: await admin(),
    body: {
      sku: `SHELF-${crypto.randomUUID().slice(0, 8)}`,
      name,
      retailFen: 29_900,
      prices: Object.fromEntries(PRICES.map((p, i) => [String(i + 1), p])),
      onSale: true,
      ...(category === undefined ? {} : { category }),
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.category).toBe(category ?? '');
  return res.body.id;
}

let agent: TestAgent;
const ids: Record<string, string> = {};
beforeAll(async () => {
  await seedBrand();
  agent = await createAgent(3, undefined, '郑小店');
  ids.serum = await newProduct('焕颜精华液', '护肤');
  ids.cream = await newProduct('修护面霜', '护肤');
  ids.lipstick = await newProduct('丝绒口红', '彩妆');
  ids.plain = await newProduct('旅行收纳袋');
  await setStock(agent.id, ids.serum, 5);
  await setStock(agent.id, ids.lipstick, 1);
});

describe('sold out in the cloud model', () => {
  it('a product the agent holds none of is marked 售罄 and has no cart button; held ones can be added', async () => {
    await setModel('cloud');
    const { html } = await shopHtml(agent.code);
    const cream = cardOf(html, ids.cream ?? '');
    expect(cream).toContain('class="pcard soldout"');
    expect(cream).toContain('售罄');
    expect(cream).not.toContain('data-add');
    const serum = cardOf(html, ids.serum ?? '');
    expect(serum).toContain(`data-add="${ids.serum}"`);
    expect(serum).not.toContain('售罄');
    const byId = new Map(island(html).products.map((p) => [p.id, p]));
    expect(byId.get(ids.cream ?? '')?.soldOut).toBe(true);
    expect(byId.get(ids.plain ?? '')?.soldOut).toBe(true);
    expect(byId.get(ids.serum ?? '')?.soldOut).toBe(false);
    // A stock count is never shown to the consumer.
    expect(JSON.stringify(island(html))).not.toMatch(/qty|stock/i);
  });

  it('in the direct model nothing is sold out at the shop (the brand ships)', async () => {
    // The stock model only changes while no agent holds cloud stock: the agent's units go back for the switch.
    await setStock(agent.id, ids.serum ?? '', 0);
    await setStock(agent.id, ids.lipstick ?? '', 0);
    await setModel('direct');
    const { html } = await shopHtml(agent.code);
    expect(island(html).products.every((p) => !p.soldOut)).toBe(true);
    expect(html).not.toContain('class="psold"');
    await setModel('cloud');
    await setStock(agent.id, ids.serum ?? '', 5);
    await setStock(agent.id, ids.lipstick ?? '', 1);
  });

  it('the shop link reads a bounded number of rows however many products exist', async () => {
    const before = (await shopHtml(agent.code)).rowsRead;
    for (let i = 0; i < 25; i++) await newProduct(`批量商品 ${i}`, '护肤');
    await shopHtml(agent.code); // the category copy is read again once after a product change
    const after = (await shopHtml(agent.code)).rowsRead;
    expect(before).toBeGreaterThan(0);
    // Each product shown brings its stock row and its price row for the agent's level, whatever the catalogue holds.
    expect(after).toBeLessThanOrEqual(before + 2 * 25);
    expect(after).toBeLessThan(120);
  });
});

describe('categories and search', () => {
  it('the shop page offers the brand’s categories as chips, and each card carries its category', async () => {
    const { html } = await shopHtml(agent.code);
    expect(island(html).categories).toEqual(['彩妆', '护肤']);
    expect(html).toMatch(/<button type="button" class="chip" data-cat="" aria-pressed="true">全部<\/button>/);
    expect(html).toContain('data-cat="彩妆" aria-pressed="false">彩妆</button>');
    expect(cardOf(html, ids.lipstick ?? '')).toContain('data-cat="彩妆" data-name="丝绒口红"');
  });

  it('GET /api/shops/{code}/products filters by category and by words in the name, with sold-out marks', async () => {
    const cat = await api<{ items: Card[]; nextCursor: string | null }>(
      `/api/shops/${agent.code}/products?category=${encodeURIComponent('彩妆')}`,
    );
    expect(cat.status).toBe(200);
    expect(cat.body.items.map((p) => p.name)).toEqual(['丝绒口红']);
    expect(cat.body.items[0]?.soldOut).toBe(false);

    const search = await api<{ items: Card[] }>(`/api/shops/${agent.code}/products?q=${encodeURIComponent('面霜')}`);
    expect(search.body.items.map((p) => [p.name, p.soldOut])).toEqual([['修护面霜', true]]);
    // The shopper's % is a plain character, not a wildcard.
    const wild = await api<{ items: Card[] }>(`/api/shops/${agent.code}/products?q=%25`);
    expect(wild.body.items).toEqual([]);
  });

  it('pages through a category by cursor', async () => {
    const first = await api<{ items: Card[]; nextCursor: string | null }>(
      `/api/shops/${agent.code}/products?category=${encodeURIComponent('护肤')}&limit=10`,
    );
    expect(first.body.items).toHaveLength(10);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await api<{ items: Card[]; nextCursor: string | null }>(
      `/api/shops/${agent.code}/products?category=${encodeURIComponent('护肤')}&limit=10&cursor=${first.body.nextCursor}`,
    );
    const all = [...first.body.items, ...second.body.items];
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    expect(all.every((p) => p.category === '护肤')).toBe(true);
  });

  it('answers 404 for an unknown shop, 409 for a closed one and 400 for a malformed code', async () => {
    expectError(await api('/api/shops/zzzzzzzz/products'), 404, 'NOT_FOUND');
    expectError(await api('/api/shops/NOT-A-CODE/products'), 400, 'VALIDATION_FAILED', 'code');
    const gone = await createAgent(6, undefined, '钱关店');
    await api(`/api/agents/${gone.id}/revoke`, { token: await admin(), body: { reason: '违规' } });
    expectError(await api(`/api/shops/${gone.code}/products`), 409, 'SHOP_CLOSED');
  });

  it('the brand sets a category in the product form API; a too-long one is refused and nothing changes', async () => {
    const token = await admin();
    const patched = await api<{ category: string }>(`/api/products/${ids.plain}`, {
      method: 'PATCH',
      token,
      body: { category: '配件' },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.category).toBe('配件');
    expectError(
      await api(`/api/products/${ids.plain}`, { method: 'PATCH', token, body: { category: '长'.repeat(21) } }),
      400,
      'VALIDATION_FAILED',
      'category',
    );
    const row = await env.DB.prepare('SELECT category FROM products WHERE id = ?')
      .bind(ids.plain)
      .first<{ category: string }>();
    expect(row?.category).toBe('配件');
    expect(island((await shopHtml(agent.code)).html).categories).toEqual(['彩妆', '护肤', '配件']);
  });

  it('the page filter matches words in the name and the category (pure)', () => {
    const p = { name: 'Velvet 口红', category: '彩妆' };
    expect(isActive(noFilter)).toBe(false);
    expect(matches(p, noFilter)).toBe(true);
    expect(matches(p, { q: ' velvet ', cat: '' })).toBe(true);
    expect(matches(p, { q: '口红', cat: '护肤' })).toBe(false);
    expect(matches(p, { q: '面霜', cat: '' })).toBe(false);
  });
});

describe('closed and member wording', () => {
  it('a revoked agent’s shop says it is closed, not paused', async () => {
    const gone = await createAgent(6, undefined, '孙撤销');
    const res = await api(`/api/agents/${gone.id}/revoke`, { token: await admin(), body: { reason: '违规' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { html } = await shopHtml(gone.code);
    expect(html).toContain('该店铺已关闭');
    expect(html).not.toContain('暂停营业');
  });

  it('a signed-in member is not offered 注册会员; a visitor is', async () => {
    expect((await shopHtml(agent.code)).html).toContain('id="shop-signup"');
    const member = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '冯会员', password: PASSWORD, ref: agent.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(member.status, JSON.stringify(member.body)).toBe(201);
    const { html } = await shopHtml(agent.code, { cookie: `agentry_sid=${sessionToken(member)}` });
    expect(html).not.toContain('id="shop-signup"');
    expect(html).not.toContain('注册会员');
  });
});
