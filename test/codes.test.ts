import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { generateChunk } from '../db/codes';
import { newMeter } from '../db/metered';
import { runScheduled } from '../worker/scheduled';
import {
  type Batch,
  type Binding,
  bind,
  createBatch,
  expectWhole,
  generate,
  messageOf,
  type Page,
  readyBatch,
} from './code-helpers';
import { admin, api, BASE, createAgent, expectError, rowCount, snapshot, workerFetch } from './helpers';
import { product } from './order-helpers';

describe('POST /api/brand/code-batches', () => {
  it('creates a small batch ready at once, with serials after the previous batch', async () => {
    const first = await createBatch(10);
    expect(first).toMatchObject({ size: 10, generated: 10, status: 'ready', note: '测试批次' });
    expect(first.productName).toMatch(/^焕颜精华/);
    expect(first.serialEnd).toBe(first.serialStart + 9);
    expect(first.completedAt).toBeGreaterThan(0);
    await expectWhole(first);
    const second = await createBatch(5);
    const highest = await env.DB.prepare(
      'SELECT serial_start + size AS next FROM code_batches WHERE id <> ? ORDER BY serial_start DESC LIMIT 1',
    )
      .bind(second.id)
      .first<{ next: number }>();
    expect(second.serialStart).toBe(highest?.next);
    const codes = await env.DB.prepare('SELECT code FROM codes WHERE batch_id = ?')
      .bind(second.id)
      .all<{ code: string }>();
    for (const { code } of codes.results) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it('generates a multi-chunk batch chunk by chunk and resumes after an interruption', async () => {
    const batch = await createBatch(45_000);
    expect(batch).toMatchObject({ generated: 20_000, status: 'generating', completedAt: null });
    // The browser went away here; a later call resumes where the batch stopped.
    expect(await generate(batch.id)).toMatchObject({ generated: 40_000, status: 'generating' });
    expect(await rowCount('SELECT count(*) AS n FROM codes WHERE batch_id = ?', batch.id)).toBe(40_000);
    const last = await generate(batch.id);
    expect(last).toMatchObject({ generated: 45_000, status: 'ready' });
    expect(last.completedAt).toBeGreaterThan(0);
    await expectWhole(last);
    // A ready batch answers as it is.
    expect(await generate(batch.id)).toEqual(last);
  });

  it('never writes a chunk twice when generate calls overlap', async () => {
    const batch = await createBatch(65_000);
    const answers = await Promise.all([generate(batch.id), generate(batch.id), generate(batch.id)]);
    const stored = await env.DB.prepare('SELECT generated FROM code_batches WHERE id = ?')
      .bind(batch.id)
      .first<{ generated: number }>();
    expect(Math.max(...answers.map((a) => a.generated))).toBe(stored?.generated);
    expect(await rowCount('SELECT count(*) AS n FROM codes WHERE batch_id = ?', batch.id)).toBe(stored?.generated);
    // A writer that read the progress before another chunk landed loses: nothing written, no error.
    const stale = { ...batch, generated: 20_000 };
    expect(await generateChunk(createDb(env.DB, newMeter()), stale)).toBe('lost');
    expect(await rowCount('SELECT count(*) AS n FROM codes WHERE batch_id = ?', batch.id)).toBe(stored?.generated);
    let current = await generate(batch.id);
    while (current.status !== 'ready') current = await generate(batch.id);
    await expectWhole(current);
  });

  it('gives batches created at the same time serial ranges that do not overlap', async () => {
    const prd = await product();
    const made = await Promise.all([3, 4, 5, 6, 7].map((size) => createBatch(size, prd)));
    const ranges = made.map((b) => [b.serialStart, b.serialEnd] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.[0]).toBeGreaterThan(ranges[i - 1]?.[1] ?? 0);
    for (const b of made) await expectWhole(b);
  });

  it('lists batches newest first by product with a cursor, and reads one', async () => {
    const prd = await product();
    const older = await createBatch(3, prd);
    const newer = await createBatch(4, prd);
    const page1 = await api<Page<Batch>>(`/api/brand/code-batches?productId=${prd}&limit=1`, { token: await admin() });
    expect(page1.body.items.map((b) => b.id)).toEqual([newer.id]);
    const page2 = await api<Page<Batch>>(
      `/api/brand/code-batches?productId=${prd}&limit=1&cursor=${page1.body.nextCursor}`,
      { token: await admin() },
    );
    expect(page2.body.items.map((b) => b.id)).toEqual([older.id]);
    expect(page2.body.nextCursor).toBeNull();
    const one = await api<Batch>(`/api/brand/code-batches/${older.id}`, { token: await admin() });
    expect(one.body).toEqual(older);
    expectError(await api(`/api/brand/code-batches/cbt_${'0'.repeat(26)}`, { token: await admin() }), 404, 'NOT_FOUND');
  });

  it('refuses a size out of 1..100,000 and an unknown product, writing nothing', async () => {
    const prd = await product();
    const before = await snapshot();
    for (const size of [0, 100_001, 1.5]) {
      expectError(
        await api('/api/brand/code-batches', { token: await admin(), body: { productId: prd, size } }),
        400,
        'VALIDATION_FAILED',
        'size',
      );
    }
    expectError(
      await api('/api/brand/code-batches', {
        token: await admin(),
        body: { productId: `prd_${'0'.repeat(26)}`, size: 5 },
      }),
      404,
      'NOT_FOUND',
      'productId',
    );
    expect(await snapshot()).toBe(before);
  });

  it('is for the brand only', async () => {
    const agent = await createAgent(2);
    const batch = await createBatch(2);
    const prd = await product();
    for (const token of [agent.token, undefined]) {
      const status = token ? 403 : 401;
      expect((await api('/api/brand/code-batches', { token, body: { productId: prd, size: 1 } })).status).toBe(status);
      expect((await api('/api/brand/code-batches', { token })).status).toBe(status);
      expect((await api(`/api/brand/code-batches/${batch.id}/generate`, { method: 'POST', token })).status).toBe(
        status,
      );
      expect((await api(`/api/brand/code-batches/${batch.id}/codes.csv`, { token })).status).toBe(status);
      expect((await api('/api/brand/code-bindings', { token })).status).toBe(status);
    }
  });
});

describe('the cron', () => {
  it('finishes a batch left half done for more than a minute', async () => {
    const batch = await createBatch(30_000);
    expect(batch.status).toBe('generating');
    // Not yet: it was created a moment ago and its browser may still be driving it.
    await runScheduled(env, Date.now());
    expect((await api<Batch>(`/api/brand/code-batches/${batch.id}`, { token: await admin() })).body.generated).toBe(
      20_000,
    );
    // Each run advances the oldest unfinished batches by a few chunks.
    let done = await api<Batch>(`/api/brand/code-batches/${batch.id}`, { token: await admin() });
    for (let run = 0; run < 10 && done.body.status !== 'ready'; run++) {
      await runScheduled(env, Date.now() + 61_000);
      done = await api<Batch>(`/api/brand/code-batches/${batch.id}`, { token: await admin() });
    }
    expect(done.body).toMatchObject({ generated: 30_000, status: 'ready' });
    await expectWhole(done.body);
  });
});

describe('GET /api/brand/code-batches/{id}/codes.csv', () => {
  it('streams serial, printed code and verification URL for every code, UTF-8 with a BOM', async () => {
    const batch = await readyBatch(5_003);
    const res = await workerFetch(`${BASE}/api/brand/code-batches/${batch.id}/codes.csv`, {
      headers: { authorization: `Bearer ${await admin()}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`codes-${batch.id}.csv`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true, fatal: false }).decode(bytes);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('序列号,防伪码,验证网址');
    expect(lines).toHaveLength(batch.size + 1);
    const [serial, printed, url] = (lines[1] ?? '').split(',');
    expect(serial).toBe(String(batch.serialStart).padStart(10, '0'));
    expect(printed).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(url).toBe(`http://agentry.test/v/${printed?.replaceAll('-', '')}`);
    const stored = await env.DB.prepare('SELECT code FROM codes WHERE serial = ?')
      .bind(batch.serialStart)
      .first<{ code: string }>();
    expect(printed?.replaceAll('-', '')).toBe(stored?.code);
    const lastSerial = (lines[lines.length - 1] ?? '').split(',')[0];
    expect(Number(lastSerial)).toBe(batch.serialEnd);
  });

  it('refuses a batch still generating', async () => {
    const batch = await createBatch(20_001);
    expectError(
      await api(`/api/brand/code-batches/${batch.id}/codes.csv`, { token: await admin() }),
      409,
      'INVALID_STATE',
    );
  });
});

describe('POST /api/brand/code-bindings', () => {
  it('binds a serial range to an agent with its certificate number, lists it, and logs it', async () => {
    const agent = await createAgent(2, undefined, '李四海');
    const batch = await readyBatch(50);
    const res = await bind({ agentId: agent.id, ranges: [{ from: batch.serialStart, to: batch.serialStart + 19 }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      agentId: agent.id,
      agentName: '李四海',
      orderId: null,
      count: 20,
      serialFrom: batch.serialStart,
      serialTo: batch.serialStart + 19,
    });
    expect(res.body.id).toMatch(/^cbd_/);
    const me = await api<{ certificateNumber: string }>('/api/agents/me', { token: agent.token });
    const bound = await env.DB.prepare(
      'SELECT count(*) AS n, min(serial) AS lo, max(serial) AS hi, count(DISTINCT cert_number) AS certs, max(cert_number) AS cert FROM codes WHERE agent_id = ? AND binding_id = ?',
    )
      .bind(agent.id, res.body.id)
      .first();
    expect(bound).toEqual({
      n: 20,
      lo: batch.serialStart,
      hi: batch.serialStart + 19,
      certs: 1,
      cert: me.body.certificateNumber,
    });
    const list = await api<Page<Binding>>(`/api/brand/code-bindings?agentId=${agent.id}`, { token: await admin() });
    expect(list.body.items).toEqual([res.body]);
    const log = await api<{ items: { action: string; detail: { count: number } }[] }>(
      `/api/audit?targetId=${agent.id}`,
      { token: await admin() },
    );
    expect(log.body.items[0]).toMatchObject({ action: 'codes.bind', detail: { count: 20 } });
  });

  it('binds listed codes typed as printed', async () => {
    const agent = await createAgent(2);
    const batch = await readyBatch(5);
    const rows = await env.DB.prepare('SELECT code FROM codes WHERE batch_id = ? ORDER BY serial LIMIT 2')
      .bind(batch.id)
      .all<{ code: string }>();
    const [a, b] = rows.results.map((r) => r.code);
    const printed = `${a?.slice(0, 4)}-${a?.slice(4, 8)} ${a?.slice(8).toLowerCase()}`;
    const res = await bind({ agentId: agent.id, codes: [printed, b, b] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ count: 2, serialFrom: null, serialTo: null });
    expect(await rowCount('SELECT count(*) AS n FROM codes WHERE agent_id = ?', agent.id)).toBe(2);
  });

  it('refuses codes already bound (409) and codes not generated (404), writing nothing', async () => {
    const first = await createAgent(2);
    const second = await createAgent(2);
    const batch = await readyBatch(30);
    const s = batch.serialStart;
    expect((await bind({ agentId: first.id, ranges: [{ from: s + 10, to: s + 14 }] })).status).toBe(201);
    const before = await snapshot();
    const again = await bind({ agentId: second.id, ranges: [{ from: s, to: s + 29 }] });
    expectError(again, 409, 'CODE_ALREADY_BOUND', 'ranges');
    expect(messageOf(again)).toContain(`有 5 个防伪码已发给代理（如序列号 ${String(s + 10).padStart(10, '0')}）`);
    const beyond = await bind({ agentId: second.id, ranges: [{ from: s + 20, to: s + 39 }] });
    expectError(beyond, 404, 'CODES_MISSING', 'ranges');
    expect(messageOf(beyond)).toContain('有 10 个');
    const unknownCode = await bind({ agentId: second.id, codes: ['ZZZZ-ZZZZ-ZZZZ-ZZZZ'] });
    expectError(unknownCode, 404, 'CODES_MISSING', 'codes');
    expect(await snapshot()).toBe(before);
    expect(await rowCount('SELECT count(*) AS n FROM codes WHERE agent_id = ?', second.id)).toBe(0);
  });

  it('refuses malformed input: no codes, reversed or overlapping ranges, too many codes, a bad code', async () => {
    const agent = await createAgent(2);
    const before = await snapshot();
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ agentId: agent.id }, 400, 'VALIDATION_FAILED', 'ranges'],
      [{ agentId: agent.id, ranges: [{ from: 10, to: 5 }] }, 400, 'VALIDATION_FAILED', 'ranges'],
      [
        {
          agentId: agent.id,
          ranges: [
            { from: 1, to: 10 },
            { from: 10, to: 12 },
          ],
        },
        400,
        'VALIDATION_FAILED',
        'ranges',
      ],
      [
        {
          agentId: agent.id,
          ranges: [
            { from: 1, to: 60_000 },
            { from: 70_000, to: 120_000 },
          ],
        },
        400,
        'VALIDATION_FAILED',
        'ranges',
      ],
      [{ agentId: agent.id, codes: ['ABCD-EFGH'] }, 400, 'CODE_MALFORMED', 'codes.0'],
      [{ agentId: `agt_${'0'.repeat(26)}`, ranges: [{ from: 1, to: 1 }] }, 404, 'NOT_FOUND', 'agentId'],
    ];
    for (const [body, status, code, field] of cases) expectError(await bind(body), status, code, field);
    expect(await snapshot()).toBe(before);
  });

  it('binds for the agent’s own paid order holding the codes’ product, and refuses other orders', async () => {
    const agent = await createAgent(1);
    const stranger = await createAgent(1);
    const prd = await product();
    const batch = await readyBatch(10, prd);
    const other = await readyBatch(2);
    const order = await api<{ id: string }>('/api/orders', {
      token: agent.token,
      body: { kind: 'restock', lines: [{ productId: prd, qty: 10 }], paymentMethod: 'offline' },
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const range = { from: batch.serialStart, to: batch.serialEnd };
    expectError(await bind({ agentId: agent.id, orderId: order.body.id, ranges: [range] }), 409, 'INVALID_STATE');
    const paid = await api(`/api/orders/${order.body.id}/confirm-payment`, { method: 'POST', token: await admin() });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expectError(
      await bind({ agentId: stranger.id, orderId: order.body.id, ranges: [range] }),
      400,
      'VALIDATION_FAILED',
      'orderId',
    );
    const wrongProduct = await bind({
      agentId: agent.id,
      orderId: order.body.id,
      ranges: [{ from: other.serialStart, to: other.serialEnd }],
    });
    expectError(wrongProduct, 400, 'VALIDATION_FAILED', 'orderId');
    expect(messageOf(wrongProduct)).toContain(other.productName);
    const ok = await bind({ agentId: agent.id, orderId: order.body.id, ranges: [range] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ orderId: order.body.id, count: 10 });
  });

  it('refuses a revoked agent', async () => {
    const agent = await createAgent(2);
    const revoked = await api(`/api/agents/${agent.id}/revoke`, { token: await admin(), body: { reason: '测试' } });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const batch = await readyBatch(1);
    expectError(
      await bind({ agentId: agent.id, ranges: [{ from: batch.serialStart, to: batch.serialStart }] }),
      409,
      'INVALID_STATE',
      'agentId',
    );
  });
});

describe('GET /api/agent/code-bindings', () => {
  it('shows an agent only what was shipped to it', async () => {
    const mine = await createAgent(2);
    const theirs = await createAgent(2);
    const batch = await readyBatch(6);
    const s = batch.serialStart;
    const a = await bind({ agentId: mine.id, ranges: [{ from: s, to: s + 1 }] });
    const b = await bind({ agentId: theirs.id, ranges: [{ from: s + 2, to: s + 3 }] });
    const c = await bind({ agentId: mine.id, ranges: [{ from: s + 4, to: s + 5 }] });
    const page1 = await api<Page<Binding>>('/api/agent/code-bindings?limit=1', { token: mine.token });
    expect(page1.body.items.map((x) => x.id)).toEqual([c.body.id]);
    const page2 = await api<Page<Binding>>(`/api/agent/code-bindings?limit=1&cursor=${page1.body.nextCursor}`, {
      token: mine.token,
    });
    expect(page2.body.items.map((x) => x.id)).toEqual([a.body.id]);
    expect(page2.body.nextCursor).toBeNull();
    const theirList = await api<Page<Binding>>('/api/agent/code-bindings', { token: theirs.token });
    expect(theirList.body.items.map((x) => x.id)).toEqual([b.body.id]);
    expect((await api('/api/agent/code-bindings', { token: await admin() })).status).toBe(403);
    expect((await api('/api/agent/code-bindings')).status).toBe(401);
    expect((await api('/api/brand/code-bindings', { token: mine.token })).status).toBe(403);
  });
});
