import { beforeAll, describe, expect, it } from 'vitest';
import { admin, api, BASE, createAgent, expectError, seedBrand, type TestAgent, workerFetch } from './helpers';

// Consumer pages wear the brand, never the platform (issue 15 item 7): the Worker writes the brand's name, logo and
// theme into the shop page and every static consumer page (worker/lib/brandFace.ts). Needs site/dist (npm test builds).

const CONSUMER = [
  '/product?id=x',
  '/cart',
  '/checkout',
  '/order',
  '/orders',
  '/addresses',
  '/signup',
  '/verify',
  '/report',
  '/v',
];

async function html(path: string) {
  const res = await workerFetch(`${BASE}${path}`);
  return { status: res.status, text: await res.text() };
}

const titleOf = (page: string) => page.match(/<title>([^<]*)<\/title>/)?.[1] ?? '';

function expectBrandOnly(page: string, brandName: string) {
  expect(page).not.toContain('Agentry');
  expect(page).not.toContain('代理云');
  // No link to the platform's home page or its API docs.
  expect(page).not.toMatch(/href="\/"/);
  expect(page).not.toContain('/api/docs');
  expect(page).toContain(`<span class="brand-name">${brandName}</span>`);
}

let agent: TestAgent;
beforeAll(async () => {
  await seedBrand();
  agent = await createAgent(2, undefined, '周店长');
});

describe('consumer pages wear the brand', () => {
  it('the shop page has the brand in its title and header and never the platform name', async () => {
    const { status, text } = await html(`/s/${agent.code}`);
    expect(status).toBe(200);
    expect(titleOf(text)).toBe('周店长的小店 · 测试品牌');
    expectBrandOnly(text, '测试品牌');
    expect(text).toContain(`data-shop="${agent.code}"`);
    expect(text).toMatch(new RegExp(`id="brand-home"[^>]*href="/s/${agent.code}"`));
  });

  for (const path of [...CONSUMER, '/c/ABC123', '/v/0123456789ABCDEF']) {
    it(`${path} is titled with the brand, not Agentry`, async () => {
      const { status, text } = await html(path);
      expect(status).toBe(200);
      expect(titleOf(text)).toMatch(/ · 测试品牌$/);
      expectBrandOnly(text, '测试品牌');
    });
  }

  it('the brand console keeps the platform name (it is not a consumer page)', async () => {
    const { text } = await html('/admin');
    expect(titleOf(text)).toContain('Agentry');
  });
});

describe('PATCH /api/brand/settings logoUrl and theme', () => {
  it('a logo and a theme set by the brand show on the shop and the consumer pages', async () => {
    const token = await admin();
    const res = await api<{ logoUrl: string; theme: string }>('/api/brand/settings', {
      method: 'PATCH',
      token,
      body: { logoUrl: '/images/brand-logo.png', theme: 'red' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ logoUrl: '/images/brand-logo.png', theme: 'red' });
    const pub = await api<{ logoUrl: string; theme: string }>('/api/brand');
    expect(pub.body).toMatchObject({ logoUrl: '/images/brand-logo.png', theme: 'red' });

    for (const path of [`/s/${agent.code}`, '/cart']) {
      const { text } = await html(path);
      expect(text).toMatch(/<html[^>]*data-theme="red"/);
      expect(text).toContain('<meta name="theme-color" content="#b3261e"');
      expect(text).toMatch(/<img class="brand-logo" alt="" width="28" height="28" src="\/images\/brand-logo.png"/);
    }

    const back = await api('/api/brand/settings', { method: 'PATCH', token, body: { logoUrl: '', theme: 'teal' } });
    expect(back.status).toBe(200);
    const { text } = await html('/cart');
    expect(text).not.toMatch(/<html[^>]*data-theme=/);
    expect(text).not.toContain('<img class="brand-logo"');
  });

  it('refuses a logo that is not https or a site path, and an unknown theme, changing nothing', async () => {
    const token = await admin();
    for (const logoUrl of ['javascript:alert(1)', 'http://example.com/a.png', '//evil.example/a.png']) {
      const res = await api('/api/brand/settings', { method: 'PATCH', token, body: { logoUrl } });
      expectError(res, 400, 'VALIDATION_FAILED', 'logoUrl');
    }
    expectError(
      await api('/api/brand/settings', { method: 'PATCH', token, body: { theme: 'neon' } }),
      400,
      'VALIDATION_FAILED',
      'theme',
    );
    const after = await api<{ logoUrl: string; theme: string }>('/api/brand');
    expect(after.body).toMatchObject({ logoUrl: '', theme: 'teal' });
  });
});
