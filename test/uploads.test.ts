import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentRefIn } from '../worker/domain/inspection';
import { MAX_UPLOAD_BYTES, sniffImage, uploadHashIn } from '../worker/domain/upload';
import {
  admin,
  api,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  rowCount,
  sessionToken,
  snapshot,
  type TestAgent,
  uniquePhone,
  withSmsCode,
  workerFetch,
} from './helpers';
import { guestAuth, guestOrder, product, setModel, setStock } from './order-helpers';
import { picture, sha256Hex, upload } from './upload-helpers';

let adminToken: string;
let agent: TestAgent;
let other: TestAgent;

beforeAll(async () => {
  adminToken = await admin();
  agent = await createAgent(5);
  other = await createAgent(6);
});

const r2Count = async () => (await env.FILES.list({ prefix: 'files/' })).objects.length;

describe('picture rules (worker/domain/upload.ts, agentRefIn)', () => {
  it('knows JPEG, PNG and WebP by their first bytes and nothing else', () => {
    expect(sniffImage(picture('jpeg'))).toBe('image/jpeg');
    expect(sniffImage(picture('png'))).toBe('image/png');
    expect(sniffImage(picture('webp'))).toBe('image/webp');
    expect(sniffImage(picture('gif'))).toBeNull();
    expect(sniffImage(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    // RIFF of another kind (a WAV file) is not WebP.
    expect(sniffImage(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]))).toBeNull();
    expect(sniffImage(new Uint8Array())).toBeNull();
  });

  it('reads an upload hash only from our own file paths', () => {
    const hash = 'a'.repeat(64);
    expect(uploadHashIn(`/api/files/${hash}`)).toBe(hash);
    expect(uploadHashIn(`https://shop.example.com/api/files/${hash}`)).toBe(hash);
    expect(uploadHashIn(`/api/files/${hash}?x=1`)).toBeNull();
    expect(uploadHashIn(`/api/files/${'A'.repeat(64)}`)).toBeNull();
    expect(uploadHashIn('https://example.com/qr.png')).toBeNull();
  });

  it('reads a reported agent as code, shop link, WeChat ID (any case) or phone (spaces, dashes, +86 ignored)', () => {
    expect(agentRefIn('https://x.cn/s/K3M9X2QA?from=1')).toEqual({ code: 'k3m9x2qa', wechat: null, phone: null });
    expect(agentRefIn('HeMeng_88')).toEqual({ code: null, wechat: 'hemeng_88', phone: null });
    // Eight letters and digits may be a code or a WeChat ID: both are tried.
    expect(agentRefIn('abcd1234')).toEqual({ code: 'abcd1234', wechat: 'abcd1234', phone: null });
    expect(agentRefIn(' 138 0013 8000 ')).toEqual({ code: null, wechat: null, phone: '13800138000' });
    expect(agentRefIn('+86 138-0013-8000')).toEqual({ code: null, wechat: null, phone: '13800138000' });
    expect(agentRefIn('12345')).toBeNull();
    expect(agentRefIn('不是微信号')).toBeNull();
  });
});

describe('POST /api/uploads and GET /api/files/{hash}', () => {
  it('stores a picture under its SHA-256 and serves it as stored, cached for a year', async () => {
    const bytes = picture('png', 5000);
    const res = await upload(bytes, { token: agent.token, type: 'application/octet-stream' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const hash = await sha256Hex(bytes);
    expect(res.body).toEqual({ url: `/api/files/${hash}`, hash, contentType: 'image/png', size: 5000 });

    const got = await workerFetch(res.body.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(got.headers.get('etag')).toBe(`"${hash}"`);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);

    const again = await workerFetch(res.body.url, { headers: { 'if-none-match': `"${hash}"` } });
    expect(again.status).toBe(304);
  });

  it('stores the same file once, whoever uploads it, and records each uploader', async () => {
    const bytes = picture('jpeg', 3000);
    const before = await r2Count();
    const first = await upload(bytes, { token: agent.token, type: 'image/jpeg' });
    const second = await upload(bytes, { token: other.token, type: 'image/jpeg' });
    const third = await upload(bytes, { token: adminToken, type: 'image/jpeg' });
    const repeat = await upload(bytes, { token: agent.token, type: 'image/jpeg' });
    for (const r of [first, second, third, repeat]) expect(r.status).toBe(201);
    expect(new Set([first, second, third, repeat].map((r) => r.body.url)).size).toBe(1);
    expect(await r2Count()).toBe(before + 1);
    const owners = await env.DB.prepare('SELECT owner_id FROM uploads WHERE hash = ? ORDER BY owner_id')
      .bind(first.body.hash)
      .all<{ owner_id: string }>();
    expect(owners.results.map((r) => r.owner_id)).toEqual([agent.id, other.id, 'brand'].sort());
  });

  it('accepts WebP', async () => {
    const res = await upload(picture('webp'), { token: adminToken, type: 'image/webp' });
    expect(res.status).toBe(201);
    expect(res.body.contentType).toBe('image/webp');
  });

  it('refuses a picture over 2 MB with 413, storing nothing', async () => {
    const before = [await snapshot(), await r2Count()];
    const big = await upload(picture('png', MAX_UPLOAD_BYTES + 1), { token: agent.token });
    expectError(big as never, 413, 'FILE_TOO_LARGE');
    expect(big.body.error?.message).toBe('图片不能超过 2 MB');
    expect(await upload(picture('png', MAX_UPLOAD_BYTES), { token: agent.token })).toMatchObject({ status: 201 });
    // The one at the limit was stored; the one over it was not.
    expect(await r2Count()).toBe((before[1] as number) + 1);
  });

  it('refuses what is not a JPEG, PNG or WebP whatever its declared type, storing nothing', async () => {
    const before = [await snapshot(), await r2Count()];
    const cases: [Uint8Array<ArrayBuffer>, string][] = [
      [picture('gif'), 'image/gif'],
      [picture('gif'), 'image/png'],
      [
        new Uint8Array(
          new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ),
        'image/png',
      ],
      [new Uint8Array(new TextEncoder().encode('%PDF-1.7')), 'image/jpeg'],
      [new Uint8Array(), 'image/png'],
    ];
    for (const [bytes, type] of cases) {
      const res = await upload(bytes, { token: agent.token, type });
      expectError(res as never, 415, 'FILE_TYPE_UNSUPPORTED');
      expect(res.body.error?.message).toBe('只能上传 JPEG、PNG 或 WebP 图片');
    }
    const en = await upload(picture('gif'), { token: agent.token, headers: { 'accept-language': 'en' } });
    expect(en.body.error?.message).toBe('Only JPEG, PNG or WebP pictures can be uploaded');
    expect([await snapshot(), await r2Count()]).toEqual(before);
  });

  it('takes uploads only from a signed-in agent or the brand', async () => {
    expectError((await upload(picture('png'))) as never, 401, 'UNAUTHENTICATED');
    const signup = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '会员乙', password: PASSWORD, ref: agent.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    const before = await r2Count();
    expectError((await upload(picture('png'), { token: sessionToken(signup) })) as never, 403, 'FORBIDDEN');
    expect(await r2Count()).toBe(before);
    // A cross-site post is refused like any other state change.
    const res = await upload(picture('png'), { token: agent.token, headers: { origin: 'https://evil.example' } });
    expectError(res as never, 403, 'CSRF_REJECTED');
  });

  it('answers an unknown file with 404 and a malformed name with 400', async () => {
    expectError((await api(`/api/files/${'0'.repeat(64)}`)) as never, 404, 'NOT_FOUND');
    expectError((await api('/api/files/not-a-hash')) as never, 400, 'VALIDATION_FAILED');
  });
});

describe('收款码 (payment QR) on the payee', () => {
  it('an agent sets its own upload as its QR and a buyer paying it offline sees it on the order', async () => {
    await setModel('cloud');
    const prd = await product();
    await setStock(agent.id, prd, 5);
    const qr = await upload(picture('png'), { token: agent.token });
    const saved = await api<{ payQrUrl: string | null }>('/api/agents/me/pay-qr', {
      method: 'PUT',
      token: agent.token,
      body: { payQrUrl: `https://shop.example.com${qr.body.url}` },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.payQrUrl).toBe(qr.body.url);
    const mine = await api<{ payQrUrl: string | null }>('/api/agents/me/payee', { token: agent.token });
    expect(mine.body.payQrUrl).toBe(qr.body.url);

    const placed = await guestOrder(agent.code, prd, 1, 'offline');
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.payeeId).toBe(agent.id);
    const read = await api<{ payee: { payQrUrl: string | null } }>(`/api/orders/${placed.body.id}`, {
      headers: guestAuth(placed),
    });
    expect(read.body.payee.payQrUrl).toBe(qr.body.url);
    const seller = await api<{ payee: { payQrUrl: string | null } }>(`/api/orders/${placed.body.id}`, {
      token: agent.token,
    });
    expect(seller.body.payee.payQrUrl).toBe(qr.body.url);
    await setStock(agent.id, prd, 0);
    await setModel('direct');
  });

  it('an agent cannot make another agent’s (or the brand’s) upload its QR: 404, nothing written', async () => {
    const theirs = await upload(picture('png'), { token: other.token });
    const brands = await upload(picture('png'), { token: adminToken });
    const before = await snapshot();
    for (const url of [theirs.body.url, brands.body.url, `/api/files/${'1'.repeat(64)}`]) {
      const res = await api('/api/agents/me/pay-qr', { method: 'PUT', token: agent.token, body: { payQrUrl: url } });
      expectError(res, 404, 'NOT_FOUND', 'payQrUrl');
      expect((res.body as unknown as { error: { message: string } }).error.message).toBe('图片不存在');
    }
    expect(await snapshot()).toBe(before);
    // Uploading the same picture itself makes it its own.
    const same = await api('/api/agents/me/pay-qr', {
      method: 'PUT',
      token: other.token,
      body: { payQrUrl: theirs.body.url },
    });
    expect(same.status).toBe(200);
  });

  it('refuses a QR that is not an upload, and null removes it', async () => {
    for (const payQrUrl of ['https://example.com/qr.png', 'javascript:alert(1)', 1]) {
      const res = await api('/api/agents/me/pay-qr', { method: 'PUT', token: other.token, body: { payQrUrl } });
      expectError(res, 400, 'VALIDATION_FAILED', 'payQrUrl');
    }
    const cleared = await api<{ payQrUrl: string | null }>('/api/agents/me/pay-qr', {
      method: 'PUT',
      token: other.token,
      body: { payQrUrl: null },
    });
    expect(cleared.body.payQrUrl).toBeNull();
    expect(await rowCount('SELECT count(*) AS n FROM agents WHERE id = ? AND pay_qr_url = ?', other.id, '')).toBe(1);
  });

  it('the brand sets its QR from its own upload, audited, and a direct-model offline order shows it', async () => {
    const qr = await upload(picture('jpeg'), { token: adminToken, type: 'image/jpeg' });
    const agentsOwn = await upload(picture('png'), { token: agent.token });
    expectError(
      await api('/api/brand/pay-qr', { method: 'PUT', token: adminToken, body: { payQrUrl: agentsOwn.body.url } }),
      404,
      'NOT_FOUND',
      'payQrUrl',
    );
    expectError(
      await api('/api/brand/pay-qr', { method: 'PUT', token: agent.token, body: { payQrUrl: qr.body.url } }),
      403,
      'FORBIDDEN',
    );
    const saved = await api<{ payQrUrl: string }>('/api/brand/pay-qr', {
      method: 'PUT',
      token: adminToken,
      body: { payQrUrl: qr.body.url },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.payQrUrl).toBe(qr.body.url);
    expect(await rowCount("SELECT count(*) AS n FROM audit_log WHERE action = 'brand.pay_qr'")).toBe(1);
    const got = await api<{ payQrUrl: string }>('/api/brand/payee', { token: adminToken });
    expect(got.body.payQrUrl).toBe(qr.body.url);

    const prd = await product();
    const placed = await guestOrder(other.code, prd, 1, 'offline');
    expect(placed.body.payeeId).toBe('brand');
    const read = await api<{ payee: { payQrUrl: string | null } }>(`/api/orders/${placed.body.id}`, {
      headers: guestAuth(placed),
    });
    expect(read.body.payee.payQrUrl).toBe(qr.body.url);
  });
});

describe('POST /api/reports/evidence', () => {
  it('takes evidence from anyone, 10 per address per 10 minutes', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      const res = await upload(picture('jpeg'), { path: '/api/reports/evidence', headers: { 'cf-connecting-ip': ip } });
      expect(res.status).toBe(201);
    }
    const refused = await upload(picture('jpeg'), {
      path: '/api/reports/evidence',
      headers: { 'cf-connecting-ip': ip },
    });
    expectError(refused as never, 429, 'RATE_LIMITED');
    expect(
      (await upload(picture('jpeg'), { path: '/api/reports/evidence', headers: { 'cf-connecting-ip': freshIp() } }))
        .status,
    ).toBe(201);
  });
});

describe('the agent’s poster photo', () => {
  it('is one of its own uploads, and no one else’s', async () => {
    const mine = await upload(picture('jpeg'), { token: other.token, type: 'image/jpeg' });
    const theirs = await upload(picture('jpeg'), { token: agent.token, type: 'image/jpeg' });
    const before = await snapshot();
    expectError(
      await api('/api/agents/me/photo', { method: 'PUT', token: other.token, body: { photoUrl: theirs.body.url } }),
      404,
      'NOT_FOUND',
      'photoUrl',
    );
    expect(await snapshot()).toBe(before);
    const saved = await api<{ photoUrl: string }>('/api/agents/me/photo', {
      method: 'PUT',
      token: other.token,
      body: { photoUrl: mine.body.url },
    });
    expect(saved.body).toEqual({ photoUrl: mine.body.url });
    expect((await api('/api/agents/me/photo', { token: other.token })).body).toEqual({ photoUrl: mine.body.url });
    expect((await api('/api/agents/me/photo', { token: agent.token })).body).toEqual({ photoUrl: null });
    expectError(await api('/api/agents/me/photo', { token: adminToken }), 403, 'FORBIDDEN');
  });
});
