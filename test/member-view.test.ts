import { describe, expect, it } from 'vitest';
import { admin, api, createAgent, freshIp, PASSWORD, sessionToken, uniquePhone, withSmsCode } from './helpers';

describe('GET /api/members/{id}', () => {
  it('shows the brand a member’s name and phone instead of its id, and nobody else', async () => {
    const brand = await admin();
    const agent = await createAgent(6);
    const phone = uniquePhone();
    const signup = await api('/api/members', {
      body: await withSmsCode({ phone, name: '会员庚', password: PASSWORD, ref: agent.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    const me = await api<{ id: string }>('/api/members/me', { token: sessionToken(signup) });
    expect(me.status).toBe(200);
    const res = await api(`/api/members/${me.body.id}`, { token: brand });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: '会员庚', phone, boundAgentId: agent.id });
    expect((await api(`/api/members/${me.body.id}`, { token: agent.token })).status).toBe(403);
    expect((await api(`/api/members/${me.body.id}`, { token: sessionToken(signup) })).status).toBe(403);
    expect((await api('/api/members/mem_00000000000000000000000000', { token: brand })).status).toBe(404);
  });
});
