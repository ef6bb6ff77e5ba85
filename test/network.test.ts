import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { admin, api, apply, createAgent, expectError, login, race } from './helpers';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface AgentRow {
  id: string;
  level: number;
  status: string;
  supplierId: string | null;
}
interface Summary {
  total: number;
  byLevel: { level: number; count: number }[];
}

async function teamIds(of: string, token: string, query = ''): Promise<string[]> {
  const res = await api<Page<AgentRow>>(`/api/agents/${of}/team?limit=100${query}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.map((a) => a.id);
}

async function summary(of: string, token: string): Promise<Record<number, number>> {
  const res = await api<Summary>(`/api/agents/${of}/team/summary`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return Object.fromEntries(res.body.byLevel.map((l) => [l.level, l.count]));
}

// top(1) → s(2) → r(4) → d(5) → e(6), and f(6) directly under s.
async function tree() {
  const top = await createAgent(1);
  const s = await createAgent(2, top);
  const r = await createAgent(4, s);
  const d = await createAgent(5, r);
  const e = await createAgent(6, d);
  const f = await createAgent(6, s);
  return { top, s, r, d, e, f };
}

describe('team views', () => {
  it('lists the whole team, the direct downline, counts per level and the chain', async () => {
    const { top, s, r, d, e, f } = await tree();
    expect((await teamIds(top.id, top.token)).sort()).toEqual([s.id, r.id, d.id, e.id, f.id].sort());
    expect((await teamIds('me', s.token)).sort()).toEqual([r.id, d.id, e.id, f.id].sort());
    const direct = await api<Page<AgentRow>>('/api/agents/me/downline', { token: s.token });
    expect(direct.body.items.map((a) => a.id).sort()).toEqual([r.id, f.id].sort());
    expect(await summary('me', top.token)).toEqual({ 2: 1, 4: 1, 5: 1, 6: 2 });
    const chain = await api<{ links: { id: string }[]; reachesBrand: boolean }>('/api/agents/me/chain', {
      token: e.token,
    });
    expect(chain.body.links.map((l) => l.id)).toEqual([top.id, s.id, r.id, d.id, e.id]);
    expect(chain.body.reachesBrand).toBe(true);
    // An upline sees the chain of a team member only from itself down.
    const cut = await api<{ links: { id: string }[]; reachesBrand: boolean }>(`/api/agents/${e.id}/chain`, {
      token: r.token,
    });
    expect(cut.body.links.map((l) => l.id)).toEqual([r.id, d.id, e.id]);
    expect(cut.body.reachesBrand).toBe(false);
  });

  it('filters by level and status, searches by name and phone, and pages with a cursor', async () => {
    const { top, e, f } = await tree();
    expect((await teamIds(top.id, top.token, '&level=6')).sort()).toEqual([e.id, f.id].sort());
    expect(await teamIds(top.id, top.token, `&q=${e.phone.slice(0, 11)}`)).toEqual([e.id]);
    const named = await createAgent(6, top, '欧阳娜娜');
    expect(await teamIds(top.id, top.token, `&q=${encodeURIComponent('阳娜')}`)).toEqual([named.id]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page<AgentRow> } = await api<Page<AgentRow>>(
        `/api/agents/${top.id}/team?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: top.token },
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((a) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it('the brand sees every agent and its own counts', async () => {
    const { top } = await tree();
    const brand = await admin();
    const all = await api<Page<AgentRow>>(`/api/agents?q=${top.phone}`, { token: brand });
    expect(all.body.items.map((a) => a.id)).toEqual([top.id]);
    const counts = await api<Summary>('/api/agents/brand/team/summary', { token: brand });
    expect(counts.body.total).toBeGreaterThanOrEqual(6);
    expectError(await api('/api/agents/brand/team/summary', { token: top.token }), 403, 'FORBIDDEN');
  });
});

describe('POST /api/agents/{id}/level', () => {
  async function setLevel(id: string, level: number) {
    return api<AgentRow>(`/api/agents/${id}/level`, { body: { level, reason: '业绩达标' }, token: await admin() });
  }

  it('an upgrade to the supplier’s level moves the agent, with its whole subtree, under the next higher agent', async () => {
    const { top, s, r, d, e, f } = await tree();
    const res = await setLevel(r.id, 2);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ level: 2, supplierId: top.id });
    // r keeps its downline; s loses r's whole subtree; top keeps everyone.
    expect((await teamIds('me', r.token)).sort()).toEqual([d.id, e.id].sort());
    expect(await teamIds('me', s.token)).toEqual([f.id]);
    expect((await teamIds('me', top.token)).sort()).toEqual([s.id, r.id, d.id, e.id, f.id].sort());
    expect(await summary('me', s.token)).toEqual({ 6: 1 });
    expect(await summary('me', top.token)).toEqual({ 2: 2, 5: 1, 6: 2 });
    const chain = await api<{ links: { id: string }[] }>('/api/agents/me/chain', { token: e.token });
    expect(chain.body.links.map((l) => l.id)).toEqual([top.id, r.id, d.id, e.id]);
    // s can no longer see r.
    expectError(await api(`/api/agents/${r.id}`, { token: s.token }), 404, 'NOT_FOUND');
  });

  it('an upgrade to the top level leaves it supplied by the brand', async () => {
    const { top, s, d } = await tree();
    const res = await setLevel(s.id, 1);
    expect(res.body).toMatchObject({ level: 1, supplierId: null });
    expect(await teamIds('me', top.token)).toEqual([]);
    expect(await summary('me', top.token)).toEqual({});
    expect(await teamIds('me', s.token)).toContain(d.id);
  });

  it('an upgrade that stays below the supplier keeps the supplier', async () => {
    const { s, r } = await tree();
    const res = await setLevel(r.id, 3);
    expect(res.body).toMatchObject({ level: 3, supplierId: s.id });
    expect(await summary('me', s.token)).toEqual({ 3: 1, 5: 1, 6: 2 });
  });

  it('a downgrade that would put it at or below a direct downline is refused and changes nothing', async () => {
    const { r } = await tree();
    expectError(await setLevel(r.id, 5), 409, 'LEVEL_CONFLICT', 'level');
    expect((await api<AgentRow>(`/api/agents/${r.id}`, { token: r.token })).body.level).toBe(4);
  });

  it('a downgrade racing the approval of a new direct downline never leaves it supplied from its own level or below', async () => {
    // The downgrade reads the downline before the approval commits; its write must still see the new agent. One of
    // the two starts a few D1 round trips after the other, so in some rounds the approval lands between the
    // downgrade's read and its write.
    const brand = await admin();
    const top = await createAgent(1);
    const s = await createAgent(2, top);
    for (let shift = -6; shift <= 6; shift++) {
      const r = await createAgent(3, s);
      const app = await apply({ level: 4, inviteCode: r.code });
      const [approved, down] = await race(
        shift,
        () => api(`/api/applications/${app.id}/approve`, { method: 'POST', token: r.token }),
        () => api<AgentRow>(`/api/agents/${r.id}/level`, { body: { level: 4, reason: '业绩下滑' }, token: brand }),
      );
      const [row] = (
        await env.DB.prepare(
          `SELECT count(*) AS n FROM agents a JOIN agents sup ON sup.id = a.supplier_id
           WHERE a.status <> 'revoked' AND sup.level >= a.level`,
        ).all<{ n: number }>()
      ).results;
      expect(row?.n, `shift ${shift}: downgrade ${down.status}, approval ${approved.status}`).toBe(0);
      expect([down.status, approved.status], `shift ${shift}`).toContain(200);
    }
  });

  it('an unknown level is refused', async () => {
    const { r } = await tree();
    await api('/api/brand/levels', {
      method: 'PUT',
      token: await admin(),
      body: { levels: [1, 2, 3, 4, 5, 6].map((rank) => ({ rank, name: `L${rank}x`, firstOrderFen: 0 })) },
    });
    expectError(await setLevel(r.id, 8), 400, 'UNKNOWN_LEVEL', 'level');
  });
});

describe('suspension and revocation', () => {
  it('a suspended agent keeps signing in, its certificate shows suspended, it cannot approve; resume restores it', async () => {
    const { r, d } = await tree();
    const brand = await admin();
    const me = await api<{ certificateNumber: string }>('/api/agents/me', { token: d.token });
    const res = await api<AgentRow>(`/api/agents/${d.id}/suspend`, { body: { reason: '乱价' }, token: brand });
    expect(res.body.status).toBe('suspended');
    const cert = await api<{ status: string }>(`/api/certificates/lookup?number=${me.body.certificateNumber}`);
    expect(cert.body.status).toBe('suspended');
    expect((await api('/api/agents/me', { token: d.token })).status).toBe(200);
    expect(await teamIds('me', r.token, '&status=suspended')).toEqual([d.id]);
    expectError(
      await api(`/api/agents/${d.id}/suspend`, { body: { reason: '再次' }, token: brand }),
      409,
      'INVALID_STATE',
    );
    expect(
      (await api<AgentRow>(`/api/agents/${d.id}/resume`, { body: { reason: '已整改' }, token: brand })).body.status,
    ).toBe('active');
    expect(
      (await api<{ status: string }>(`/api/certificates/lookup?number=${me.body.certificateNumber}`)).body.status,
    ).toBe('valid');
  });

  it('revocation is final: sessions end, sign-in is refused, the downline moves to the supplier, counts drop', async () => {
    const { top, s, r, d, e } = await tree();
    const brand = await admin();
    const cert = (await api<{ certificateNumber: string }>('/api/agents/me', { token: r.token })).body
      .certificateNumber;
    const res = await api<AgentRow>(`/api/agents/${r.id}/revoke`, { body: { reason: '严重违规' }, token: brand });
    expect(res.body.status).toBe('revoked');
    expectError(await api('/api/agents/me', { token: r.token }), 401, 'UNAUTHENTICATED');
    const relogin = await api('/api/auth/login', { body: { role: 'agent', account: r.phone, password: 'demo1234' } });
    expectError(relogin, 403, 'ACCOUNT_REVOKED');
    expect((await api<AgentRow>(`/api/agents/${d.id}`, { token: s.token })).body.supplierId).toBe(s.id);
    expect((await teamIds('me', s.token, '&status=active')).sort()).toContain(e.id);
    expect(await summary('me', top.token)).toEqual({ 2: 1, 5: 1, 6: 2 });
    expect((await api<{ status: string }>(`/api/certificates/lookup?number=${cert}`)).body.status).toBe('revoked');
    expectError(
      await api(`/api/agents/${r.id}/resume`, { body: { reason: '恢复' }, token: brand }),
      409,
      'INVALID_STATE',
    );
    // d can now be approved-for and supplied by s.
    const t = await createAgent(6, d);
    expect(t.supplierId).toBe(d.id);
    expect(await teamIds('me', s.token)).toContain(t.id);
  });

  it('only the brand changes an agent’s status or level', async () => {
    const { top, s } = await tree();
    for (const path of ['suspend', 'resume', 'revoke']) {
      expectError(
        await api(`/api/agents/${s.id}/${path}`, { body: { reason: 'x' }, token: top.token }),
        403,
        'FORBIDDEN',
      );
    }
    expectError(
      await api(`/api/agents/${s.id}/level`, { body: { level: 1, reason: 'x' }, token: top.token }),
      403,
      'FORBIDDEN',
    );
    const again = await login('agent', s.phone);
    expect(again).toBeTruthy();
  });
});
