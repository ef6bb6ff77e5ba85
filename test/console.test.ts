import { describe, expect, it } from 'vitest';
import { admin, api, createAgent, expectError, snapshot } from './helpers';

interface Material {
  id: string;
  title: string;
  body: string;
  images: string[];
}

describe('素材库 /api/materials', () => {
  it('the brand posts copy and pictures, every agent reads them newest first, the brand takes one down', async () => {
    const brand = await admin();
    const agent = await createAgent(6);
    const first = await api<Material>('/api/materials', {
      body: { title: '新品上市', body: '今天到货，欢迎咨询。\n正品授权，可查证。', images: ['/images/p1.jpg'] },
      token: brand,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await api<Material>('/api/materials', {
      body: { title: '护肤小贴士', body: '早晚各一次。' },
      token: brand,
    });
    expect(second.status).toBe(201);
    expect(second.body.images).toEqual([]);

    const page = await api<{ items: Material[]; nextCursor: string | null }>('/api/materials?limit=1', {
      token: agent.token,
    });
    expect(page.status).toBe(200);
    expect(page.body.items.map((m) => m.title)).toEqual(['护肤小贴士']);
    const rest = await api<{ items: Material[] }>(`/api/materials?limit=1&cursor=${page.body.nextCursor}`, {
      token: agent.token,
    });
    expect(rest.body.items).toEqual([
      expect.objectContaining({
        title: '新品上市',
        body: '今天到货，欢迎咨询。\n正品授权，可查证。',
        images: ['/images/p1.jpg'],
      }),
    ]);

    expect((await api(`/api/materials/${second.body.id}`, { method: 'DELETE', token: brand })).status).toBe(204);
    const after = await api<{ items: Material[] }>('/api/materials?limit=100', { token: agent.token });
    expect(after.body.items.map((m) => m.id)).not.toContain(second.body.id);
    expectError(await api(`/api/materials/${second.body.id}`, { method: 'DELETE', token: brand }), 404, 'NOT_FOUND');
  });

  it('refuses agents posting or removing, anonymous readers, and bad input, writing nothing', async () => {
    const brand = await admin();
    const agent = await createAgent(6);
    const posted = await api<Material>('/api/materials', { body: { title: '素材', body: '文案' }, token: brand });
    const before = await snapshot();
    expectError(
      await api('/api/materials', { body: { title: '我的', body: '文案' }, token: agent.token }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api(`/api/materials/${posted.body.id}`, { method: 'DELETE', token: agent.token }),
      403,
      'FORBIDDEN',
    );
    expectError(await api('/api/materials'), 401, 'UNAUTHENTICATED');
    expectError(
      await api('/api/materials', { body: { title: ' ', body: '文案' }, token: brand }),
      400,
      'VALIDATION_FAILED',
      'title',
    );
    expectError(
      await api('/api/materials', {
        body: { title: '图', body: '文案', images: ['javascript:alert(1)'] },
        token: brand,
      }),
      400,
      'VALIDATION_FAILED',
    );
    const en = await api<{ error: { message: string } }>('/api/materials', {
      body: { title: '图', body: '' },
      token: brand,
      headers: { 'accept-language': 'en' },
    });
    expectError(en, 400, 'VALIDATION_FAILED', 'body');
    expect(en.body.error.message).toMatch(/[A-Za-z]/);
    expect(await snapshot()).toBe(before);
  });
});
