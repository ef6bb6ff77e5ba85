import { beforeAll, describe, expect, it } from 'vitest';
import { admin, api, createAgent, expectError, freshIp, rowCount, snapshot, type TestAgent } from './helpers';
import { product, RETAIL } from './order-helpers';
import { picture, upload } from './upload-helpers';

interface Case {
  id: string;
  kind: string;
  status: string;
  agent: { id: string; code: string };
  productId: string | null;
  productName: string | null;
  priceSeenFen: number | null;
  retailFen: number | null;
  note: string | null;
  reporterContact: string | null;
  evidence: string[];
}

let agent: TestAgent;
let productId: string;
let adminToken: string;

beforeAll(async () => {
  adminToken = await admin();
  agent = await createAgent(4);
  productId = await product();
});

function report(body: unknown, ip = freshIp(), headers: Record<string, string> = {}) {
  return api<{ id: string; createdAt: number }>('/api/reports', {
    body,
    headers: { 'cf-connecting-ip': ip, ...headers },
  });
}

describe('POST /api/reports', () => {
  it('opens a price_report case in the brand queue with what the reporter saw and the retail price', async () => {
    const before = Date.now();
    const res = await report({
      agent: agent.code,
      productId,
      priceSeenFen: 19_900,
      note: '朋友圈低价 199 元出售',
      contact: '微信 reporter_1',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).toMatch(/^ins_[0-9a-z]{26}$/);
    expect(res.body.createdAt).toBeGreaterThanOrEqual(before);
    const got = await api<Case>(`/api/brand/inspections/${res.body.id}`, { token: adminToken });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      kind: 'price_report',
      status: 'open',
      agent: { id: agent.id, code: agent.code },
      productId,
      priceSeenFen: 19_900,
      retailFen: RETAIL,
      note: '朋友圈低价 199 元出售',
      reporterContact: '微信 reporter_1',
    });
    expect(got.body.productName).toContain('焕颜精华');
  });

  it('resolves a pasted shop link to its agent; product and contact are optional', async () => {
    const res = await report({
      agent: `  https://shop.example.com/s/${agent.code.toUpperCase()}?from=moments `,
      priceSeenFen: 0,
      note: '免费送',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const got = await api<Case>(`/api/brand/inspections/${res.body.id}`, { token: adminToken });
    expect(got.body).toMatchObject({
      agent: { id: agent.id },
      productId: null,
      retailFen: null,
      reporterContact: null,
    });
  });

  it('answers an unknown agent or product with 404 naming the field, writing nothing', async () => {
    const before = await snapshot();
    const cases: [unknown, string, string][] = [
      [{ agent: 'zzzzzzzz', priceSeenFen: 100, note: '低价' }, 'agent', '代理不存在'],
      [{ agent: 'https://shop.example.com/s/zzzzzzzz', priceSeenFen: 100, note: '低价' }, 'agent', '代理不存在'],
      [{ agent: '不是链接也不是代码', priceSeenFen: 100, note: '低价' }, 'agent', '代理不存在'],
      [{ agent: agent.code, productId: 'prd_nope', priceSeenFen: 100, note: '低价' }, 'productId', '商品不存在'],
    ];
    for (const [body, field, message] of cases) {
      const res = await report(body);
      expectError(res, 404, 'NOT_FOUND', field);
      expect((res.body as unknown as { error: { message: string } }).error.message).toBe(message);
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses bad bodies with 400 and the field, writing nothing', async () => {
    const ok = { agent: agent.code, priceSeenFen: 100, note: '低价' };
    const before = await snapshot();
    const cases: [unknown, string | undefined][] = [
      [{ ...ok, priceSeenFen: -1 }, 'priceSeenFen'],
      [{ ...ok, priceSeenFen: 100_000_001 }, 'priceSeenFen'],
      [{ ...ok, priceSeenFen: 12.5 }, 'priceSeenFen'],
      [{ ...ok, priceSeenFen: '100' }, 'priceSeenFen'],
      [{ ...ok, note: '   ' }, 'note'],
      [{ ...ok, note: '长'.repeat(501) }, 'note'],
      [{ ...ok, contact: 'x'.repeat(51) }, 'contact'],
      [{ agent: agent.code, priceSeenFen: 100 }, 'note'],
      [{ ...ok, agentId: agent.id }, undefined],
    ];
    for (const [body, field] of cases) expectError(await report(body), 400, 'VALIDATION_FAILED', field);
    expect(await snapshot()).toBe(before);
  });

  it('speaks English when asked', async () => {
    const res = await report({ agent: 'zzzzzzzz', priceSeenFen: 1, note: 'x' }, freshIp(), {
      'accept-language': 'en-US,en;q=0.9',
    });
    expect((res.body as unknown as { error: { message: string } }).error.message).toBe('Agent not found');
  });

  it('takes 5 reports per address per 10 minutes, then answers 429 with Retry-After and writes no case', async () => {
    const ip = freshIp();
    const note = `限流测试 ${ip}`;
    for (let i = 0; i < 5; i++) {
      expect((await report({ agent: agent.code, priceSeenFen: 100, note }, ip)).status).toBe(201);
    }
    const refused = await report({ agent: agent.code, priceSeenFen: 100, note }, ip);
    expectError(refused, 429, 'RATE_LIMITED');
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(600);
    expect(await rowCount('SELECT count(*) AS n FROM inspections WHERE note = ?', note)).toBe(5);
    // Another address still may report.
    expect((await report({ agent: agent.code, priceSeenFen: 100, note })).status).toBe(201);
  });
});

describe('naming the agent by WeChat ID or phone, evidence pictures, the retail ceiling', () => {
  it('finds the agent by its WeChat ID in any letter case and by its phone typed with spaces or +86', async () => {
    const refs = [
      agent.wechat.toUpperCase(),
      `  ${agent.wechat}  `,
      `${agent.phone.slice(0, 3)} ${agent.phone.slice(3, 7)} ${agent.phone.slice(7)}`,
      `+86 ${agent.phone}`,
    ];
    for (const ref of refs) {
      const res = await report({ agent: ref, productId, priceSeenFen: 9_900, note: '直播间 99 元' });
      expect(res.status, `${ref}: ${JSON.stringify(res.body)}`).toBe(201);
      const got = await api<Case>(`/api/brand/inspections/${res.body.id}`, { token: adminToken });
      expect(got.body.agent.id, ref).toBe(agent.id);
    }
    // A WeChat ID or phone no agent has is an unknown agent, as before.
    const before = await snapshot();
    for (const ref of ['nobody_here_1', '139 0000 0000']) {
      expectError(await report({ agent: ref, priceSeenFen: 100, note: '低价' }), 404, 'NOT_FOUND', 'agent');
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses a price above the retail price with 422 naming both, writing nothing; at retail is taken', async () => {
    const before = await snapshot();
    const res = await report({ agent: agent.code, productId, priceSeenFen: RETAIL + 1, note: '比官方贵' });
    expectError(res, 422, 'REPORT_ABOVE_RETAIL', 'priceSeenFen');
    expect((res.body as unknown as { error: { message: string } }).error.message).toBe(
      '举报价格 ¥299.01 高于品牌零售价 ¥299.00，不属于乱价',
    );
    expect(await snapshot()).toBe(before);
    const en = await report({ agent: agent.code, productId, priceSeenFen: RETAIL + 1, note: 'x' }, freshIp(), {
      'accept-language': 'en',
    });
    expect((en.body as unknown as { error: { message: string } }).error.message).toBe(
      'The reported price ¥299.01 is above the retail price ¥299.00; that is not price-breaking',
    );
    expect((await report({ agent: agent.code, productId, priceSeenFen: RETAIL, note: '送赠品' })).status).toBe(201);
  });

  it('keeps evidence pictures uploaded as evidence and shows them on the case', async () => {
    const ip = freshIp();
    const shots = [];
    for (const kind of ['jpeg', 'png'] as const) {
      const up = await upload(picture(kind), { path: '/api/reports/evidence', headers: { 'cf-connecting-ip': ip } });
      expect(up.status).toBe(201);
      shots.push(up.body.url);
    }
    const res = await report({
      agent: agent.wechat,
      productId,
      priceSeenFen: 15_000,
      note: '朋友圈截图',
      evidence: [shots[0], `https://shop.example.com${shots[1]}`],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const got = await api<Case>(`/api/brand/inspections/${res.body.id}`, { token: adminToken });
    expect(got.body.evidence).toEqual(shots);
    const list = await api<{ items: Case[] }>('/api/brand/inspections?kind=price_report', { token: adminToken });
    expect(list.body.items.find((c) => c.id === res.body.id)?.evidence).toEqual(shots);
  });

  it('refuses evidence that was not uploaded as evidence (another’s upload, unknown, not a file path)', async () => {
    const agentsOwn = await upload(picture('png'), { token: agent.token });
    const ok = { agent: agent.code, priceSeenFen: 100, note: '低价' };
    const before = await snapshot();
    for (const evidence of [[agentsOwn.body.url], [`/api/files/${'2'.repeat(64)}`]]) {
      const res = await report({ ...ok, evidence });
      expectError(res, 404, 'NOT_FOUND', 'evidence.0');
      expect((res.body as unknown as { error: { message: string } }).error.message).toBe('图片不存在');
    }
    const many = Array.from({ length: 4 }, (_, i) => `/api/files/${String(i).repeat(64)}`);
    for (const evidence of [['https://evil.example/x.jpg'], many, 'x']) {
      expectError(await report({ ...ok, evidence }), 400, 'VALIDATION_FAILED');
    }
    expect(await snapshot()).toBe(before);
  });
});
