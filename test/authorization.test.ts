import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  api,
  apply,
  createAgent,
  freshIp,
  PASSWORD,
  sessionToken,
  smsCode,
  type TestAgent,
  uniquePhone,
  withSmsCode,
} from './helpers';
import { guestOrder, product, setModel } from './order-helpers';

type OpenApi = { paths: Record<string, Record<string, { requestBody?: unknown }>> };

// Two separate teams: a1(1) → a2(3) → a3(5) and b1(1) → b2(3).
let a1: TestAgent;
let a2: TestAgent;
let a3: TestAgent;
let b2: TestAgent;
let memberToken: string;
let adminToken: string;
let doc: OpenApi;
let appOfA2: string;
let appOfB2: string;
let orderOfA: string;
let orderOfB: string;

// Public by design: the applicant's capability link, a guest's tracking (phone and order token) and the local demo's
// simulator (off here: 404). Paying needs the buyer's session or its order token, so it is in the matrix.
const publicTails = new Set(['status', 'track', 'simulate-payment']);

const bodies: Record<string, unknown> = {
  ship: { carrier: '顺丰速运', trackingNo: 'SF123456789' },
  refund: { reason: '测试' },
  'after-sales': { kind: 'refund', reason: '测试' },
  refuse: { reason: '测试' },
  approve: { reference: 'REF-1' },
  suspend: { reason: '测试' },
  resume: { reason: '测试' },
  revoke: { reason: '测试' },
  level: { level: 2, reason: '测试' },
  reject: { reason: '测试' },
  'late-payment-refund': { reference: 'R-1' },
  pay: { channel: 'native' },
  binding: { agentId: null, reason: '测试' },
  supply: { stopped: true, reason: '测试' },
  actions: { action: 'warn', reason: '测试' },
};

beforeAll(async () => {
  adminToken = await admin();
  a1 = await createAgent(1);
  a2 = await createAgent(3, a1);
  a3 = await createAgent(5, a2);
  const b1 = await createAgent(1);
  b2 = await createAgent(3, b1);
  appOfA2 = (await apply({ level: 6, inviteCode: a2.code })).id;
  appOfB2 = (await apply({ level: 6, inviteCode: b2.code })).id;
  const signup = await api('/api/members', {
    body: await withSmsCode({ phone: uniquePhone(), name: '会员甲', password: PASSWORD, ref: a3.code }),
    headers: { 'cf-connecting-ip': freshIp() },
  });
  memberToken = sessionToken(signup);
  doc = (await api<OpenApi>('/api/openapi.json')).body;
  await setModel('direct');
  const prd = await product();
  orderOfA = (await guestOrder(a3.code, prd)).body.id;
  orderOfB = (await guestOrder(b2.code, prd)).body.id;
  expect(orderOfA).toMatch(/^ord_/);
  expect(orderOfB).toMatch(/^ord_/);
});

function idRoutes() {
  const out: { method: string; path: string; tail: string }[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.includes('{id}')) continue;
    for (const method of Object.keys(ops))
      out.push({ method: method.toUpperCase(), path, tail: path.split('/').pop() ?? '' });
  }
  return out;
}

// A whole saved address, so a member's change of an address not its own is judged by its id (404), not its body.
const bodiesByPath: Record<string, unknown> = {
  'PUT /api/members/me/addresses/{id}': {
    name: '收件人',
    phone: '13900001111',
    address: '浙江省杭州市西湖区 文三路 1 号',
  },
};

async function call(method: string, path: string, id: string, token: string | undefined) {
  const tail = path.split('/').pop() ?? '';
  const body = method === 'GET' ? undefined : (bodiesByPath[`${method} ${path}`] ?? bodies[tail] ?? {});
  return api(path.replace('{id}', id), { method, token, ...(body !== undefined ? { body } : {}) });
}

describe('every route that takes an id', () => {
  it('refuses another team’s agent, an upline and a stranger’s application (404), a member (403) and the anonymous (401)', async () => {
    const routes = idRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(12);
    for (const r of routes) {
      const isApp = r.path.startsWith('/api/applications');
      const isOrder = r.path.startsWith('/api/orders');
      const isWithdrawal = r.path.startsWith('/api/withdrawals');
      // Withdrawals and products (a public catalog) have their own matrices in withdrawals.test.ts and products.test.ts.
      if (publicTails.has(r.tail) || isWithdrawal || r.path.startsWith('/api/products')) continue;
      const foreign = isApp ? appOfB2 : isOrder ? orderOfB : b2.id;
      const res = await call(r.method, r.path, foreign, a2.token);
      expect([403, 404], `${r.method} ${r.path} with another team's id: ${res.status}`).toContain(res.status);
      if (!isApp && !isOrder) {
        const upline = await call(r.method, r.path, a1.id, a2.token);
        expect([403, 404], `${r.method} ${r.path} with the upline's id`).toContain(upline.status);
      }
      const own = isApp ? appOfA2 : isOrder ? orderOfA : a3.id;
      const mem = await call(r.method, r.path, own, memberToken);
      // A member takes part in orders, so someone else's order is simply not found; so is an address not its own
      // (its own saved addresses: /members/me/addresses/{id}, checkout.test.ts).
      const memberOwn = isOrder || r.path.startsWith('/api/members/me/');
      expect(memberOwn ? [403, 404] : [403], `${r.method} ${r.path} as a member`).toContain(mem.status);
      const anon = await call(r.method, r.path, own, undefined);
      expect(anon.status, `${r.method} ${r.path} anonymous`).toBe(401);
    }
  });

  it('lets an agent read its own team and the brand read anyone', async () => {
    for (const r of idRoutes().filter((x) => x.method === 'GET' && x.path.startsWith('/api/agents/'))) {
      expect((await call('GET', r.path, a3.id, a2.token)).status, `${r.path} as upline`).toBe(200);
      expect((await call('GET', r.path, b2.id, adminToken)).status, `${r.path} as brand`).toBe(200);
    }
    expect((await api(`/api/applications/${appOfA2}`, { token: a2.token })).status).toBe(200);
  });

  it('lists only the caller’s own applications', async () => {
    const mine = await api<{ items: { id: string }[] }>('/api/applications?limit=100', { token: a2.token });
    const ids = mine.body.items.map((a) => a.id);
    expect(ids).toContain(appOfA2);
    expect(ids).not.toContain(appOfB2);
  });
});

describe('brand-only routes', () => {
  it('refuse agents and members', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/brand/settings'],
      ['PATCH', '/api/brand/settings', { freezeDays: 3 }],
      ['PUT', '/api/brand/levels', { levels: [{ rank: 1, name: 'X', firstOrderFen: 0 }] }],
      ['GET', '/api/agents'],
      ['GET', '/api/audit'],
      ['GET', '/api/agents/brand/team/summary'],
      ['POST', '/api/brand/members/mem_x/binding', { agentId: null, reason: '测试' }],
      ['GET', '/api/orders/search?q=13800000000'],
      ['GET', '/api/orders/status-counts'],
    ];
    for (const [method, path, body] of routes) {
      for (const token of [a1.token, memberToken]) {
        const res = await api(path, { method, token, ...(body ? { body } : {}) });
        expect(res.status, `${method} ${path}`).toBe(403);
      }
      expect((await api(path, { method, ...(body ? { body } : {}) })).status, `${method} ${path} anonymous`).toBe(401);
    }
  });

  it('records each change in the audit log with who and when', async () => {
    await api(`/api/agents/${b2.id}/suspend`, { body: { reason: '审计测试' }, token: adminToken });
    const log = await api<{ items: { action: string; actorRole: string; detail: { reason: string }; at: number }[] }>(
      `/api/audit?targetId=${b2.id}`,
      { token: adminToken },
    );
    expect(log.body.items[0]).toMatchObject({
      action: 'agent.suspend',
      actorRole: 'admin',
      detail: { reason: '审计测试' },
    });
    expect(log.body.items.map((e) => e.action)).toContain('application.approve');
  });
});

describe('phone-proved routes (SMS code)', () => {
  it('a session of any role is no proof: reset and guest lookup still need the phone’s own code', async () => {
    for (const token of [a2.token, memberToken, adminToken]) {
      const reset = await api('/api/auth/reset', {
        token,
        body: { role: 'agent', phone: a3.phone, smsCode: '000000', newPassword: 'takeover1' },
      });
      expect(reset.status, 'reset with a session and no code').toBe(400);
      const lookup = await api('/api/orders/lookup', { token, body: { phone: a3.phone, smsCode: '000000' } });
      expect(lookup.status, 'lookup with a session and no code').toBe(400);
      // The lookup's next pages come from its own cookie, never from a session.
      expect((await api('/api/orders/lookup', { token })).status).toBe(401);
    }
    expect(
      await api('/api/auth/login', {
        body: { role: 'agent', account: a3.phone, password: 'takeover1' },
        headers: { 'cf-connecting-ip': freshIp() },
      }).then((r) => r.status),
    ).toBe(401);
  });

  it('a code proves one phone for one purpose: another phone’s or purpose’s code is refused', async () => {
    const code = await smsCode(a2.phone, 'reset');
    const other = await api('/api/auth/reset', {
      body: { role: 'agent', phone: b2.phone, smsCode: code, newPassword: 'takeover1' },
    });
    expect(other.status).toBe(400);
    const lookup = await api('/api/orders/lookup', { body: { phone: a2.phone, smsCode: code } });
    expect(lookup.status).toBe(400);
  });

  it('a guest lookup cookie opens no other route, nor an order not placed as a guest with its phone', async () => {
    const phone = uniquePhone();
    const code = await smsCode(phone, 'orders');
    const found = await api('/api/orders/lookup', { body: { phone, smsCode: code } });
    expect(found.status).toBe(200);
    const cookie = (found.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await api('/api/orders', { headers: { cookie } })).status).toBe(401);
    // It reads the guest orders of its own phone only: another order answers 404, as to any other credential.
    expect((await api(`/api/orders/${orderOfA}`, { headers: { cookie } })).status).toBe(404);
    expect((await api('/api/auth/me', { headers: { cookie } })).status).toBe(401);
  });
});
