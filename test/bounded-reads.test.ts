import { describe, expect, it } from 'vitest';
import { api, createAgent, freshIp, uniquePhone, uniqueWechat } from './helpers';

// D1 bills rows read; these hot paths must stay within their budgets whatever the size of the network
// (bench/ measures the same on 100,000 agents).
function cost(res: { headers: Headers }) {
  return { rows: Number(res.headers.get('x-d1-rows-read')), trips: Number(res.headers.get('x-d1-round-trips')) };
}

describe('rows read on hot paths', () => {
  it('placement through a six-deep chain reads at most 50 rows', async () => {
    let recruiter = await createAgent(1);
    for (const level of [2, 3, 4, 5, 6]) recruiter = await createAgent(level, recruiter);
    for (const level of [6, 1]) {
      const res = await api('/api/applications', {
        body: {
          inviteCode: recruiter.code,
          name: '孙八',
          phone: uniquePhone(),
          wechat: uniqueWechat(),
          region: '广东省深圳市',
          level,
          password: 'demo1234',
        },
        headers: { 'cf-connecting-ip': freshIp() },
      });
      expect(res.status).toBe(201);
      expect(cost(res).rows).toBeGreaterThan(0);
      expect(cost(res).rows).toBeLessThanOrEqual(50);
    }
  });

  it('a team summary takes at most two round trips and 100 rows', async () => {
    const top = await createAgent(1);
    const mid = await createAgent(3, top);
    for (let i = 0; i < 4; i++) await createAgent(6, mid);
    const res = await api<{ total: number }>('/api/agents/me/team/summary', { token: top.token });
    expect(res.body.total).toBe(5);
    expect(cost(res).trips).toBeLessThanOrEqual(2);
    expect(cost(res).rows).toBeLessThanOrEqual(100);
  });
});
