import { beforeAll, describe, expect, it } from 'vitest';
import { newAgentCode, newCertificateNumber, newId } from '../db/ids';
import {
  admin,
  api,
  apply,
  createAgent,
  freshIp,
  PASSWORD,
  type Res,
  rowCount,
  type TestAgent,
  uniquePhone,
} from './helpers';
import { product } from './order-helpers';

// Enumeration and abuse: public endpoints answer 429 with Retry-After once a burst passes their limit, the refusal
// tells nothing about what was asked, and the identifiers the public can type in cannot be guessed from one another.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// Requests of one burst, sent one after another. Limits are fixed windows (aligned to multiples of their length): a
// burst starts with at least 20 s left in its window (else it waits for the next one), since a burst sent again
// after straddling an edge would find the first one's tail already counted in the new window.
async function burst(count: number, windowSeconds: number, send: (i: number) => Promise<Res<unknown>>) {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < Math.min(20_000, windowMs / 3)) await new Promise((resolve) => setTimeout(resolve, left + 50));
  const startWindow = Math.floor(Date.now() / windowMs);
  const results: Res<unknown>[] = [];
  for (let i = 0; i < count; i++) results.push(await send(i));
  if (Math.floor(Date.now() / windowMs) !== startWindow) throw new Error(`the burst of ${count} outlasted 20 s`);
  return results;
}

// A 429 carries the error envelope and Retry-After within the window, and nothing else.
function expectLimited(res: Res<unknown>, windowSeconds: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  const body = res.body as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe('RATE_LIMITED');
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'requestId']);
  const retry = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retry)).toBe(true);
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(windowSeconds);
  expect(res.headers.get('set-cookie')).toBeNull();
}

function errorOf(res: Res<unknown>) {
  const { code, message } = (res.body as { error: { code: string; message: string } }).error;
  return { status: res.status, code, message };
}

let agent: TestAgent;
let certNumber: string;

beforeAll(async () => {
  await admin();
  agent = await createAgent(2);
  const me = await api<{ certificateNumber: string }>('/api/agents/me', { token: agent.token });
  certNumber = me.body.certificateNumber;
});

describe('POST /api/auth/login under a burst', () => {
  const login = (account: string, password: string, ip = freshIp()) =>
    api('/api/auth/login', { body: { role: 'agent', account, password }, headers: { 'cf-connecting-ip': ip } });

  // An approved agent no one has signed in as yet, so its window starts empty.
  async function freshAccount(): Promise<string> {
    const app = await apply({ level: 4 });
    const ok = await api(`/api/applications/${app.id}/approve`, { method: 'POST', token: await admin() });
    expect(ok.status).toBe(200);
    return app.phone;
  }

  it('slows an account guessed from many addresses to one try a minute, and a failed address waits out the window', async () => {
    const phone = await freshAccount();
    const ips = Array.from({ length: 12 }, () => freshIp());
    const results = await burst(12, 60, (i) => login(phone, 'wrong-password', ips[i]));
    // Ten failures, then one try a minute from an address that has not failed yet.
    for (const r of results.slice(0, 11)) expect(errorOf(r).code).toBe('INVALID_CREDENTIALS');
    expectLimited(results[11] as Res<unknown>, 60);
    const again = await login(phone, PASSWORD, ips[0]);
    expectLimited(again, 900);
    expect(JSON.stringify(again.body)).not.toContain('token');
  });

  it('answers an unknown account exactly as a known one, before and after the limit', async () => {
    const known = await freshAccount();
    const stranger = uniquePhone();
    const a = await burst(12, 60, () => login(known, 'wrong-password'));
    const b = await burst(12, 60, () => login(stranger, 'wrong-password'));
    // The seconds to wait may tick between the two bursts; everything else must be the same.
    const shape = (r: Res<unknown>) => ({ ...errorOf(r), message: errorOf(r).message.replace(/\d+/g, '#') });
    expect(b.map(shape)).toEqual(a.map(shape));
    expect(a.map((r) => r.status)).toEqual([...new Array(11).fill(401), 429]);
  });

  it('limits one address to 30 tries across accounts', async () => {
    const ip = freshIp();
    const results = await burst(31, 600, () => login(uniquePhone(), 'wrong-password', ip));
    for (const r of results.slice(0, 30)) expect(r.status).toBe(401);
    expectLimited(results[30] as Res<unknown>, 600);
  });
});

describe('GET /api/certificates/lookup under a burst', () => {
  it('answers 429 after 30 lookups a minute from one address, hits and misses alike, with no certificate in it', async () => {
    const ip = freshIp();
    const results = await burst(31, 60, (i) =>
      api(`/api/certificates/lookup?${i % 2 ? `number=${certNumber}` : `phone=${uniquePhone()}`}`, {
        headers: { 'cf-connecting-ip': ip },
      }),
    );
    for (const [i, r] of results.slice(0, 30).entries()) expect(r.status).toBe(i % 2 ? 200 : 404);
    const limited = results[30] as Res<unknown>;
    expectLimited(limited, 60);
    const hit = await api(`/api/certificates/lookup?number=${certNumber}`, { headers: { 'cf-connecting-ip': ip } });
    expectLimited(hit, 60);
    expect(JSON.stringify(hit.body)).not.toContain(certNumber);
    const image = await api(`/api/certificates/${certNumber}/image.svg`, { headers: { 'cf-connecting-ip': ip } });
    expectLimited(image, 60);
  });

  it('a miss never tells which field was wrong', async () => {
    const ip = freshIp();
    const misses = await Promise.all(
      [`number=AG2026${'0'.repeat(16)}`, `phone=${uniquePhone()}`, 'wechat=nobody_here_1'].map((q) =>
        api(`/api/certificates/lookup?${q}`, { headers: { 'cf-connecting-ip': ip } }),
      ),
    );
    expect(new Set(misses.map((m) => JSON.stringify(errorOf(m)))).size).toBe(1);
    expect(errorOf(misses[0] as Res<unknown>).code).toBe('CERTIFICATE_NOT_FOUND');
  });
});

describe('POST /api/reports under a burst', () => {
  it('takes 5 reports per address per 10 minutes and writes nothing for the 6th', async () => {
    const ip = freshIp();
    const before = await rowCount("SELECT count(*) AS n FROM inspections WHERE kind = 'price_report'");
    const results = await burst(6, 600, (i) =>
      api('/api/reports', {
        body: { agent: agent.code, priceSeenFen: 9900 + i, note: '朋友圈低价出售' },
        headers: { 'cf-connecting-ip': ip },
      }),
    );
    for (const r of results.slice(0, 5)) expect(r.status).toBe(201);
    expectLimited(results[5] as Res<unknown>, 600);
    expect(await rowCount("SELECT count(*) AS n FROM inspections WHERE kind = 'price_report'")).toBe(before + 5);
  });
});

// The brand prints a batch and reads it back from the printer's CSV: serial and code per row.
async function printedBatch(size: number): Promise<{ serial: number; code: string }[]> {
  const token = await admin();
  const productId = await product(0);
  let batch = await api<{ id: string; status: string }>('/api/brand/code-batches', {
    token,
    body: { productId, size },
  });
  expect(batch.status, JSON.stringify(batch.body)).toBe(201);
  while (batch.body.status !== 'ready') {
    batch = await api(`/api/brand/code-batches/${batch.body.id}/generate`, { method: 'POST', token });
    expect(batch.status).toBe(200);
  }
  const csv = await api<string>(`/api/brand/code-batches/${batch.body.id}/codes.csv`, { token });
  return String(csv.body)
    .split('\r\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const [serial, code] = line.split(',');
      return { serial: Number(serial), code: (code ?? '').replaceAll('-', '') };
    });
}

describe('POST /api/codes/verify under a burst', () => {
  it('answers 429 after 20 verifications a minute from one address, for known and unknown codes, counting none', async () => {
    const [label] = await printedBatch(1);
    const code = label?.code ?? '';
    const ip = freshIp();
    const verify = (c: string) => api('/api/codes/verify', { body: { code: c }, headers: { 'cf-connecting-ip': ip } });
    const results = await burst(21, 60, () => verify(code));
    for (const r of results.slice(0, 20)) expect(r.status).toBe(200);
    expectLimited(results[20] as Res<unknown>, 60);
    expectLimited(await verify('ZZZZ-ZZZZ-ZZZZ-ZZZZ'), 60);
    expect(await rowCount('SELECT verify_count AS n FROM codes WHERE code = ?', code)).toBe(20);
  });
});

// Identifiers the public types in or sees: each carries its random part in Crockford base32.
function lcp(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

function maxSharedPrefix(values: string[]): number {
  const sorted = [...values].sort();
  let max = 0;
  for (let i = 1; i < sorted.length; i++) max = Math.max(max, lcp(sorted[i - 1] as string, sorted[i] as string));
  return max;
}

function asNumber(random: string): bigint {
  return [...random.toUpperCase()].reduce((n, ch) => n * 32n + BigInt(ALPHABET.indexOf(ch)), 0n);
}

// Chi-square of each position's symbol counts against a uniform draw from 32 symbols (31 degrees of freedom:
// mean 31, and above 90 with a probability far below one in a million).
function worstChiSquare(values: string[]): number {
  const length = values[0]?.length ?? 0;
  let worst = 0;
  for (let pos = 0; pos < length; pos++) {
    const counts = new Array(32).fill(0);
    for (const v of values) counts[ALPHABET.indexOf((v[pos] ?? '').toUpperCase())]++;
    const expected = values.length / 32;
    worst = Math.max(
      worst,
      counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0),
    );
  }
  return worst;
}

// Consecutive values closer than a billionth of the range (what a counter or a clock would give); random values
// are that close with a probability of 2⁻²⁹ per pair.
function closeNeighbours(values: string[]): number {
  const range = 32n ** BigInt(values[0]?.length ?? 0);
  let close = 0;
  for (let i = 1; i < values.length; i++) {
    const d = asNumber(values[i] as string) - asNumber(values[i - 1] as string);
    if ((d < 0n ? -d : d) < range / 2n ** 30n) close++;
  }
  return close;
}

describe('identifiers cannot be guessed from one another', () => {
  it('certificate numbers and shop codes issued through the API share nothing but their fixed part', async () => {
    const issued: { cert: string; code: string }[] = [];
    let recruiter: TestAgent | undefined;
    for (let i = 0; i < 10; i++) {
      const a = await createAgent(Math.min(6, i + 1), recruiter);
      recruiter = a;
      const me = await api<{ certificateNumber: string }>('/api/agents/me', { token: a.token });
      issued.push({ cert: me.body.certificateNumber, code: a.code });
    }
    const year = new Date().getUTCFullYear();
    for (const { cert, code } of issued) {
      expect(cert).toMatch(new RegExp(`^AG${year}[${ALPHABET}]{16}$`));
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{8}$/);
    }
    const certParts = issued.map((x) => x.cert.slice(6));
    // Ten 16-symbol random parts: any two sharing 4 leading symbols has a chance of 45 / 32⁴ ≈ 0.004 %.
    expect(maxSharedPrefix(certParts)).toBeLessThan(4);
    expect(maxSharedPrefix(issued.map((x) => x.code))).toBeLessThan(4);
    expect(closeNeighbours(certParts)).toBe(0);
    expect(closeNeighbours(issued.map((x) => x.code))).toBe(0);
    // Issue order does not show in the values.
    expect([...certParts].sort()).not.toEqual(certParts);
  });

  it('a printed batch: codes unique, uniform, unrelated to their serials or to each other', async () => {
    const labels = await printedBatch(2_000);
    const bySerial = [...labels].sort((a, b) => a.serial - b.serial);
    const codes = bySerial.map((l) => l.code);
    expect(bySerial.map((l) => l.serial - (bySerial[0]?.serial ?? 0))).toEqual(bySerial.map((_, i) => i));
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${ALPHABET}]{16}$`));
    expect(new Set(codes).size).toBe(codes.length);
    expect(worstChiSquare(codes)).toBeLessThan(90);
    expect(maxSharedPrefix(codes)).toBeLessThan(8);
    // Consecutive serials carry unrelated codes, and the order of the codes says nothing about the serials:
    // Spearman's rank correlation of 2,000 independent pairs is within ±0.1 all but once in 10⁵ runs.
    expect(closeNeighbours(codes)).toBe(0);
    const rankOf = new Map([...codes].sort().map((c, i) => [c, i]));
    const n = codes.length;
    const d2 = codes.reduce((s, c, i) => s + ((rankOf.get(c) ?? 0) - i) ** 2, 0);
    const rho = 1 - (6 * d2) / (n * (n * n - 1));
    expect(Math.abs(rho)).toBeLessThan(0.1);
  });

  it('5,000 draws of each generator are unique, uniform per position and unrelated to their neighbours', () => {
    const n = 5_000;
    const samples = {
      certificate: Array.from({ length: n }, () => newCertificateNumber().slice(6)),
      shopCode: Array.from({ length: n }, () => newAgentCode()),
      // Application and order ids are looked up publicly (status, tracking): only their random tail matters.
      applicationId: Array.from({ length: n }, () => newId('app').slice(14)),
      orderId: Array.from({ length: n }, () => newId('ord').slice(14)),
    };
    for (const [name, values] of Object.entries(samples)) {
      expect(new Set(values).size, name).toBe(n);
      expect(worstChiSquare(values), name).toBeLessThan(90);
      // 5,000 random 8-symbol values: the longest shared prefix is about 5 symbols; 8+ would mean structure.
      expect(maxSharedPrefix(values), name).toBeLessThan(8);
      expect(closeNeighbours(values), name).toBe(0);
    }
  });
});
