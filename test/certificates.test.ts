import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { admin, api, createAgent, expectError, freshIp } from './helpers';

interface PublicCert {
  number: string;
  name: string;
  phone: string;
  level: number;
  levelName: string;
  region: string;
  validFrom: number;
  validUntil: number;
  status: string;
  brandName: string;
}

async function agentWithCert(name = '张三丰') {
  const agent = await createAgent(3, undefined, name);
  const me = await api<{ certificateNumber: string }>('/api/agents/me', { token: agent.token });
  return { agent, number: me.body.certificateNumber };
}

describe('GET /api/certificates/lookup', () => {
  it('finds the certificate by number, WeChat ID or phone and shows only masked fields', async () => {
    const { agent, number } = await agentWithCert('张三丰');
    expect(number).toMatch(/^AG\d{4}[0-9A-HJKMNP-TV-Z]{16}$/);
    const ip = freshIp();
    for (const query of [`number=${number}`, `wechat=${agent.wechat}`, `phone=${agent.phone}`]) {
      const res = await api<PublicCert>(`/api/certificates/lookup?${query}`, { headers: { 'cf-connecting-ip': ip } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(
        [
          'brandName',
          'level',
          'levelName',
          'name',
          'number',
          'phone',
          'region',
          'status',
          'validFrom',
          'validUntil',
        ].sort(),
      );
      expect(res.body).toMatchObject({
        number,
        name: '张*丰',
        level: 3,
        levelName: '省代',
        region: '浙江省杭州市',
        status: 'valid',
      });
      expect(res.body.phone).toBe(`${agent.phone.slice(0, 3)}****${agent.phone.slice(-4)}`);
      expect(JSON.stringify(res.body)).not.toContain(agent.wechat);
      expect(res.body.validUntil - res.body.validFrom).toBe(365 * 86_400_000);
    }
  });

  it('accepts a lower-case number, and a miss never says which field was wrong', async () => {
    const { number } = await agentWithCert();
    expect((await api(`/api/certificates/lookup?number=${number.toLowerCase()}`)).status).toBe(200);
    const misses = [
      await api('/api/certificates/lookup?number=AG2026ZZZZZZZZZZZZZZZZ'),
      await api('/api/certificates/lookup?wechat=nobody_here'),
      await api('/api/certificates/lookup?phone=13000000000'),
    ];
    for (const miss of misses) expectError(miss, 404, 'CERTIFICATE_NOT_FOUND');
    const messages = new Set(misses.map((m) => (m.body as { error: { message: string } }).error.message));
    expect(messages.size).toBe(1);
    for (const miss of misses) expect((miss.body as { error: { field?: string } }).error.field).toBeUndefined();
  });

  it('needs exactly one well-formed criterion', async () => {
    expectError(await api('/api/certificates/lookup'), 400, 'VALIDATION_FAILED');
    expectError(await api('/api/certificates/lookup?phone=13800000000&wechat=abcdefg'), 400, 'VALIDATION_FAILED');
    expectError(await api('/api/certificates/lookup?phone=12'), 400, 'VALIDATION_FAILED', 'phone');
    expectError(await api("/api/certificates/lookup?number=AG'%20OR%201=1"), 400, 'VALIDATION_FAILED', 'number');
  });

  it('reports expiry once the validity has passed', async () => {
    const { agent, number } = await agentWithCert();
    const past = Date.now() - 1000;
    await env.DB.prepare('UPDATE certificates SET valid_from = ?, valid_until = ? WHERE agent_id = ?')
      .bind(past - 365 * 86_400_000, past, agent.id)
      .run();
    expect((await api<PublicCert>(`/api/certificates/lookup?number=${number}`)).body.status).toBe('expired');
  });

  it('rate limits bursts from one address with 429 and Retry-After', async () => {
    const { number } = await agentWithCert();
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const res = await api(`/api/certificates/lookup?number=${number}`, { headers: { 'cf-connecting-ip': ip } });
      statuses.push(res.status);
      if (res.status === 429) {
        expectError(res, 429, 'RATE_LIMITED');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // Another address is unaffected.
    expect(
      (await api(`/api/certificates/lookup?number=${number}`, { headers: { 'cf-connecting-ip': freshIp() } })).status,
    ).toBe(200);
  });

  it('reads at most five rows: one round trip to answer, one write of the lookup log after it', async () => {
    const { agent, number } = await agentWithCert();
    for (const query of [`number=${number}`, `phone=${agent.phone}`, `wechat=${agent.wechat}`]) {
      const res = await api(`/api/certificates/lookup?${query}`, { headers: { 'cf-connecting-ip': freshIp() } });
      expect(Number(res.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);
      expect(Number(res.headers.get('x-d1-rows-read'))).toBeLessThanOrEqual(5);
    }
  });
});

describe('certificate lookup log and image', () => {
  it('the agent sees when and from where its certificate was looked up', async () => {
    const { agent, number } = await agentWithCert();
    await api(`/api/certificates/lookup?number=${number}`, {
      cf: { country: 'CN', region: 'Zhejiang', regionCode: 'ZJ', city: 'Hangzhou' },
    });
    await api(`/api/certificates/lookup?phone=${agent.phone}`);
    // The log is written after the answer, so wait for both entries.
    let log = await api<{ items: { via: string; region: string | null; at: number }[] }>(
      '/api/agents/me/certificate/lookups',
      {
        token: agent.token,
      },
    );
    for (let i = 0; i < 50 && log.body.items.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      log = await api('/api/agents/me/certificate/lookups', { token: agent.token });
    }
    expect(log.body.items.map((l) => l.via)).toEqual(['phone', 'number']);
    expect(log.body.items[1]?.region).toBe('浙江 Hangzhou');
  });

  it('renders the SVG in full for the agent and the brand, masked for the public', async () => {
    const { agent, number } = await agentWithCert('欧阳明月');
    const pub = await api<string>(`/api/certificates/${number}/image.svg`);
    expect(pub.status).toBe(200);
    expect(pub.headers.get('content-type')).toContain('image/svg+xml');
    expect(pub.body).toContain('欧**月');
    expect(pub.body).not.toContain('欧阳明月');
    expect(pub.body).not.toContain(agent.wechat);
    expect(pub.body).not.toContain(`${agent.wechat.slice(0, 2)}****`);
    for (const token of [agent.token, await admin()]) {
      const own = await api<string>(`/api/certificates/${number}/image.svg`, { token });
      expect(own.body).toContain('欧阳明月');
      expect(own.body).toContain(number);
    }
    expectError(await api('/api/certificates/AG2026ZZZZZZZZZZZZZZZZ/image.svg'), 404, 'CERTIFICATE_NOT_FOUND');
  });
});

describe('certificate image and lookups as people type them', () => {
  it('prints the agent’s WeChat ID on its own copy, never cached; the public copy revalidates and follows a revoke', async () => {
    const { agent, number } = await agentWithCert('林清玄');
    const url = `/api/certificates/${number}/image.svg`;
    const own = await api<string>(url, { token: agent.token });
    expect(own.body).toContain(agent.wechat);
    expect(own.headers.get('cache-control')).toBe('private, no-store');
    // The public copy must not be served to the signed-in reader from a shared cache entry, nor kept stale.
    const pub = await api<string>(url);
    expect(pub.body).not.toContain(agent.wechat);
    expect(pub.headers.get('cache-control')).toBe('public, no-cache');
    expect(pub.headers.get('vary')).toContain('Cookie');
    const etag = pub.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const same = await api<string>(url, { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    const revoked = await api(`/api/agents/${agent.id}/revoke`, { body: { reason: '违规乱价' }, token: await admin() });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const after = await api<string>(url, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.body).toContain('已撤销');
  });

  it('finds a WeChat ID whatever its case and a phone typed with spaces or +86', async () => {
    const { agent, number } = await agentWithCert();
    const ip = freshIp();
    const spaced = `${agent.phone.slice(0, 3)} ${agent.phone.slice(3, 7)} ${agent.phone.slice(7)}`;
    for (const query of [
      `wechat=${agent.wechat.toUpperCase()}`,
      `wechat=${agent.wechat.toLowerCase()}`,
      `phone=${encodeURIComponent(spaced)}`,
      `phone=${encodeURIComponent(`+86 ${agent.phone}`)}`,
    ]) {
      const res = await api<PublicCert>(`/api/certificates/lookup?${query}`, { headers: { 'cf-connecting-ip': ip } });
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.number).toBe(number);
      expect(Number(res.headers.get('x-d1-rows-read'))).toBeLessThanOrEqual(5);
    }
  });
});
