import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentCodeIn, allowedActions, noticeMessage } from '../worker/domain/inspection';
import { account } from '../worker/domain/ledger';
import {
  api,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  sessionToken,
  snapshot,
  uniquePhone,
  withSmsCode,
} from './helpers';
import {
  adminToken,
  auditActions,
  boundCode,
  type Case,
  credit,
  decide,
  flag,
  loadFixtures,
  notices,
  openFlags,
  type Page,
  priceReport,
  restock,
  verifyInGuangdong,
} from './inspection-helpers';
import { balance, expectLedgerBalanced } from './order-helpers';

beforeAll(loadFixtures);

describe('GET /api/brand/inspections', () => {
  it('lists newest first with the agent, pages by cursor and filters by agent, kind and status', async () => {
    const agent = await createAgent(3);
    const t = Date.now() - 10_000;
    const flags = [await flag(agent.id, t), await flag(agent.id, t + 1), await flag(agent.id, t + 2)];
    const reported = await priceReport(agent);
    const first = await api<Page<Case>>(`/api/brand/inspections?agentId=${agent.id}&limit=3`, { token: adminToken });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i) => i.id)).toEqual([reported, flags[2], flags[1]]);
    expect(first.body.items[1]).toMatchObject({
      kind: 'cross_region',
      status: 'open',
      agent: { id: agent.id, code: agent.code, level: 3, levelName: '省代', region: '浙江省杭州市', status: 'active' },
      regionSeen: '广东省深圳市',
      authorizedRegion: '浙江省杭州市',
      hits: 3,
      allowedActions: ['dismiss', 'warn', 'fine', 'stop_supply', 'revoke'],
    });
    expect(first.body.items[1]?.agent.supplyStopped).toBe(false);
    const second = await api<Page<Case>>(
      `/api/brand/inspections?agentId=${agent.id}&limit=3&cursor=${first.body.nextCursor}`,
      { token: adminToken },
    );
    expect(second.body.items.map((i) => i.id)).toEqual([flags[0]]);
    expect(second.body.nextCursor).toBeNull();

    const reports = await api<Page<Case>>(`/api/brand/inspections?agentId=${agent.id}&kind=price_report`, {
      token: adminToken,
    });
    expect(reports.body.items.map((i) => i.id)).toEqual([reported]);
    await decide(reported, { action: 'dismiss', reason: '价格属实为活动价' });
    const open = await api<Page<Case>>(`/api/brand/inspections?status=open&limit=100`, { token: adminToken });
    const openIds = open.body.items.map((i) => i.id);
    expect(openIds).toContain(flags[0]);
    expect(openIds).not.toContain(reported);
    const dismissed = await api<Page<Case>>(`/api/brand/inspections?status=dismissed&agentId=${agent.id}`, {
      token: adminToken,
    });
    expect(dismissed.body.items.map((i) => i.id)).toEqual([reported]);
  });

  it('reads a bounded number of rows for a page of the open queue, however long the queue', async () => {
    const agent = await createAgent(5);
    const t = Date.now() - 60_000;
    for (let i = 0; i < 30; i++) await flag(agent.id, t + i);
    const res = await api<Page<Case>>('/api/brand/inspections?status=open&limit=5', { token: adminToken });
    expect(res.body.items).toHaveLength(5);
    const rows = Number(res.headers.get('x-d1-rows-read'));
    expect(rows).toBeGreaterThan(0);
    // Six cases, each with its agent, level and product, plus the session.
    expect(rows).toBeLessThanOrEqual(30);
  });

  it('answers an unknown case with 404 and refuses agents and members (403) and the anonymous (401)', async () => {
    const agent = await createAgent(4);
    const id = await flag(agent.id);
    const member = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '会员乙', password: PASSWORD, ref: agent.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(member.status).toBe(201);
    expectError(
      await api(`/api/brand/inspections/ins_00000000000000000000000000`, { token: adminToken }),
      404,
      'NOT_FOUND',
    );
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/brand/inspections'],
      ['GET', `/api/brand/inspections/${id}`],
      ['POST', `/api/brand/inspections/${id}/actions`, { action: 'warn', reason: '警告一次' }],
      ['POST', `/api/brand/agents/${agent.id}/supply`, { stopped: true, reason: '停货处理' }],
    ];
    for (const [method, path, body] of calls) {
      for (const token of [agent.token, sessionToken(member)]) {
        expectError(await api(path, { method, token, ...(body ? { body } : {}) }), 403, 'FORBIDDEN');
      }
      expectError(await api(path, { method, ...(body ? { body } : {}) }), 401, 'UNAUTHENTICATED');
    }
    expect((await api<Case>(`/api/brand/inspections/${id}`, { token: adminToken })).body.status).toBe('open');
    expect((await notices(agent)).body.items).toEqual([]);
  });
});

describe('a cross-selling flag raised by a verification', () => {
  it('reaches the queue with the code and regions; once warned, the next verification opens a new flag', async () => {
    const agent = await createAgent(4);
    const code = await boundCode(agent);
    await verifyInGuangdong(code);
    const [flagged] = await openFlags(agent);
    expect(flagged).toMatchObject({
      kind: 'cross_region',
      code,
      regionSeen: '广东 Shenzhen',
      authorizedRegion: '浙江省杭州市',
      hits: 1,
      agent: { id: agent.id },
    });
    const warned = await decide(flagged?.id ?? '', { action: 'warn', reason: '广东发现串货' });
    expect(warned.body.status).toBe('warned');
    const [notice] = (await notices(agent)).body.items;
    expect(notice?.message).toContain('授权区域外销售（串货）');
    await verifyInGuangdong(code);
    const [next] = await openFlags(agent);
    expect(next?.id).not.toBe(flagged?.id);
    expect(next).toMatchObject({ code, hits: 1 });
  });
});

describe('POST /api/brand/inspections/{id}/actions', () => {
  it('warn: closes the case, the agent reads the warning, nobody else does, and it is audited', async () => {
    const agent = await createAgent(4);
    const other = await createAgent(4);
    const id = await flag(agent.id);
    const res = await decide(id, { action: 'warn', reason: '跨区销售，首次警告' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'warned', resolution: '跨区销售，首次警告', fineFen: null });
    expect(res.body.decidedAt).toBeGreaterThan(0);
    expect(res.body.allowedActions).toEqual([]);
    const mine = await notices(agent);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ kind: 'warning', inspectionId: id, amountFen: null });
    expect(mine.body.items[0]?.message).toContain('跨区销售，首次警告');
    expect(mine.body.supplyStopped).toBe(false);
    expect((await notices(other)).body.items).toEqual([]);
    expectError(await api('/api/agent/notices', { token: adminToken }), 403, 'FORBIDDEN');
    expectError(await api('/api/agent/notices'), 401, 'UNAUTHENTICATED');
    expect(await auditActions(agent.id)).toContain('inspection.warn');
  });

  it('a closed case answers 409 INSPECTION_CLOSED and changes nothing', async () => {
    const agent = await createAgent(4);
    const id = await flag(agent.id);
    expect((await decide(id, { action: 'dismiss', reason: '误报' })).body.status).toBe('dismissed');
    expect((await notices(agent)).body.items).toEqual([]);
    const before = await snapshot();
    expectError(await decide(id, { action: 'warn', reason: '再次处理' }), 409, 'INSPECTION_CLOSED');
    expectError(await decide(id, { action: 'fine', reason: '再次处理', fineFen: 100 }), 409, 'INSPECTION_CLOSED');
    expect(await snapshot()).toBe(before);
  });

  it('of concurrent decisions on one case exactly one is applied', async () => {
    const agent = await createAgent(4);
    const id = await flag(agent.id);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => decide(id, { action: 'fine', reason: `并发罚款 ${i}`, fineFen: 1_000 })),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 'INSPECTION_CLOSED');
    expect(await balance(account.available(agent.id))).toBe(-1_000);
    expect((await notices(agent)).body.items).toHaveLength(1);
    await expectLedgerBalanced();
  });

  it('fine: the available balance drops by exactly the fine into the brand’s fines, a debt blocks withdrawals', async () => {
    const agent = await createAgent(3);
    await credit(agent.id, 5_000);
    const id = await priceReport(agent);
    const finesBefore = await balance(account.fines);
    const res = await decide(id, { action: 'fine', reason: '低价倾销', fineFen: 12_000 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'fined', fineFen: 12_000, resolution: '低价倾销' });
    expect(await balance(account.available(agent.id))).toBe(5_000 - 12_000);
    expect((await balance(account.fines)) - finesBefore).toBe(12_000);
    await expectLedgerBalanced();
    const wallet = await api<{ availableFen: number; debtFen: number }>('/api/agents/me/wallet', {
      token: agent.token,
    });
    expect(wallet.body).toMatchObject({ availableFen: -7_000, debtFen: 7_000 });
    const statement = await api<Page<{ kind: string; amountFen: number; memo: string }>>(
      '/api/agents/me/statement?account=available',
      { token: agent.token },
    );
    expect(statement.body.items[0]).toMatchObject({ kind: 'fine', amountFen: -12_000, memo: '低价倾销' });
    expectError(
      await api('/api/withdrawals', { body: { amountFen: 10_000 }, token: agent.token }),
      409,
      'DEBT_OUTSTANDING',
    );
    const [notice] = (await notices(agent)).body.items;
    expect(notice).toMatchObject({ kind: 'fine', amountFen: 12_000, inspectionId: id });
    expect(notice?.message).toContain('¥120.00');
    expect(await auditActions(agent.id)).toContain('inspection.fine');
  });

  it('refuses a fine without an amount, an amount on anything else and a short reason, writing nothing', async () => {
    const agent = await createAgent(4);
    const id = await flag(agent.id);
    const before = await snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [{ action: 'fine', reason: '低价倾销' }, 'fineFen'],
      [{ action: 'fine', reason: '低价倾销', fineFen: 0 }, 'fineFen'],
      [{ action: 'fine', reason: '低价倾销', fineFen: 10_000_001 }, 'fineFen'],
      [{ action: 'fine', reason: '低价倾销', fineFen: 10.5 }, 'fineFen'],
      [{ action: 'warn', reason: '低价倾销', fineFen: 100 }, 'fineFen'],
      [{ action: 'warn', reason: '低' }, 'reason'],
      [{ action: 'ban', reason: '低价倾销' }, 'action'],
    ];
    for (const [body, field] of cases) {
      const res = await decide(id, body);
      expectError(res, 400, 'VALIDATION_FAILED', field);
      expect((res.body as unknown as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await snapshot()).toBe(before);
  });

  it('stop_supply: restocks are refused until the brand resumes supply', async () => {
    const agent = await createAgent(1);
    expect((await restock(agent)).status).toBe(201);
    const id = await flag(agent.id);
    const res = await decide(id, { action: 'stop_supply', reason: '多次串货' });
    expect(res.body).toMatchObject({ status: 'supply_stopped', agent: { supplyStopped: true } });
    expectError(await restock(agent), 409, 'SUPPLY_STOPPED');
    const stopped = await notices(agent);
    expect(stopped.body.supplyStopped).toBe(true);
    expect(stopped.body.items[0]).toMatchObject({ kind: 'supply_stopped', inspectionId: id });

    const resumed = await api<Case['agent']>(`/api/brand/agents/${agent.id}/supply`, {
      body: { stopped: false, reason: '已整改' },
      token: adminToken,
    });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body.supplyStopped).toBe(false);
    expect((await restock(agent)).status).toBe(201);
    expectError(
      await api(`/api/brand/agents/${agent.id}/supply`, {
        body: { stopped: false, reason: '再次恢复' },
        token: adminToken,
      }),
      409,
      'INVALID_STATE',
    );
    const after = await notices(agent);
    expect(after.body.supplyStopped).toBe(false);
    expect(after.body.items.map((n) => n.kind)).toEqual(['supply_resumed', 'supply_stopped']);
    expect(await auditActions(agent.id)).toEqual(
      expect.arrayContaining(['inspection.stop_supply', 'agent.supply_resume']),
    );
  });

  it('the brand stops and resumes supply outside a case, telling the agent', async () => {
    const agent = await createAgent(1);
    const res = await api<Case['agent']>(`/api/brand/agents/${agent.id}/supply`, {
      body: { stopped: true, reason: '库存盘点期间停货' },
      token: adminToken,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: agent.id, supplyStopped: true });
    expectError(await restock(agent), 409, 'SUPPLY_STOPPED');
    expectError(
      await api(`/api/brand/agents/${agent.id}/supply`, {
        body: { stopped: true, reason: '再次停货' },
        token: adminToken,
      }),
      409,
      'INVALID_STATE',
    );
    const [notice] = (await notices(agent)).body.items;
    expect(notice).toMatchObject({ kind: 'supply_stopped', inspectionId: null });
    expect(notice?.message).toContain('库存盘点期间停货');
    expectError(
      await api(`/api/brand/agents/agt_00000000000000000000000000/supply`, {
        body: { stopped: true, reason: '停货处理' },
        token: adminToken,
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('revoke: the certificate shows revoked, the direct downline moves to the supplier, sessions end', async () => {
    const top = await createAgent(1);
    const culprit = await createAgent(3, top);
    const downline = await createAgent(5, culprit);
    const me = await api<{ certificateNumber: string }>('/api/agents/me', { token: culprit.token });
    const cert = me.body.certificateNumber;
    expect((await api<{ status: string }>(`/api/certificates/lookup?number=${cert}`)).body.status).toBe('valid');
    const id = await flag(culprit.id);
    const res = await decide(id, { action: 'revoke', reason: '严重串货，撤销授权' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'revoked', agent: { status: 'revoked' } });
    expect((await api<{ status: string }>(`/api/certificates/lookup?number=${cert}`)).body.status).toBe('revoked');
    const moved = await api<{ supplierId: string | null }>(`/api/agents/${downline.id}`, { token: adminToken });
    expect(moved.body.supplierId).toBe(top.id);
    expectError(await api('/api/agents/me', { token: culprit.token }), 401, 'UNAUTHENTICATED');
    const notice = await env.DB.prepare('SELECT kind FROM agent_notices WHERE inspection_id = ?')
      .bind(id)
      .first<{ kind: string }>();
    expect(notice?.kind).toBe('revoked');
    expect(await auditActions(culprit.id)).toEqual(expect.arrayContaining(['agent.revoke', 'inspection.revoke']));

    // Another open case of a revoked agent can only be dismissed or fined.
    const later = await flag(culprit.id);
    const got = await api<Case>(`/api/brand/inspections/${later}`, { token: adminToken });
    expect(got.body.allowedActions).toEqual(['dismiss', 'fine']);
    expectError(await decide(later, { action: 'revoke', reason: '再次撤销' }), 409, 'INVALID_STATE');
  });
});

describe('policing rules', () => {
  it('finds the agent code in a code or a pasted shop link, and nothing else', () => {
    expect(agentCodeIn(' K3M9X2QA ')).toBe('k3m9x2qa');
    expect(agentCodeIn('https://shop.example.com/s/k3m9x2qa?from=moments')).toBe('k3m9x2qa');
    expect(agentCodeIn('看这个 https://shop.example.com/s/k3m9x2qa')).toBe('k3m9x2qa');
    expect(agentCodeIn('https://shop.example.com/s/k3m9x2qa9')).toBeNull();
    expect(agentCodeIn('k3m9x2q')).toBeNull();
  });

  it('acts only on open cases; a revoked agent’s case can only be dismissed or fined', () => {
    expect(allowedActions('warned', 'active')).toEqual([]);
    expect(allowedActions('open', 'suspended')).toEqual(['dismiss', 'warn', 'fine', 'stop_supply', 'revoke']);
    expect(allowedActions('open', 'revoked')).toEqual(['dismiss', 'fine']);
  });

  it('words a fine with its amount and the cause, without doubling the reason’s full stop', () => {
    const text = noticeMessage('fine', { reason: '低价倾销。', fineFen: 50_000, cause: 'price_report' });
    expect(text).toContain('¥500.00');
    expect(text).toContain('乱价');
    expect(text).toContain('低价倾销。罚款');
  });
});
