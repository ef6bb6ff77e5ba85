import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../worker/index';
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
  type TestAgent,
  uniquePhone,
} from './helpers';

function requestCode(phone: string, purpose = 'signup', ip = freshIp()) {
  return api('/api/sms/codes', { body: { phone, purpose }, headers: { 'cf-connecting-ip': ip } });
}

function signup(body: Record<string, unknown>) {
  return api<{ id: string; boundAgent: { id: string } | null }>('/api/members', {
    body: { name: '周小青', password: PASSWORD, ...body },
    headers: { 'cf-connecting-ip': freshIp() },
  });
}

async function codeRow(phone: string, purpose: string) {
  return env.DB.prepare('SELECT id, hash, tries, expires_at FROM sms_codes WHERE phone = ? AND purpose = ?')
    .bind(phone, purpose)
    .first<{ id: string; hash: string; tries: number; expires_at: number }>();
}

async function memberCount(phone: string) {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM members WHERE phone = ?')
    .bind(phone)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** A code that is not the one sent. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

// The Worker with other bindings, as production without the simulator or a provider would run.
async function fetchWith(bindings: Record<string, string | undefined>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, init) as Parameters<typeof worker.fetch>[0],
    { ...env, ...bindings },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

// The Worker with a DB that keeps the text of every statement it prepares, so a test can ask SQLite how it runs them.
async function fetchRecording(path: string, init: RequestInit = {}) {
  const sql: string[] = [];
  const DB = new Proxy(env.DB, {
    get(target, key) {
      if (key === 'prepare') {
        return (query: string) => {
          sql.push(query);
          return target.prepare(query);
        };
      }
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, init) as Parameters<typeof worker.fetch>[0],
    { ...env, DB },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { res, sql };
}

// SQLite's plan of one statement the Worker ran (its parameters bound to placeholders: the plan does not use them).
async function planOf(sql: string): Promise<string> {
  const params = Array.from({ length: sql.split('?').length - 1 }, () => '');
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return rows.results.map((r) => r.detail).join('\n');
}

let shop: TestAgent;
beforeAll(async () => {
  await admin();
  shop = await createAgent(6);
});

describe('POST /api/sms/codes', () => {
  it('texts a code the simulator shows, stores only a salted hash, and answers alike for any phone', async () => {
    const member = uniquePhone();
    await signup({ phone: member, smsCode: await smsCode(member) });
    const known = await requestCode(member, 'reset');
    const unknown = await requestCode(uniquePhone(), 'reset');
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(known.body).toEqual({ ok: true, expiresInSeconds: 300, resendAfterSeconds: 60 });

    const shown = await api<{ code: string; purpose: string }>(`/api/dev/sms?phone=${member}`);
    expect(shown.body.purpose).toBe('reset');
    expect(shown.body.code).toMatch(/^\d{6}$/);
    const row = await codeRow(member, 'reset');
    expect(row?.hash).not.toContain(shown.body.code);
    expect(row?.tries).toBe(0);
    expect(row?.expires_at).toBeGreaterThan(Date.now() + 4 * 60_000);
  });

  it('allows one code a minute (per purpose) and five an hour per phone, and twenty an hour per address (429)', async () => {
    const phone = uniquePhone();
    expect((await requestCode(phone)).status).toBe(202);
    const again = await requestCode(phone);
    expectError(again, 429, 'RATE_LIMITED');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    // The minute passes three more times (its window rows dropped): with the refused request, that is five in the
    // hour, and the next one is refused.
    for (let i = 0; i < 3; i++) {
      await env.DB.prepare("DELETE FROM rate_limits WHERE key = 'sms:phone:' || ? || ':signup:1m'").bind(phone).run();
      expect((await requestCode(phone)).status).toBe(202);
    }
    await env.DB.prepare("DELETE FROM rate_limits WHERE key = 'sms:phone:' || ? || ':signup:1m'").bind(phone).run();
    expectError(await requestCode(phone), 429, 'RATE_LIMITED');

    const ip = freshIp();
    for (let i = 0; i < 20; i++) expect((await requestCode(uniquePhone(), 'orders', ip)).status).toBe(202);
    expectError(await requestCode(uniquePhone(), 'orders', ip), 429, 'RATE_LIMITED');
  });

  it('answers 503 SMS_UNAVAILABLE without a provider or the simulator, and the dev reader is no route then', async () => {
    const phone = uniquePhone();
    const res = await fetchWith({ SMS_SIMULATOR: undefined }, '/api/sms/codes', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': freshIp() },
      body: JSON.stringify({ phone, purpose: 'signup' }),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SMS_UNAVAILABLE');
    expect(await codeRow(phone, 'signup')).toBeNull();
    const dev = await fetchWith({ SMS_SIMULATOR: undefined }, `/api/dev/sms?phone=${phone}`);
    expect(dev.status).toBe(404);
    expect(((await dev.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('POST /api/members needs the phone’s code', () => {
  it('nobody registers someone else’s phone: no code or a wrong one is refused and writes nothing', async () => {
    const phone = uniquePhone();
    expectError(await signup({ phone, ref: shop.code }), 400, 'VALIDATION_FAILED', 'smsCode');
    expectError(await signup({ phone, ref: shop.code, smsCode: '123456' }), 400, 'SMS_CODE_INVALID', 'smsCode');
    const code = await smsCode(phone);
    expectError(await signup({ phone, smsCode: wrong(code) }), 400, 'SMS_CODE_INVALID', 'smsCode');
    // A code for another purpose proves nothing here.
    const other = uniquePhone();
    const ordersCode = await smsCode(other, 'orders');
    expectError(await signup({ phone: other, smsCode: ordersCode }), 400, 'SMS_CODE_INVALID', 'smsCode');
    expect(await memberCount(phone)).toBe(0);
    expect(await memberCount(other)).toBe(0);
  });

  it('binds through the link on the proved phone (bound_proof sms), and the code works once', async () => {
    const phone = uniquePhone();
    const code = await smsCode(phone);
    const codeId = (await codeRow(phone, 'signup'))?.id;
    const res = await signup({ phone, ref: shop.code, smsCode: code });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.boundAgent?.id).toBe(shop.id);
    const row = await env.DB.prepare('SELECT bound_agent_id, bound_proof, bound_proof_ref FROM members WHERE phone = ?')
      .bind(phone)
      .first();
    expect(row).toEqual({ bound_agent_id: shop.id, bound_proof: 'sms', bound_proof_ref: codeId });
    expect(await codeRow(phone, 'signup')).toBeNull();
    expectError(await signup({ phone, smsCode: code }), 400, 'SMS_CODE_INVALID', 'smsCode');
  });

  it('five wrong codes kill it: the right one is refused after them', async () => {
    const phone = uniquePhone();
    const code = await smsCode(phone);
    for (let i = 0; i < 5; i++) {
      expectError(await signup({ phone, smsCode: wrong(code) }), 400, 'SMS_CODE_INVALID', 'smsCode');
    }
    expect((await codeRow(phone, 'signup'))?.tries).toBe(5);
    expectError(await signup({ phone, smsCode: code }), 400, 'SMS_CODE_INVALID', 'smsCode');
    expect(await memberCount(phone)).toBe(0);
  });

  it('four wrong codes leave the fifth try to the right one', async () => {
    const phone = uniquePhone();
    const code = await smsCode(phone);
    for (let i = 0; i < 4; i++) expectError(await signup({ phone, smsCode: wrong(code) }), 400, 'SMS_CODE_INVALID');
    expect((await signup({ phone, smsCode: code })).status).toBe(201);
  });

  it('refuses an expired code (older than five minutes)', async () => {
    const phone = uniquePhone();
    const code = await smsCode(phone);
    await env.DB.prepare('UPDATE sms_codes SET expires_at = ? WHERE phone = ?')
      .bind(Date.now() - 1, phone)
      .run();
    expectError(await signup({ phone, smsCode: code }), 400, 'SMS_CODE_INVALID', 'smsCode');
    expect(await memberCount(phone)).toBe(0);
  });

  it('a newer code replaces the last one', async () => {
    const phone = uniquePhone();
    const first = await smsCode(phone);
    const second = await smsCode(phone, 'signup', true);
    if (first !== second) expectError(await signup({ phone, smsCode: first }), 400, 'SMS_CODE_INVALID');
    expect((await signup({ phone, smsCode: second })).status).toBe(201);
  });
});

describe('POST /api/auth/reset', () => {
  it('a member proves its phone, sets a new password, and every session of the account ends', async () => {
    const phone = uniquePhone();
    const made = await signup({ phone, smsCode: await smsCode(phone) });
    const other = await login('member', phone);
    const code = await smsCode(phone, 'reset', true);
    const bad = await api('/api/auth/reset', {
      body: { role: 'member', phone, smsCode: wrong(code), newPassword: 'newpass99' },
    });
    expectError(bad, 400, 'SMS_CODE_INVALID', 'smsCode');
    expect((await api('/api/auth/me', { token: other })).status).toBe(200);

    const res = await api('/api/auth/reset', {
      body: { role: 'member', phone, smsCode: code, newPassword: 'newpass99' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const token of [sessionToken(made), other]) {
      expectError(await api('/api/auth/me', { token }), 401, 'UNAUTHENTICATED');
    }
    const old = await api('/api/auth/login', {
      body: { role: 'member', account: phone, password: PASSWORD },
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expectError(old, 401, 'INVALID_CREDENTIALS');
    expect(await login('member', phone, 'newpass99')).toBeTruthy();
    // The code was used up.
    expectError(
      await api('/api/auth/reset', { body: { role: 'member', phone, smsCode: code, newPassword: 'another99' } }),
      400,
      'SMS_CODE_INVALID',
    );
  });

  it('an agent resets its password, its sessions end and the audit log says so', async () => {
    const agent = await createAgent(5);
    const code = await smsCode(agent.phone, 'reset');
    const res = await api('/api/auth/reset', {
      body: { role: 'agent', phone: agent.phone, smsCode: code, newPassword: 'agentpw88' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectError(await api('/api/auth/me', { token: agent.token }), 401, 'UNAUTHENTICATED');
    expect(await login('agent', agent.phone, 'agentpw88')).toBeTruthy();
    const entry = await env.DB.prepare(
      "SELECT actor_id FROM audit_log WHERE target_id = ? AND action = 'agent.password_reset'",
    )
      .bind(agent.id)
      .first<{ actor_id: string }>();
    expect(entry?.actor_id).toBe(agent.id);
  });

  it('a proved phone without such an account is told so (404), and nothing changes', async () => {
    const phone = uniquePhone();
    const code = await smsCode(phone, 'reset');
    const res = await api('/api/auth/reset', {
      body: { role: 'agent', phone, smsCode: code, newPassword: 'agentpw88' },
    });
    expectError(res, 404, 'NOT_FOUND');
  });
});

describe('POST /api/orders/lookup (guest order tracking)', () => {
  async function guestOrderWith(phone: string, productId: string, token?: string) {
    const res = await api<{ id: string }>('/api/orders', {
      token,
      body: {
        kind: 'consumer',
        shopCode: shop.code,
        lines: [{ productId, qty: 1 }],
        paymentMethod: 'offline',
        shipping: { name: '吴小东', phone, address: '浙江省杭州市西湖区文三路 100 号' },
      },
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  it('lists only the orders placed with the proved phone as a guest, page by page through the lookup cookie', async () => {
    const { product, setModel } = await import('./order-helpers');
    await setModel('direct');
    const prd = await product(100);
    const phone = uniquePhone();
    const mine = [await guestOrderWith(phone, prd), await guestOrderWith(phone, prd), await guestOrderWith(phone, prd)];
    await guestOrderWith(uniquePhone(), prd);
    // A member's order shipped to this phone is the member's, not this guest's.
    const member = uniquePhone();
    const memberToken = sessionToken(await signup({ phone: member, smsCode: await smsCode(member) }));
    await guestOrderWith(phone, prd, memberToken);

    expectError(await api('/api/orders/lookup', { body: { phone, smsCode: '000000' } }), 400, 'SMS_CODE_INVALID');
    const code = await smsCode(phone, 'orders');
    const found = await api<{ items: { id: string }[]; nextCursor: string | null; phone: string }>(
      '/api/orders/lookup',
      { body: { phone, smsCode: code } },
    );
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.items.map((o) => o.id)).toEqual([...mine].reverse());
    const cookie = (found.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(found.headers.get('set-cookie')).toMatch(/agentry_track=.+HttpOnly/i);

    const pages: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await api(
        `/api/orders/lookup?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: { cookie } },
      );
      expect(page.status).toBe(200);
      pages.push(...page.body.items.map((o) => o.id));
      cursor = page.body.nextCursor;
    }
    expect(pages).toEqual([...mine].reverse());
    expectError(await api('/api/orders/lookup'), 401, 'TRACKING_EXPIRED');
    expectError(await api('/api/orders/lookup', { body: { phone, smsCode: code } }), 400, 'SMS_CODE_INVALID');
  });
  it("reads a guest's orders and claims them at signup through the phone index orders_ship_phone", async () => {
    const { product, setModel } = await import('./order-helpers');
    await setModel('direct');
    const prd = await product(100);
    const phone = uniquePhone();
    const order = await guestOrderWith(phone, prd);
    const json = { 'content-type': 'application/json', 'cf-connecting-ip': freshIp() };
    const lookup = await fetchRecording('/api/orders/lookup', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ phone, smsCode: await smsCode(phone, 'orders') }),
    });
    expect(lookup.res.status).toBe(200);
    expect(((await lookup.res.json()) as { items: { id: string }[] }).items.map((o) => o.id)).toEqual([order]);
    const read = lookup.sql.filter((q) => /from "orders"/i.test(q) && /"ship_phone" = \?/.test(q));
    expect(read).toHaveLength(1);
    expect(await planOf(read[0] ?? '')).toMatch(/^SEARCH orders USING INDEX orders_ship_phone \(ship_phone=\?/);

    const signup = await fetchRecording('/api/members', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: '周小青', password: PASSWORD, phone, smsCode: await smsCode(phone) }),
    });
    expect(signup.res.status).toBe(201);
    const claim = signup.sql.filter((q) => /^update "orders"/i.test(q) && /"ship_phone" = \?/.test(q));
    expect(claim).toHaveLength(1);
    expect(await planOf(claim[0] ?? '')).toMatch(/^SEARCH orders USING INDEX orders_ship_phone \(ship_phone=\?/);
    // The partial index of guest orders only (a subset of orders_ship_phone's entries) is gone: migration 0026.
    const gone = await env.DB.prepare(
      "SELECT count(*) AS n FROM sqlite_master WHERE name = 'orders_guest_phone'",
    ).first();
    expect(gone?.n).toBe(0);
    const claimed = await env.DB.prepare('SELECT member_id FROM orders WHERE id = ?').bind(order).first();
    expect(claimed?.member_id).toBe(((await signup.res.json()) as { id: string }).id);
  });
});
