import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, api, BASE, createAgent, expectError, freshIp, type Res, type TestAgent, workerFetch } from './helpers';
import { product, RETAIL } from './order-helpers';

interface Verification {
  genuine: true;
  code: string;
  serialLabel: string;
  product: { id: string; name: string; retailFen: number; image: string | null };
  agent: {
    name: string;
    levelName: string;
    region: string;
    certificateNumber: string | null;
    status: 'valid' | 'suspended' | 'revoked';
  } | null;
  verifyCount: number;
  firstVerifiedAt: number;
  warning: boolean;
}

interface Geo {
  country: string;
  region: string;
  regionCode: string;
  city?: string;
}

const GUANGDONG: Geo = { country: 'CN', region: 'Guangdong', regionCode: 'GD', city: 'Shenzhen' };
const ZHEJIANG: Geo = { country: 'CN', region: 'Zhejiang', regionCode: 'ZJ', city: 'Hangzhou' };

// The edge's geolocation reaches the Worker as request.cf, as Cloudflare sets it.
async function verify(code: string, opts: { ip?: string; cf?: Geo } = {}): Promise<Res<Verification>> {
  const res = await workerFetch(`${BASE}/api/codes/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': opts.ip ?? freshIp() },
    body: JSON.stringify({ code }),
    ...(opts.cf ? { cf: opts.cf } : {}),
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as Verification, headers: res.headers };
}

function cost(res: { headers: Headers }) {
  return { rows: Number(res.headers.get('x-d1-rows-read')), trips: Number(res.headers.get('x-d1-round-trips')) };
}

let productId: string;
let agent: TestAgent;
let certificateNumber: string;
let serialStart: number;
let codes: string[];
let used = 0;

/** A code of the test batch bound to `agent` that no other test verified. */
function boundCode(): string {
  const code = codes[used++];
  if (!code) throw new Error('out of test codes');
  return code;
}

async function flagOf(code: string) {
  return env.DB.prepare(
    "SELECT agent_id, product_id, region_seen, authorized_region, hits, status FROM inspections WHERE code = ? AND kind = 'cross_region'",
  )
    .bind(code)
    .first<{
      agent_id: string;
      product_id: string;
      region_seen: string;
      authorized_region: string;
      hits: number;
      status: string;
    }>();
}

// The flag is written after the answer (waitUntil).
async function waitForFlag(code: string, hits = 1) {
  for (let i = 0; i < 100; i++) {
    const flag = await flagOf(code);
    if (flag && flag.hits >= hits) return flag;
    await new Promise((r) => setTimeout(r, 20));
  }
  return flagOf(code);
}

beforeAll(async () => {
  const token = await admin();
  productId = await product();
  agent = await createAgent(2, undefined, '张三丰');
  certificateNumber = (await api<{ certificateNumber: string }>('/api/agents/me', { token: agent.token })).body
    .certificateNumber;
  const batch = await api<{ id: string; serialStart: number; status: string }>('/api/brand/code-batches', {
    token,
    body: { productId, size: 60 },
  });
  expect(batch.body.status).toBe('ready');
  serialStart = batch.body.serialStart;
  const bound = await api('/api/brand/code-bindings', {
    token,
    body: { agentId: agent.id, ranges: [{ from: serialStart, to: serialStart + 49 }] },
  });
  expect(bound.status, JSON.stringify(bound.body)).toBe(201);
  const rows = await env.DB.prepare('SELECT code FROM codes WHERE batch_id = ? ORDER BY serial')
    .bind(batch.body.id)
    .all<{ code: string }>();
  codes = rows.results.map((r) => r.code);
});

describe('POST /api/codes/verify', () => {
  it('answers genuine with the product, the masked agent and the first verification', async () => {
    const code = boundCode();
    const before = Date.now();
    const res = await verify(code);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      genuine: true,
      code: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12)}`,
      serialLabel: String(serialStart).padStart(10, '0'),
      product: { id: productId, name: expect.stringMatching(/^焕颜精华/), retailFen: RETAIL, image: null },
      agent: {
        name: '张*丰',
        levelName: '总代',
        region: '浙江省杭州市',
        certificateNumber,
        shopCode: agent.code,
        status: 'valid',
      },
      verifyCount: 1,
      firstVerifiedAt: expect.any(Number),
      warning: false,
    });
    expect(res.body.firstVerifiedAt).toBeGreaterThanOrEqual(before);
  });

  it('warns from the second verification on, keeping the first time', async () => {
    const code = boundCode();
    const first = await verify(code);
    const second = await verify(code);
    expect(second.body).toMatchObject({ verifyCount: 2, warning: true, firstVerifiedAt: first.body.firstVerifiedAt });
    const third = await verify(code);
    expect(third.body).toMatchObject({ verifyCount: 3, warning: true });
  });

  it('accepts the code as people type it: lower case, spaces, hyphens, O for 0 and I or L for 1', async () => {
    const code = boundCode();
    const typed = ` ${code.slice(0, 8).toLowerCase()} - ${code.slice(8)} `.replaceAll('0', 'O').replaceAll('1', 'l');
    const res = await verify(typed);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.code.replaceAll('-', '')).toBe(code);
  });

  it('shows a code not yet shipped as genuine without an agent', async () => {
    const unbound = codes[55] ?? '';
    const res = await verify(unbound);
    expect(res.status).toBe(200);
    expect(res.body.agent).toBeNull();
  });

  it('answers 404 for an unknown code and 400 for a malformed one without touching the database', async () => {
    expectError(await verify('ZZZZ-ZZZZ-ZZZZ-ZZZZ'), 404, 'CODE_NOT_FOUND');
    for (const bad of [
      'ABCD-EFGH',
      'ABCD-EFGH-JKMN-PQRU',
      `${'A'.repeat(17)}`,
      '',
      '防伪码防伪码防伪码防伪码防伪码防伪码',
      '9'.repeat(300),
    ]) {
      const res = await verify(bad);
      expectError(res, 400, 'CODE_MALFORMED', 'code');
      expect(cost(res)).toEqual({ rows: 0, trips: 0 });
    }
    const en = await workerFetch(`${BASE}/api/codes/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ code: 'nope' }),
    });
    expect(((await en.json()) as { error: { message: string } }).error.message).toMatch(/^This is not a valid code/);
  });

  it('reads at most three rows in one round trip once warm (the code, its agent, the count)', async () => {
    await verify(boundCode());
    for (let i = 0; i < 3; i++) {
      const res = await verify(boundCode());
      expect(res.status).toBe(200);
      expect(cost(res).trips).toBe(1);
      expect(cost(res).rows).toBeGreaterThan(0);
      expect(cost(res).rows).toBeLessThanOrEqual(3);
    }
    // The rate limit is counted at the edge, not in D1: a client's next verification costs the same.
    const ip = freshIp();
    await verify(boundCode(), { ip });
    const again = await verify(boundCode(), { ip });
    expect(cost(again)).toEqual({ rows: 3, trips: 1 });
    expect(Number(again.headers.get('x-d1-rows-written'))).toBe(1);
  });

  it('counts 100 concurrent verifications of one code exactly', async () => {
    const code = boundCode();
    const answers = await Promise.all(Array.from({ length: 100 }, () => verify(code)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const counts = answers.map((a) => a.body.verifyCount).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const row = await env.DB.prepare('SELECT verify_count AS n FROM codes WHERE code = ?').bind(code).first();
    expect(row).toEqual({ n: 100 });
  });

  it('limits a client address to 20 a minute, and a refused verification is not counted', async () => {
    const code = boundCode();
    const ip = freshIp();
    // The limiter counts in windows of a whole minute: 21 requests that straddle a window's end would all pass (seen
    // once), so they start early in a window.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 50));
    for (let i = 0; i < 20; i++) expect((await verify(code, { ip })).status).toBe(200);
    const refused = await verify(code, { ip });
    expectError(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Over the limit an unknown code answers the same, so a guesser learns nothing about which codes exist.
    expectError(await verify('ZZZZ-ZZZZ-ZZZZ-ZZZZ', { ip }), 429, 'RATE_LIMITED');
    const row = await env.DB.prepare('SELECT verify_count AS n FROM codes WHERE code = ?').bind(code).first();
    expect(row).toEqual({ n: 20 });
    // Another address is unaffected.
    expect((await verify(code)).body.verifyCount).toBe(21);
  });
});

describe('cross-region flag (串货)', () => {
  it('flags a verification from outside the agent’s province, and counts repeats on the open flag', async () => {
    const code = boundCode();
    expect((await verify(code, { cf: GUANGDONG })).status).toBe(200);
    expect(await waitForFlag(code)).toEqual({
      agent_id: agent.id,
      product_id: productId,
      region_seen: '广东 Shenzhen',
      authorized_region: '浙江省杭州市',
      hits: 1,
      status: 'open',
    });
    await verify(code, { cf: GUANGDONG });
    expect((await waitForFlag(code, 2))?.hits).toBe(2);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM inspections WHERE code = ? AND kind = 'cross_region'")
        .bind(code)
        .first(),
    ).toEqual({ n: 1 });
  });

  it('does not flag a verification from the same province, nor one without a known region', async () => {
    const inside = boundCode();
    const unknown = boundCode();
    const outside = boundCode();
    await verify(inside, { cf: ZHEJIANG });
    await verify(unknown);
    await verify(unknown, { cf: { country: 'US', region: 'California', regionCode: 'CA' } });
    await verify(outside, { cf: GUANGDONG });
    // The flag of the later verification is there, so the earlier ones had their chance.
    expect(await waitForFlag(outside)).not.toBeNull();
    expect(await flagOf(inside)).toBeNull();
    expect(await flagOf(unknown)).toBeNull();
  });

  it('does not flag an agent authorized nationwide (全国)', async () => {
    const national = await createAgent(2);
    await env.DB.prepare("UPDATE agents SET region = '全国' WHERE id = ?").bind(national.id).run();
    const batch = await api<{ serialStart: number; id: string }>('/api/brand/code-batches', {
      token: await admin(),
      body: { productId, size: 1 },
    });
    const bound = await api('/api/brand/code-bindings', {
      token: await admin(),
      body: { agentId: national.id, ranges: [{ from: batch.body.serialStart, to: batch.body.serialStart }] },
    });
    expect(bound.status).toBe(201);
    const row = await env.DB.prepare('SELECT code FROM codes WHERE batch_id = ?')
      .bind(batch.body.id)
      .first<{ code: string }>();
    const code = row?.code ?? '';
    const res = await verify(code, { cf: GUANGDONG });
    expect(res.body.agent?.region).toBe('全国');
    const outside = boundCode();
    await verify(outside, { cf: GUANGDONG });
    expect(await waitForFlag(outside)).not.toBeNull();
    expect(await flagOf(code)).toBeNull();
  });
});
