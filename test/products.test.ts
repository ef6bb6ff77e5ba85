import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  api,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  type Res,
  sessionToken,
  snapshot,
  type TestAgent,
  uniquePhone,
  withSmsCode,
} from './helpers';

interface Product {
  id: string;
  sku: string;
  name: string;
  retailFen: number;
  onSale: boolean;
  prices?: Record<string, number>;
  myPriceFen?: number | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

// Distinctive amounts, so a response can be searched for a price it must not hold.
const LEVEL_FEN = [15_901, 16_902, 18_403, 20_404, 22_905, 25_906, 27_907, 28_908, 29_409];
const RETAIL_FEN = 29_999;

let brand: string;
let levelNames: Map<number, string>;
let top: number;

beforeAll(async () => {
  brand = await admin();
  ({ levelNames, top } = await levelTable());
});

// Another test may rename the levels, so names come from the API, not from the seed.
async function levelTable() {
  const res = await api<{ levels: { rank: number; name: string }[] }>('/api/brand');
  return { levelNames: new Map(res.body.levels.map((l) => [l.rank, l.name])), top: res.body.levels.length };
}

function fullTable(): Record<string, number> {
  return Object.fromEntries(LEVEL_FEN.slice(0, top).map((fen, i) => [String(i + 1), fen]));
}

let skuCounter = 0;
function newProduct(overrides: Record<string, unknown> = {}) {
  skuCounter++;
  return {
    sku: `SKU-${Date.now().toString(36)}-${skuCounter}`,
    name: '玻尿酸精华液',
    description: '30ml',
    images: ['https://cdn.example.com/p1.jpg', '/images/p1.jpg'],
    retailFen: RETAIL_FEN,
    prices: fullTable(),
    onSale: true,
    ...overrides,
  };
}

async function createProduct(overrides: Record<string, unknown> = {}): Promise<Product> {
  const res = await api<Product>('/api/products', { body: newProduct(overrides), token: brand });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function signUpMember(agent: TestAgent): Promise<string> {
  const res = await api('/api/members', {
    body: await withSmsCode({ phone: uniquePhone(), name: '会员乙', password: PASSWORD, ref: agent.code }),
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return sessionToken(res);
}

function expectPriceError(res: Res<unknown>, field: string, level: number) {
  expectError(res, 400, 'PRICE_INVALID', field);
  expect((res.body as ErrorBody).error.message).toContain(levelNames.get(level));
}

describe('POST /api/products', () => {
  it('creates a product with a price for every level and answers it with all prices', async () => {
    const created = await createProduct();
    expect(created).toMatchObject({ name: '玻尿酸精华液', retailFen: RETAIL_FEN, onSale: true, prices: fullTable() });
    expect(created.id).toMatch(/^prd_[0-9a-z]{26}$/);
    const read = await api<Product>(`/api/products/${created.id}`, { token: brand });
    expect(read.body).toEqual(created);
    const log = await api<{ items: { action: string }[] }>(`/api/audit?targetId=${created.id}`, { token: brand });
    expect(log.body.items.map((e) => e.action)).toEqual(['product.create']);
  });

  it('refuses each kind of broken price table, naming the level, and writes nothing', async () => {
    const before = await snapshot();
    const { [String(top)]: _last, ...missingLast } = fullTable();
    const cases: { prices?: Record<string, number>; retailFen?: number; field: string; level: number }[] = [
      { prices: missingLast, field: `prices.${top}`, level: top },
      { prices: { ...fullTable(), '2': 0 }, field: 'prices.2', level: 2 },
      { prices: { ...fullTable(), '1': -100 }, field: 'prices.1', level: 1 },
      { prices: { ...fullTable(), '3': 18_403.5 }, field: 'prices.3', level: 3 },
      // A lower level may not buy for less than the level above it.
      { prices: { ...fullTable(), '4': LEVEL_FEN[1] as number }, field: 'prices.4', level: 4 },
      { prices: fullTable(), retailFen: (LEVEL_FEN[top - 1] as number) - 1, field: `prices.${top}`, level: top },
      // Below even the highest level's price: the retail price is what is wrong.
      { prices: fullTable(), retailFen: (LEVEL_FEN[0] as number) - 1, field: 'retailFen', level: top },
    ];
    for (const c of cases) {
      const res = await api('/api/products', {
        body: newProduct({
          ...(c.prices ? { prices: c.prices } : {}),
          ...(c.retailFen ? { retailFen: c.retailFen } : {}),
        }),
        token: brand,
      });
      expectPriceError(res, c.field, c.level);
    }
    expectError(
      await api('/api/products', { body: newProduct({ retailFen: 0 }), token: brand }),
      400,
      'PRICE_INVALID',
      'retailFen',
    );
    const english = await api<ErrorBody>('/api/products', {
      body: newProduct({ prices: { ...fullTable(), '2': 0 } }),
      token: brand,
      headers: { 'accept-language': 'en' },
    });
    expect(english.body.error.message).toBe(`The price of level 2 (${levelNames.get(2)}) must be greater than zero.`);
    if (top < 9) {
      const extra = await api('/api/products', {
        body: newProduct({ prices: { ...fullTable(), [String(top + 1)]: RETAIL_FEN } }),
        token: brand,
      });
      expectError(extra, 400, 'UNKNOWN_LEVEL', `prices.${top + 1}`);
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses a duplicate SKU and writes nothing', async () => {
    const first = await createProduct();
    const before = await snapshot();
    expectError(
      await api('/api/products', { body: newProduct({ sku: first.sku }), token: brand }),
      409,
      'DUPLICATE_SKU',
      'sku',
    );
    expect(await snapshot()).toBe(before);
  });

  it('refuses malformed fields and writes nothing', async () => {
    const before = await snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [{ sku: 'has space' }, 'sku'],
      [{ sku: 'x'.repeat(41) }, 'sku'],
      [{ name: '   ' }, 'name'],
      [{ name: '长'.repeat(61) }, 'name'],
      [{ description: 'x'.repeat(2001) }, 'description'],
      [{ images: ['http://cdn.example.com/a.jpg'] }, 'images.0'],
      [{ images: ['javascript:alert(1)'] }, 'images.0'],
      [{ images: ['//evil.example.com/a.jpg'] }, 'images.0'],
      [{ images: [`https://cdn.example.com/${'a'.repeat(500)}`] }, 'images.0'],
      [{ images: Array.from({ length: 10 }, (_, i) => `/images/${i}.jpg`) }, 'images'],
      [{ prices: { a: 100 } }, 'prices.a'],
      [{ stock: 5 }, ''],
    ];
    for (const [patch, field] of cases) {
      const res = await api<ErrorBody>('/api/products', { body: newProduct(patch), token: brand });
      expectError(res, 400, 'VALIDATION_FAILED');
      if (field) expect(res.body.error.field, JSON.stringify(patch).slice(0, 60)).toBe(field);
    }
    expect(await snapshot()).toBe(before);
  });

  it('is for the brand only: agents and members are refused, the anonymous asked to sign in', async () => {
    const agent = await createAgent(1);
    const member = await signUpMember(agent);
    const before = await snapshot();
    for (const body of [newProduct(), { sku: 1 }]) {
      expectError(await api('/api/products', { body, token: agent.token }), 403, 'FORBIDDEN');
      expectError(await api('/api/products', { body, token: member }), 403, 'FORBIDDEN');
      expectError(await api('/api/products', { body }), 401, 'UNAUTHENTICATED');
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('PATCH /api/products/{id}', () => {
  it('changes fields and replaces the price table whole, with an audit entry', async () => {
    const product = await createProduct();
    const renamed = await api<Product>(`/api/products/${product.id}`, {
      method: 'PATCH',
      body: { name: '玻尿酸精华液（新版）', onSale: false },
      token: brand,
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ name: '玻尿酸精华液（新版）', onSale: false, prices: fullTable() });
    const raised = Object.fromEntries(Object.entries(fullTable()).map(([rank, fen]) => [rank, fen + 1000]));
    const repriced = await api<Product>(`/api/products/${product.id}`, {
      method: 'PATCH',
      body: { prices: raised, retailFen: RETAIL_FEN + 1000 },
      token: brand,
    });
    expect(repriced.body).toMatchObject({ retailFen: RETAIL_FEN + 1000, prices: raised, onSale: false });
    expect((await api<Product>(`/api/products/${product.id}`, { token: brand })).body).toEqual(repriced.body);
    const log = await api<{ items: { action: string }[] }>(`/api/audit?targetId=${product.id}`, { token: brand });
    expect(log.body.items.map((e) => e.action)).toEqual(['product.update', 'product.update', 'product.create']);
  });

  it('keeps the invariant against the stored table and changes nothing when refused', async () => {
    const product = await createProduct();
    const before = await snapshot();
    const lowRetail = await api(`/api/products/${product.id}`, {
      method: 'PATCH',
      body: { retailFen: LEVEL_FEN[0] },
      token: brand,
    });
    // Only the retail price changed: its error is on its own field and names the dearest level it fell below.
    expectPriceError(lowRetail, 'retailFen', top);
    expect((lowRetail.body as unknown as ErrorBody).error.message).toMatch(
      /^零售价低于等级 \d「[^」]+」的价格 ¥[\d.]+：/,
    );
    const { '3': _third, ...incomplete } = fullTable();
    expectPriceError(
      await api(`/api/products/${product.id}`, { method: 'PATCH', body: { prices: incomplete }, token: brand }),
      'prices.3',
      3,
    );
    const inverted = { ...fullTable(), '5': LEVEL_FEN[0] as number };
    expectPriceError(
      await api(`/api/products/${product.id}`, { method: 'PATCH', body: { prices: inverted }, token: brand }),
      'prices.5',
      5,
    );
    expectError(
      await api(`/api/products/${product.id}`, { method: 'PATCH', body: {}, token: brand }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api(`/api/products/${product.id}`, { method: 'PATCH', body: { sku: 'NEW' }, token: brand }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await snapshot()).toBe(before);
  });

  it('answers 404 for an unknown product and is for the brand only', async () => {
    expectError(
      await api('/api/products/prd_01jx0000000000000000000000', {
        method: 'PATCH',
        body: { onSale: true },
        token: brand,
      }),
      404,
      'NOT_FOUND',
    );
    const product = await createProduct();
    const agent = await createAgent(1);
    const member = await signUpMember(agent);
    const before = await snapshot();
    const path = `/api/products/${product.id}`;
    for (const body of [{ retailFen: 1 }, {}]) {
      expectError(await api(path, { method: 'PATCH', body, token: agent.token }), 403, 'FORBIDDEN');
      expectError(await api(path, { method: 'PATCH', body, token: member }), 403, 'FORBIDDEN');
      expectError(await api(path, { method: 'PATCH', body }), 401, 'UNAUTHENTICATED');
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('GET /api/products', () => {
  let onSale: Product;
  let offSale: Product;
  let agent3: TestAgent;
  let member: string;

  beforeAll(async () => {
    onSale = await createProduct();
    offSale = await createProduct({ onSale: false });
    const top1 = await createAgent(1);
    const mid2 = await createAgent(2, top1);
    agent3 = await createAgent(3, mid2);
    member = await signUpMember(agent3);
  });

  async function listAll(token: string | undefined): Promise<Product[]> {
    const out: Product[] = [];
    let cursor: string | null = null;
    do {
      const page: Res<Page<Product>> = await api<Page<Product>>(
        `/api/products?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      out.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return out;
  }

  it('shows the public and members the retail price only, and nothing off sale', async () => {
    for (const token of [undefined, member]) {
      const one = await api<Product>(`/api/products/${onSale.id}`, { token });
      expect(one.status).toBe(200);
      expect(one.body.retailFen).toBe(RETAIL_FEN);
      expect(one.body).not.toHaveProperty('prices');
      expect(one.body).not.toHaveProperty('myPriceFen');
      for (const fen of LEVEL_FEN.slice(0, top)) expect(JSON.stringify(one.body)).not.toContain(String(fen));
      expectError(await api(`/api/products/${offSale.id}`, { token }), 404, 'NOT_FOUND');
      const all = await listAll(token);
      expect(all.map((p) => p.id)).toContain(onSale.id);
      expect(all.map((p) => p.id)).not.toContain(offSale.id);
      expect(all.every((p) => p.onSale && p.prices === undefined)).toBe(true);
    }
  });

  it('shows an agent of level 3 its own and the lower levels’ prices, never a higher level’s', async () => {
    const one = await api<Product>(`/api/products/${onSale.id}`, { token: agent3.token });
    expect(one.status).toBe(200);
    const expected = Object.fromEntries(Object.entries(fullTable()).filter(([rank]) => Number(rank) >= 3));
    expect(one.body.prices).toEqual(expected);
    expect(one.body.myPriceFen).toBe(LEVEL_FEN[2]);
    const json = JSON.stringify(one.body);
    expect(json).not.toContain(String(LEVEL_FEN[0]));
    expect(json).not.toContain(String(LEVEL_FEN[1]));
    expect(json).not.toContain('"1":');
    expect(json).not.toContain('"2":');
    expectError(await api(`/api/products/${offSale.id}`, { token: agent3.token }), 404, 'NOT_FOUND');
    const listed = await listAll(agent3.token);
    expect(listed.map((p) => p.id)).not.toContain(offSale.id);
    const mine = listed.find((p) => p.id === onSale.id);
    expect(mine?.prices).toEqual(expected);
    for (const p of listed) expect(Object.keys(p.prices ?? {}).every((rank) => Number(rank) >= 3)).toBe(true);
  });

  it('shows the brand every product, off sale included, with every price', async () => {
    const all = await listAll(brand);
    expect(all.find((p) => p.id === offSale.id)).toMatchObject({ onSale: false, prices: fullTable() });
    expect(all.find((p) => p.id === onSale.id)).toMatchObject({ onSale: true, prices: fullTable() });
    expect((await api<Product>(`/api/products/${offSale.id}`, { token: brand })).body.prices).toEqual(fullTable());
  });

  it('pages by id with a cursor, one page and its prices in one round trip', async () => {
    for (let i = 0; i < 3; i++) await createProduct();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Res<Page<Product>> = await api<Page<Product>>(
        `/api/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: brand },
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      // The session lookup, then one batch: a page of 3 rows and at most 2 × 9 price rows plus the levels' top.
      expect(Number(page.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);
      expect(Number(page.headers.get('x-d1-rows-read'))).toBeLessThanOrEqual(40);
      seen.push(...page.body.items.map((p) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
  });

  it('answers 404 for an unknown product', async () => {
    expectError(await api('/api/products/prd_01jx0000000000000000000000'), 404, 'NOT_FOUND');
  });
});
