import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../worker/index';
import { api, BASE, createAgent, type ErrorBody, expectError, freshIp, PASSWORD, snapshot } from './helpers';

// Security headers on every answer, JSON bodies only, and what the shop page and the JS-SDK endpoint must not do.

function expectSecurityHeaders(res: { headers: Headers }, what: string) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).not.toContain('unsafe-eval');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
}

describe('security headers', () => {
  it('are on an API answer, an API error and an unknown API route', async () => {
    const health = await api('/api/health');
    expect(health.status).toBe(200);
    expectSecurityHeaders(health, '/api/health');
    expect(health.headers.get('content-security-policy')).toContain("default-src 'none'");
    const unauthenticated = await api('/api/auth/me');
    expectError(unauthenticated, 401, 'UNAUTHENTICATED');
    expectSecurityHeaders(unauthenticated, '/api/auth/me');
    const missing = await api('/api/no-such-route');
    expectError(missing, 404, 'ROUTE_NOT_FOUND');
    expectSecurityHeaders(missing, '/api/no-such-route');
  });

  it('are on pages, the 404 page and a shop page, whose CSP allows the pages’ inline scripts by hash only', async () => {
    const agent = await createAgent(6);
    for (const path of ['/', '/login', '/console', `/s/${agent.code}`, '/c/NOPE', '/no-such-page', '/s/zzzzzzzz']) {
      const res = await api(path);
      expect(res.status, path).toBe(path.includes('no-such') || path === '/s/zzzzzzzz' ? 404 : 200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expectSecurityHeaders(res, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
      expect(scriptSrc, path).toMatch(/'sha256-[A-Za-z0-9+/]+=*'/);
      expect(scriptSrc, path).not.toContain('unsafe-inline');
      expect(scriptSrc, path).toContain('https://res.wx.qq.com');
    }
  });

  it('a page’s scripts are kept a year and not sniffed, without the page-only policy and framing rule', async () => {
    const agent = await createAgent(6);
    const shop = await api(`/s/${agent.code}`);
    // The shop page has no modulepreload links (site/astro.config.mjs): its island names its modules.
    const scripts = [...String(shop.body).matchAll(/(?:component|renderer)-url="(\/_astro\/[^"]+\.js)"/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, path] of scripts) {
      // As the assets router answers them (wrangler.toml: /_astro/ never runs the Worker), with the build's _headers.
      const res = await env.ASSETS.fetch(new Request(`${BASE}${path}`));
      await res.arrayBuffer();
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/javascript/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      // A policy applies to the document it comes with; on each script it was ~1 KB more to send.
      expect(res.headers.get('content-security-policy'), path).toBeNull();
      expect(res.headers.get('x-frame-options'), path).toBeNull();
    }
  });

  it('the API docs page allows its one inline script by hash', async () => {
    const res = await api('/api/docs');
    expect(res.status).toBe(200);
    expectSecurityHeaders(res, '/api/docs');
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
  });
});

describe('cookies and caches', () => {
  it('the shop page a shared cache may keep sets no cookie; an answer that sets one is private, no-store', async () => {
    const agent = await createAgent(6);
    const shop = await api(`/s/${agent.code}`);
    expect(shop.status).toBe(200);
    expect(shop.headers.get('cache-control')).toBe('public, max-age=60');
    expect(shop.headers.get('set-cookie')).toBeNull();
    const login = await api('/api/auth/login', {
      body: { role: 'agent', account: agent.phone, password: PASSWORD },
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(login.headers.get('set-cookie')).toContain('agentry_sid=');
    expect(login.headers.get('cache-control')).toBe('private, no-store');
  });
});

describe('request bodies', () => {
  it('a POST with a body and no Content-Type answers 415 UNSUPPORTED_MEDIA_TYPE JSON and writes nothing', async () => {
    const before = await snapshot();
    for (const path of ['/api/auth/login', '/api/members', '/api/orders', '/api/applications']) {
      const res = await fetchRaw(path, '{}', {});
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
    const en = await fetchRaw('/api/auth/login', '{"role":"agent"}', { 'accept-language': 'en' });
    expect((en.body as ErrorBody).error.message).toBe('The request body must be application/json');
    expectError(
      await fetchRaw('/api/auth/login', '{}', { 'content-type': 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(await snapshot()).toBe(before);
  });
});

// A request exactly as given: bytes, so that not even the text/plain a string body implies is added.
async function fetchRaw(path: string, body: string, headers: Record<string, string>) {
  const bytes = new TextEncoder().encode(body);
  const request = new Request(`${BASE}${path}`, { method: 'POST', body: bytes, headers });
  expect(request.headers.get('content-type')).toBe(headers['content-type'] ?? null);
  const res = await worker.fetch(request as Parameters<typeof worker.fetch>[0], env, createExecutionContext());
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

describe('GET /api/wechat/js-config without WECHAT_MP_DOMAIN', () => {
  it('refuses to sign with 503 WECHAT_DOMAIN_MISSING when the Official Account keys are set', async () => {
    const configured = { ...env, WECHAT_MP_APPID: 'wx1234567890abcdef', WECHAT_MP_SECRET: 'secret' };
    const url = encodeURIComponent('https://evil.example/phish');
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}/api/wechat/js-config?url=${url}`, {
        headers: { 'cf-connecting-ip': freshIp() },
      }) as Parameters<typeof worker.fetch>[0],
      configured,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const body = (await res.json()) as ErrorBody;
    expect(res.status).toBe(503);
    expect(body.error.code).toBe('WECHAT_DOMAIN_MISSING');
    expect(body.error.message).toContain('WECHAT_MP_DOMAIN');
  });
});
