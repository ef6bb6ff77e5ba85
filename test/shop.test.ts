import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../db/ids';
import { addLine, countOf, MAX_LINES, MAX_QTY, removeLine, setQty, totalOf } from '../site/src/features/shop/cart';
import { formatFen } from '../worker/lib/money';
import {
  admin,
  api,
  BASE,
  createAgent,
  freshIp,
  PASSWORD,
  sessionToken,
  type TestAgent,
  uniquePhone,
  withSmsCode,
  workerFetch,
} from './helpers';
import { PRICES, RETAIL, setModel, setStock } from './order-helpers';

// The shop link is rendered by the Worker from the static template in site/dist (npm test builds the site first).

interface ShopData {
  code: string;
  name: string;
  open: boolean;
  bound: { code: string; name: string } | null;
  products: { id: string; name: string; image: string | null; retailFen: number }[];
  more: boolean;
}

async function page(code: string, headers: Record<string, string> = {}) {
  const res = await workerFetch(`${BASE}/s/${code}`, { headers });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

function island(html: string): ShopData {
  const match = html.match(/<script type="application\/json" id="shop-data">([\s\S]*?)<\/script>/);
  expect(match, 'the #shop-data island').not.toBeNull();
  return JSON.parse(match?.[1] ?? 'null') as ShopData;
}

async function newProduct(name: string, retailFen: number, image: string) {
  const res = await api<{ id: string }>('/api/products', {
    token: await admin(),
    body: {
      sku: `SHOP-${crypto.randomUUID().slice(0, 8)}`,
      name,
      images: [image],
      retailFen,
      prices: Object.fromEntries(PRICES.map((p, i) => [String(i + 1), Math.min(p, retailFen)])),
      onSale: true,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await setStock('brand', res.body.id, 100);
  return res.body.id;
}

async function certificateOf(agent: TestAgent): Promise<string> {
  const row = await env.DB.prepare('SELECT number FROM certificates WHERE agent_id = ?')
    .bind(agent.id)
    .first<{ number: string }>();
  return row?.number ?? '';
}

async function memberBoundTo(agent: TestAgent): Promise<string> {
  const res = await api<{ boundAgent: { id: string } | null }>('/api/members', {
    body: await withSmsCode({ phone: uniquePhone(), name: '李小红', password: PASSWORD, ref: agent.code }),
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.boundAgent?.id).toBe(agent.id);
  return sessionToken(res);
}

let seller: TestAgent;
const catalog: { id: string; name: string; retailFen: number; image: string }[] = [];

beforeAll(async () => {
  await setModel('direct');
  seller = await createAgent(6, undefined, '周晓梅');
  const items = [
    { name: '焕颜修护精华液 30ml', retailFen: RETAIL, image: '/img/products/serum.svg' },
    { name: '玻尿酸补水面膜 10片', retailFen: 12_900, image: '/img/products/mask.svg' },
    { name: '<b>"清透"</b> 防晒 & 隔离', retailFen: 13_900, image: '/img/products/sunscreen.svg' },
  ];
  for (const item of items) catalog.push({ ...item, id: await newProduct(item.name, item.retailFen, item.image) });
});

describe('GET /s/{code}', () => {
  it('renders the agent, the products with their retail prices, Open Graph tags, the certificate link and the data island without JavaScript', async () => {
    const res = await page(seller.code);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const { html } = res;
    expect(html).toContain('<title>周晓梅的小店 · 测试品牌</title>');
    expect(html).toContain('<h1 id="shop-name">周晓梅</h1>');
    expect(html).toContain('天使');
    expect(html).toContain('<meta property="og:title" content="周晓梅的小店 · 测试品牌">');
    expect(html).toContain(`<meta property="og:url" content="${BASE}/s/${seller.code}">`);
    expect(html).toContain(`<meta property="og:image" content="${BASE}/img/products/serum.svg">`);
    expect(html).toMatch(/<meta property="og:description" content="[^"]+">/);
    expect(html).toContain(`href="/c/${await certificateOf(seller)}"`);
    for (const p of catalog.slice(0, 2)) {
      expect(html).toContain(p.name);
      expect(html).toContain(formatFen(p.retailFen));
      expect(html).toContain(`href="/product?id=${p.id}&amp;s=${seller.code}"`);
    }
    expect(html).not.toContain('name="robots"');
    // Level prices are never on the public page.
    expect(html).not.toContain(formatFen(PRICES[5]));

    const data = island(html);
    expect(data).toMatchObject({ code: seller.code, name: '周晓梅', open: true, bound: null });
    expect(data.products.slice(0, 3).map((p) => p.id)).toEqual(catalog.map((p) => p.id));
    expect(data.products[0]).toEqual({
      id: catalog[0]?.id,
      name: catalog[0]?.name,
      image: catalog[0]?.image,
      retailFen: RETAIL,
      category: '',
      soldOut: false,
    });
  });

  it('asks for the first row of pictures first (Link header and head preloads, high priority), the rest lazily', async () => {
    const { headers, html } = await page(seller.code);
    const [first, second, third] = catalog.map((p) => p.image);
    // The header lets Cloudflare send the preloads as 103 Early Hints while the Worker still reads D1.
    expect(headers.get('link')).toBe(
      `<${first}>; rel=preload; as=image; fetchpriority=high, <${second}>; rel=preload; as=image; fetchpriority=high`,
    );
    const head = html.slice(0, html.indexOf('</head>'));
    for (const image of [first, second]) {
      expect(head).toContain(`<link rel="preload" as="image" href="${image}" fetchpriority="high">`);
      expect(html).toContain(`<img src="${image}" alt="" width="200" height="200" fetchpriority="high">`);
    }
    expect(head).not.toContain(`href="${third}"`);
    expect(html).toContain(`<img src="${third}" alt="" width="200" height="200" loading="lazy">`);
    // Nor do the island's modules share the slow link with the first row (site/astro.config.mjs).
    expect(head).not.toContain('rel="modulepreload"');
    expect(html).toMatch(/<astro-island [^>]*component-url="\/_astro\/ShopBar\.[^"]+\.js"/);
  });

  it('escapes names: an agent called <script> and a product with markup stay text', async () => {
    const evil = await createAgent(6, undefined, '<script>alert(1)</script>');
    const { html } = await page(evil.code);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('data-title-en="&lt;script&gt;alert(1)&lt;/script&gt;\'s shop · 测试品牌"');
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;的小店 · 测试品牌</title>');
    expect(html).toContain('content="&lt;script&gt;alert(1)&lt;/script&gt;的小店 · 测试品牌"');
    expect(html).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
    expect(html).not.toContain('<b>"清透"</b>');
    expect(html).toContain('&lt;b&gt;&quot;清透&quot;&lt;/b&gt; 防晒 &amp; 隔离');
    expect(island(html).name).toBe('<script>alert(1)</script>');
  });

  it('a suspended agent’s link shows the closed shop, without products, and attributes no one', async () => {
    const closed = await createAgent(6, undefined, '吴停货');
    const suspend = await api(`/api/agents/${closed.id}/suspend`, { token: await admin(), body: { reason: '乱价' } });
    expect(suspend.status, JSON.stringify(suspend.body)).toBe(200);
    const res = await page(closed.code);
    expect(res.status).toBe(200);
    expect(res.html).toContain('店铺已暂停营业');
    // Masked as the certificate lookup masks it, never the full name.
    expect(res.html).toContain('吴*货');
    expect(res.html).not.toContain('吴停货');
    expect(res.html).toContain('查看授权状态');
    expect(res.html).not.toContain('已授权');
    expect(res.html).not.toContain('id="shop-products"');
    for (const p of catalog) expect(res.html).not.toContain(p.name);
    expect(res.headers.get('set-cookie') ?? '').not.toContain('agentry_ref');
    expect(island(res.html)).toMatchObject({ open: false, products: [] });
  });

  it('a revoked agent’s shop shows only the masked name in the title, the Open Graph tags and the body', async () => {
    const gone = await createAgent(6, undefined, '郑秀文');
    const revoke = await api(`/api/agents/${gone.id}/revoke`, { token: await admin(), body: { reason: '串货' } });
    expect(revoke.status, JSON.stringify(revoke.body)).toBe(200);
    const res = await page(gone.code);
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('郑秀文');
    expect(res.html).not.toContain('秀文');
    expect(res.html).toContain('<title>郑*文的小店 · 测试品牌</title>');
    expect(res.html).toContain('<meta property="og:title" content="郑*文的小店 · 测试品牌">');
    expect(res.html).toContain('<meta property="og:description" content="郑*文 的小店已关闭。">');
    expect(res.html).toContain('data-title-en="郑*文\'s shop · 测试品牌"');
    expect(island(res.html)).toMatchObject({ name: '郑*文', open: false, products: [] });
  });

  it('an unknown or malformed code is a 404 page', async () => {
    for (const code of ['zzzzzzzz', 'not-a-code', '%3Cscript%3E']) {
      const res = await page(code);
      expect(res.status, code).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.html).toContain('页面不存在');
    }
  });

  it('sets no cookie on the page a shared cache may keep: the page’s own script attributes the visitor', async () => {
    const res = await page(seller.code);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('vary')).toBe('Cookie');
  });

  it('is served with one D1 round trip (two while the brand info is cold) and bounded rows, showing the first 20 products', async () => {
    for (let i = 0; i < 20; i++) await newProduct(`批量商品 ${i + 1}`, 9_900, '/img/products/mask.svg');
    const cold = await page(seller.code);
    expect(Number(cold.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);
    // Warm (the brand info and category list are per-isolate copies): 21 products, one stock row each for the
    // cloud model's sold-out mark, the agent, its certificate.
    const res = await page(seller.code);
    expect(Number(res.headers.get('x-d1-round-trips'))).toBe(1);
    // 21 products, each with its price row for the agent's level (an unpriced product is not shown) and its stock row
    // for the sold-out mark, and the agent.
    expect(Number(res.headers.get('x-d1-rows-read'))).toBeLessThanOrEqual(70);
    const data = island(res.html);
    expect(data.products).toHaveLength(20);
    expect(data.more).toBe(true);
    expect(res.html.match(/class="pcard"/g)).toHaveLength(20);
  });

  it('tells a member bound to another agent who serves the order, and is not cached publicly', async () => {
    const own = await createAgent(5, undefined, '郑专属');
    const token = await memberBoundTo(own);
    const res = await page(seller.code, { cookie: `agentry_sid=${token}` });
    expect(res.status).toBe(200);
    expect(res.html).toContain('您的专属顾问是 郑专属，本单将由 郑专属 服务');
    expect(island(res.html).bound).toEqual({ code: own.code, name: '郑专属' });
    expect(res.headers.get('cache-control')).toBe('private, max-age=0');
    expect(Number(res.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);

    // In the bound agent's own shop there is nothing to tell; a stale session is a guest.
    expect((await page(own.code, { cookie: `agentry_sid=${token}` })).html).not.toContain('您的专属顾问是');
    const stale = await page(seller.code, { cookie: 'agentry_sid=not-a-session' });
    expect(stale.html).not.toContain('您的专属顾问是');
    expect(island(stale.html).bound).toBeNull();
  });

  it('the checkout of a bound member credits its own agent, whichever shop it ordered from', async () => {
    const own = await createAgent(6, undefined, '冯顾问');
    const token = await memberBoundTo(own);
    const productId = catalog[1]?.id ?? '';
    const res = await api<{ agentId: string; amountFen: number }>('/api/orders', {
      token,
      body: {
        kind: 'consumer',
        shopCode: seller.code,
        lines: [{ productId, qty: 2 }],
        paymentMethod: 'offline',
        shipping: { name: '李小红', phone: '13700001111', address: '浙江省杭州市西湖区文三路 100 号' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.agentId).toBe(own.id);
    expect(res.body.amountFen).toBe(2 * 12_900);
  });
});

describe('GET /s/{code} under the rebind policy', () => {
  async function setPolicy(bindingPolicy: 'permanent' | 'rebind') {
    const res = await api('/api/brand/settings', {
      method: 'PATCH',
      token: await admin(),
      body: { bindingPolicy, rebindDays: 30 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  it('tells a member bound elsewhere from when an order here would move it, then that it will', async () => {
    await setPolicy('rebind');
    try {
      const own = await createAgent(5, undefined, '韩原顾问');
      const token = await memberBoundTo(own);
      const before = await page(seller.code, { cookie: `agentry_sid=${token}` });
      expect(before.html).toMatch(
        /您的专属顾问是 韩原顾问，本单将由 韩原顾问 服务；若到 \d{4}年\d{1,2}月\d{1,2}日 仍未下单/,
      );
      expect(before.html).toContain('此后在本店下单将改由 周晓梅 服务');
      expect(island(before.html).bound).toEqual({ code: own.code, name: '韩原顾问' });

      const long = Date.now() - 31 * 86_400_000;
      await env.DB.prepare(
        'UPDATE members SET bound_at = ?, last_order_at = ? WHERE id = (SELECT subject_id FROM sessions WHERE id = ?)',
      )
        .bind(long, long, await sha256Hex(token))
        .run();
      const after = await page(seller.code, { cookie: `agentry_sid=${token}` });
      expect(after.html).toContain('在本店下单后，您的专属顾问将改为 周晓梅');
      expect(after.html).not.toContain('本单将由 韩原顾问 服务');
      expect(island(after.html).bound).toBeNull();
    } finally {
      await setPolicy('permanent');
    }
  });
});

describe('GET /s/demo', () => {
  it('redirects to the shop of an active agent, the home page’s demo link', async () => {
    const res = await workerFetch(`${BASE}/s/demo`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const code = res.headers.get('location')?.match(/^\/s\/([0-9a-z]{8})$/)?.[1];
    expect(code).toBeTruthy();
    const agent = await env.DB.prepare('SELECT status FROM agents WHERE code = ?')
      .bind(code ?? '')
      .first<{ status: string }>();
    expect(agent?.status).toBe('active');
    expect((await page(code ?? '')).status).toBe(200);
  });
});

describe('the cart (site/src/features/shop/cart.ts)', () => {
  const serum = { id: 'prd_a', name: '精华液', image: null, retailFen: 29_900 };
  const mask = { id: 'prd_b', name: '面膜', image: null, retailFen: 12_900 };

  it('adds a product once and raises its quantity on a second add', () => {
    const lines = addLine(addLine(addLine([], serum), mask, 2), serum, 3);
    expect(lines.map((l) => [l.id, l.qty])).toEqual([
      ['prd_a', 4],
      ['prd_b', 2],
    ]);
    expect(countOf(lines)).toBe(6);
    expect(totalOf(lines)).toBe(4 * 29_900 + 2 * 12_900);
  });

  it('keeps quantities between 1 and the maximum, and at most 20 products', () => {
    let lines = setQty(addLine([], serum), 'prd_a', 0);
    expect(lines[0]?.qty).toBe(1);
    lines = setQty(lines, 'prd_a', MAX_QTY + 50);
    expect(lines[0]?.qty).toBe(MAX_QTY);
    expect(addLine(lines, serum, 5)[0]?.qty).toBe(MAX_QTY);
    let full: ReturnType<typeof addLine> = [];
    for (let i = 0; i < MAX_LINES + 3; i++) full = addLine(full, { ...mask, id: `prd_${i}` });
    expect(full).toHaveLength(MAX_LINES);
    expect(removeLine(full, 'prd_0')).toHaveLength(MAX_LINES - 1);
  });
});
