import { describe, expect, it } from 'vitest';
import { admin, api, apply, createAgent, expectError, rowCount, type TestAgent } from './helpers';

interface AgentBody {
  id: string;
  supplierId: string | null;
  referrerId: string | null;
  level: number;
  status: string;
}

async function agentOf(id: string, token: string) {
  return (await api<AgentBody>(`/api/agents/${id}`, { token })).body;
}

async function approveAs(appId: string, token: string) {
  return api<{ agentId: string }>(`/api/applications/${appId}/approve`, { method: 'POST', token });
}

// 联创 top → 总代 s → 省代 r: the recruiter r sits at level 3 with two agents above it.
async function chain(): Promise<{ top: TestAgent; s: TestAgent; r: TestAgent }> {
  const top = await createAgent(1);
  const s = await createAgent(2, top);
  const r = await createAgent(3, s);
  return { top, s, r };
}

describe('placement of a new agent', () => {
  it('a lower level is supplied by the recruiter, who approves it', async () => {
    const { r } = await chain();
    const app = await apply({ level: 5, inviteCode: r.code });
    expect(app.approverId).toBe(r.id);
    const res = await approveAs(app.id, r.token);
    expect(res.status).toBe(200);
    const agent = await agentOf(res.body.agentId, r.token);
    expect(agent).toMatchObject({ supplierId: r.id, referrerId: r.id, level: 5, status: 'active' });
  });

  it('the same level is supplied by the nearest strictly higher agent up the chain; the recruiter stays referrer', async () => {
    const { s, r } = await chain();
    const app = await apply({ level: 3, inviteCode: r.code });
    expect(app.approverId).toBe(s.id);
    const res = await approveAs(app.id, s.token);
    expect(res.status).toBe(200);
    expect(await agentOf(res.body.agentId, s.token)).toMatchObject({ supplierId: s.id, referrerId: r.id, level: 3 });
  });

  it('a higher level skips agents of that level and goes to the nearest strictly higher one', async () => {
    const { top, r } = await chain();
    const app = await apply({ level: 2, inviteCode: r.code });
    expect(app.approverId).toBe(top.id);
    const res = await approveAs(app.id, top.token);
    expect(await agentOf(res.body.agentId, top.token)).toMatchObject({
      supplierId: top.id,
      referrerId: r.id,
      level: 2,
    });
  });

  it('with nobody strictly above, the brand supplies and approves', async () => {
    const { r } = await chain();
    const app = await apply({ level: 1, inviteCode: r.code });
    expect(app.approverId).toBeNull();
    const brand = await admin();
    const res = await approveAs(app.id, brand);
    expect(res.status).toBe(200);
    expect(await agentOf(res.body.agentId, brand)).toMatchObject({ supplierId: null, referrerId: r.id, level: 1 });
  });

  it('a suspended agent in the chain is passed over', async () => {
    const { top, s, r } = await chain();
    const brand = await admin();
    expect((await api(`/api/agents/${s.id}/suspend`, { body: { reason: '违规' }, token: brand })).status).toBe(200);
    const app = await apply({ level: 3, inviteCode: r.code });
    expect(app.approverId).toBe(top.id);
  });

  it('a suspended or revoked recruiter’s invite link is refused', async () => {
    const { r } = await chain();
    const brand = await admin();
    await api(`/api/agents/${r.id}/suspend`, { body: { reason: '违规' }, token: brand });
    expectError(await api(`/api/invites/${r.code}`), 400, 'INVITE_INVALID');
    const res = await api('/api/applications', {
      body: {
        inviteCode: r.code,
        name: '李四',
        phone: '13900000001',
        wechat: 'lisi_0001',
        region: '上海市',
        level: 5,
        password: 'demo1234',
      },
    });
    expectError(res, 400, 'INVITE_INVALID', 'inviteCode');
  });
});

describe('POST /api/applications/{id}/approve', () => {
  it('only the supplier chosen by placement may approve; others get 404 and nothing changes', async () => {
    const { top, s, r } = await chain();
    const other = await createAgent(2, top);
    const brand = await admin();
    const app = await apply({ level: 5, inviteCode: r.code });
    for (const token of [s.token, top.token, other.token, brand]) {
      expectError(await approveAs(app.id, token), 404, 'NOT_FOUND');
    }
    expectError(await approveAs(app.id, ''), 401, 'UNAUTHENTICATED');
    expect(await rowCount('SELECT count(*) AS n FROM agents WHERE phone = ?', app.phone)).toBe(0);
    expect((await approveAs(app.id, r.token)).status).toBe(200);
    expectError(await approveAs(app.id, r.token), 409, 'INVALID_STATE');
    expect(await rowCount('SELECT count(*) AS n FROM agents WHERE phone = ?', app.phone)).toBe(1);
  });

  it('an application the brand supplies cannot be approved by an agent', async () => {
    const { top } = await chain();
    const app = await apply({ level: 1, inviteCode: top.code });
    expect(app.approverId).toBeNull();
    expectError(await approveAs(app.id, top.token), 404, 'NOT_FOUND');
  });

  it('concurrent approvals create exactly one agent', async () => {
    const { r } = await chain();
    const app = await apply({ level: 6, inviteCode: r.code });
    const results = await Promise.all(Array.from({ length: 5 }, () => approveAs(app.id, r.token)));
    expect(results.filter((x) => x.status === 200)).toHaveLength(1);
    expect(results.filter((x) => x.status === 409)).toHaveLength(4);
    expect(await rowCount('SELECT count(*) AS n FROM agents WHERE phone = ?', app.phone)).toBe(1);
    expect(
      await rowCount(
        'SELECT count(*) AS n FROM certificates c JOIN agents a ON a.id = c.agent_id WHERE a.phone = ?',
        app.phone,
      ),
    ).toBe(1);
  });

  it('a rejection carries its reason to the applicant, who can follow the status', async () => {
    const { r } = await chain();
    const app = await apply({ level: 6, inviteCode: r.code });
    const pending = await api<{ status: string; approver: { name: string } }>(`/api/applications/${app.id}/status`);
    expect(pending.body.status).toBe('pending');
    expect(pending.body.approver.name).toContain('*');
    const res = await api(`/api/applications/${app.id}/reject`, { body: { reason: '资料不全' }, token: r.token });
    expect(res.status).toBe(200);
    const after = await api<{ status: string; reason: string }>(`/api/applications/${app.id}/status`);
    expect(after.body).toMatchObject({ status: 'rejected', reason: '资料不全' });
  });

  it('a pending applicant who signs in is told the application is under review', async () => {
    const { r } = await chain();
    const app = await apply({ level: 6, inviteCode: r.code });
    const res = await api('/api/auth/login', { body: { role: 'agent', account: app.phone, password: 'demo1234' } });
    expectError(res, 403, 'APPLICATION_PENDING');
  });
});
