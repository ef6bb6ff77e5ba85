import { describe, expect, it } from 'vitest';
import { workerFetch } from './helpers';

describe('GET /api/health', () => {
  it('reports the version and a reachable database', async () => {
    const res = await workerFetch('http://agentry.test/api/health');
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; database: string; version: string }>();
    expect(body).toMatchObject({ status: 'ok', database: 'ok', version: '0.1.0' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown API routes with a 404 JSON error', async () => {
    const res = await workerFetch('http://agentry.test/api/nope');
    expect(res.status).toBe(404);
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('ROUTE_NOT_FOUND');
    expect(body.error.message).toBe('接口不存在');
  });
});
