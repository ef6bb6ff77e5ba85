import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  admin,
  api,
  BASE,
  createAgent,
  expectError,
  freshIp,
  login,
  PASSWORD,
  sessionToken,
  smsCode,
  uniquePhone,
  withSmsCode,
  workerFetch,
} from './helpers';

describe('POST /api/auth/login', () => {
  it('sets an HttpOnly session cookie that authenticates later requests, and logout ends it', async () => {
    const agent = await createAgent(5);
    const res = await workerFetch(`${BASE}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': freshIp() },
      body: JSON.stringify({ role: 'agent', account: agent.phone, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/agentry_sid=[^;]+/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const sid = cookie.split(';')[0] ?? '';
    const me = await api<{ role: string; id: string }>('/api/auth/me', { headers: { cookie: sid } });
    expect(me.body).toMatchObject({ role: 'agent', id: agent.id });
    expect((await api('/api/auth/logout', { method: 'POST', headers: { cookie: sid } })).status).toBe(200);
    expectError(await api('/api/auth/me', { headers: { cookie: sid } }), 401, 'UNAUTHENTICATED');
  });

  it('refuses a wrong password or unknown account with the same answer', async () => {
    const agent = await createAgent(5);
    const wrong = await api('/api/auth/login', {
      body: { role: 'agent', account: agent.phone, password: 'nope-nope' },
    });
    const unknown = await api('/api/auth/login', {
      body: { role: 'agent', account: uniquePhone(), password: PASSWORD },
    });
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    expectError(unknown, 401, 'INVALID_CREDENTIALS');
    expect(JSON.stringify((wrong.body as { error: object }).error).replace(/"requestId":"[^"]+"/, '')).toBe(
      JSON.stringify((unknown.body as { error: object }).error).replace(/"requestId":"[^"]+"/, ''),
    );
    // The role matters: an agent's phone is no member account.
    expectError(
      await api('/api/auth/login', { body: { role: 'member', account: agent.phone, password: PASSWORD } }),
      401,
      'INVALID_CREDENTIALS',
    );
  });

  it('speaks English when asked', async () => {
    const res = await api('/api/auth/login', {
      body: { role: 'agent', account: uniquePhone(), password: PASSWORD },
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect((res.body as { error: { message: string } }).error.message).toBe('Wrong account or password');
  });
});

describe('GET /api/auth/session', () => {
  it('answers a guest 200 with no role (its browser logs no 401), and a signed-in caller with its role', async () => {
    const guest = await api<{ role: string | null }>('/api/auth/session');
    expect(guest.status).toBe(200);
    expect(guest.body).toEqual({ role: null });
    const agent = await createAgent(5);
    expect((await api('/api/auth/session', { token: agent.token })).body).toEqual({ role: 'agent' });
    expect((await api('/api/auth/session', { token: 'not-a-session' })).body).toEqual({ role: null });
  });
});

describe('POST /api/auth/password', () => {
  it('changes the password, signs out other sessions and keeps this one', async () => {
    const agent = await createAgent(6);
    const other = await login('agent', agent.phone);
    const res = await api('/api/auth/password', {
      body: { currentPassword: PASSWORD, newPassword: 'new-secret-1' },
      token: agent.token,
    });
    expect(res.status).toBe(200);
    expect((await api('/api/auth/me', { token: agent.token })).status).toBe(200);
    expectError(await api('/api/auth/me', { token: other }), 401, 'UNAUTHENTICATED');
    expect(await login('agent', agent.phone, 'new-secret-1')).toBeTruthy();
    expectError(
      await api('/api/auth/password', {
        body: { currentPassword: 'bad-password', newPassword: 'x1234567' },
        token: agent.token,
      }),
      401,
      'INVALID_CREDENTIALS',
      'currentPassword',
    );
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request from another site even with a valid session cookie', async () => {
    const agent = await createAgent(6);
    const headers = { cookie: `agentry_sid=${agent.token}`, origin: 'https://evil.example' };
    expectError(await api('/api/auth/logout', { method: 'POST', headers }), 403, 'CSRF_REJECTED');
    expectError(
      await api('/api/auth/password', {
        body: { currentPassword: PASSWORD, newPassword: 'hijacked-1' },
        headers: { cookie: `agentry_sid=${agent.token}`, 'sec-fetch-site': 'cross-site' },
      }),
      403,
      'CSRF_REJECTED',
    );
    // Same origin passes.
    const ok = await api('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: `agentry_sid=${agent.token}`, origin: BASE },
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a form-encoded body', async () => {
    const res = await workerFetch(`${BASE}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'role=agent&account=1&password=2',
    });
    expect(res.status).toBe(415);
  });
});

describe('members', () => {
  it('a visitor who signs up through an agent’s link is bound to that agent', async () => {
    const agent = await createAgent(6);
    const phone = uniquePhone();
    const res = await api<{ boundAgent: { id: string } }>('/api/members', {
      body: await withSmsCode({ phone, name: '王小二', password: PASSWORD, ref: agent.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.boundAgent.id).toBe(agent.id);
    const me = await api<{ boundAgent: { id: string } }>('/api/members/me', { token: sessionToken(res) });
    expect(me.body.boundAgent.id).toBe(agent.id);
    const token = await login('member', phone);
    expect((await api<{ role: string }>('/api/auth/me', { token })).body.role).toBe('member');
    expectError(
      await api('/api/members', {
        // The owner, with a new code, learns the phone is taken.
        body: { phone, name: '重复', password: PASSWORD, smsCode: await smsCode(phone, 'signup', true) },
        headers: { 'cf-connecting-ip': freshIp() },
      }),
      409,
      'DUPLICATE_PHONE',
      'phone',
    );
    // A member is no agent and no brand.
    expectError(await api('/api/agents/me', { token }), 403, 'FORBIDDEN');
    expectError(await api('/api/brand/settings', { token }), 403, 'FORBIDDEN');
  });

  it('the brand admin signs in with a username', async () => {
    const token = await admin();
    expect((await api<{ role: string }>('/api/auth/me', { token })).body.role).toBe('admin');
  });
});

describe('password hashing', () => {
  it('hashes with 100,000 PBKDF2 rounds unless the test runs lower it, and a hash verifies with its own count', async () => {
    const { hashPassword, iterationsFor, verifyPassword } = await import('../worker/lib/password');
    expect(iterationsFor({})).toBe(100_000);
    for (const wrong of ['10', '999', '100001', 'x', ''])
      expect(iterationsFor({ TEST_PASSWORD_ITERATIONS: wrong })).toBe(100_000);
    const full = await hashPassword('secret-1');
    expect(full.split('$')[2]).toBe('100000');
    expect(await verifyPassword('secret-1', full)).toBe(true);
    expect(await verifyPassword('secret-2', full)).toBe(false);

    // The suite's own sign-ups take the lowered count through the same route (vitest.config.ts sets 1,000).
    const agent = await createAgent(5);
    const row = await env.DB.prepare('SELECT password_hash AS h FROM agents WHERE id = ?')
      .bind(agent.id)
      .first<{ h: string }>();
    expect(row?.h.split('$')[2]).toBe(env.TEST_PASSWORD_ITERATIONS);
  });
});
