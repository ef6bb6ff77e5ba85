import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import worker from '../worker/index';

export const BASE = 'http://agentry.test';

/** `trips` round trips to D1: the steps in which a concurrent request moves on. */
export async function later(trips: number): Promise<void> {
  for (let i = 0; i < trips; i++) await env.DB.prepare('SELECT 1').first();
}

/**
 * Two requests at once, the second started `shift` D1 round trips after the first (the first after the second when
 * `shift` is negative): over a range of shifts one of them lands between the other's reads and its write.
 */
export function race<A, B>(shift: number, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  return Promise.all([later(Math.max(-shift, 0)).then(first), later(Math.max(shift, 0)).then(second)]);
}
export const PASSWORD = 'demo1234';

export interface Res<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiInit {
  method?: string;
  body?: unknown;
  token?: string | undefined;
  headers?: Record<string, string>;
  raw?: string;
  /** What Cloudflare's edge would attach as request.cf (country, region, regionCode, city). */
  cf?: Record<string, string>;
}

type WorkerRequest = Parameters<typeof worker.fetch>[0];

/**
 * A request handed to the Worker's own fetch handler (the one SELF.fetch reaches) with a real Request, the test env and
 * an execution context whose waitUntil work is awaited before the answer is returned, so a test's next step sees every
 * write. Not through SELF: under @cloudflare/vitest-pool-workers 0.15 each SELF.fetch in a file is slower than the one
 * before it (workers-sdk #15446); a file of a few hundred requests spent most of its time there.
 */
export async function workerFetch(url: string, init: RequestInit = {}) {
  const request = new Request(url.startsWith('/') ? `${BASE}${url}` : url, init);
  const ctx = createExecutionContext();
  const res = await worker.fetch(request as WorkerRequest, env, ctx);
  // The body is read before waiting: a streamed answer (CSV exports) may keep work pending until it is consumed.
  const body = await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return new Response(res.status === 101 || res.status === 204 || res.status === 304 ? null : body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}

export async function api<T = Record<string, unknown>>(path: string, init: ApiInit = {}): Promise<Res<T>> {
  // Lower-cased names, so a caller's 'Content-Type' is not sent a second time as 'content-type'.
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await workerFetch(`${BASE}${path}`, {
    method: init.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
    ...(init.cf ? { cf: init.cf } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; requestId: string };
}

export function expectError(res: Res<unknown>, status: number, code: string, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const body = res.body as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  if (field) expect(body.error.field).toBe(field);
}

let counter = 0;
const run = Math.floor(Math.random() * 90_000_000) + 10_000_000;

export function uniquePhone(): string {
  counter++;
  return `139${String((run + counter * 7919) % 100_000_000).padStart(8, '0')}`;
}

export function uniqueWechat(): string {
  counter++;
  return `wx_${run.toString(36)}${counter}`;
}

// Each client address gets its own rate-limit windows, so tests do not share budgets.
export function freshIp(): string {
  counter++;
  return `10.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter & 255}`;
}

export const LEVELS = ['联创', '总代', '省代', '市代', '县代', '天使'];

export async function seedBrand(): Promise<void> {
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT OR IGNORE INTO brand (id, name, seal_text, stock_model, freeze_days, binding_policy, rebind_days, withdraw_min_fen, cert_valid_days, updated_at)
       VALUES (1, '测试品牌', '测试品牌授权专用章', 'cloud', 7, 'permanent', 90, 10000, 365, ?)`,
    ).bind(now),
    // No 首单金额: restocks of any size work for agents made through applications; test/console.test.ts sets one.
    ...LEVELS.map((name, i) =>
      env.DB.prepare('INSERT OR IGNORE INTO levels (rank, name, first_order_fen) VALUES (?, ?, 0)').bind(i + 1, name),
    ),
  ]);
}

let adminToken: string | undefined;
let adminHash: string | undefined;

/** The database was emptied (test/setup.ts): the cached admin session is gone with it. */
export function forgetSessions(): void {
  adminToken = undefined;
}

export async function admin(): Promise<string> {
  if (adminToken) return adminToken;
  await seedBrand();
  const username = `admin${run}`;
  const { hashPassword, iterationsFor } = await import('../worker/lib/password');
  adminHash ??= await hashPassword(PASSWORD, iterationsFor(env));
  await env.DB.prepare(
    'INSERT OR IGNORE INTO admins (id, username, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
  )
    .bind(`adm_${run}`, username, '品牌管理员', adminHash, Date.now())
    .run();
  adminToken = await login('admin', username);
  return adminToken;
}

export async function login(role: 'admin' | 'agent' | 'member', account: string, password = PASSWORD): Promise<string> {
  const res = await api('/api/auth/login', {
    body: { role, account, password },
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return sessionToken(res);
}

// Sign-in and signup answers carry the session only in the HttpOnly cookie; the API also takes it as a Bearer token.
export function sessionToken(res: { headers: Headers }): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('agentry_sid='));
  const token = cookie?.slice('agentry_sid='.length).split(';')[0];
  if (!token) throw new Error(`no session cookie in ${res.headers.get('set-cookie')}`);
  return token;
}

export interface TestAgent {
  id: string;
  code: string;
  phone: string;
  wechat: string;
  level: number;
  token: string;
  supplierId: string | null;
}

export interface ApplyInput {
  level: number;
  inviteCode?: string;
  name?: string;
}

export async function apply(input: ApplyInput) {
  const phone = uniquePhone();
  const wechat = uniqueWechat();
  const res = await api<{ id: string; approver: { id: string | null } }>('/api/applications', {
    body: {
      ...(input.inviteCode ? { inviteCode: input.inviteCode } : {}),
      name: input.name ?? '张三丰',
      phone,
      wechat,
      region: '浙江省杭州市',
      level: input.level,
      password: PASSWORD,
    },
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, approverId: res.body.approver.id, phone, wechat };
}

// An agent created the way a real one is: an application through the recruiter's invite, approved by the
// party placement chose, then a sign-in.
export async function createAgent(level: number, recruiter?: TestAgent, name?: string): Promise<TestAgent> {
  const adminTok = await admin();
  const app = await apply({ level, ...(recruiter ? { inviteCode: recruiter.code } : {}), ...(name ? { name } : {}) });
  const approverToken = app.approverId === null ? adminTok : await tokenOf(app.approverId);
  const approved = await api<{ agentId: string }>(`/api/applications/${app.id}/approve`, {
    method: 'POST',
    token: approverToken,
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  const token = await login('agent', app.phone);
  const me = await api<{ id: string; code: string; supplierId: string | null }>('/api/agents/me', { token });
  const agent = {
    id: me.body.id,
    code: me.body.code,
    phone: app.phone,
    wechat: app.wechat,
    level,
    token,
    supplierId: me.body.supplierId,
  };
  known.set(agent.id, agent);
  return agent;
}

const known = new Map<string, TestAgent>();
async function tokenOf(agentId: string): Promise<string> {
  const agent = known.get(agentId);
  if (!agent) throw new Error(`test agent ${agentId} unknown`);
  return agent.token;
}

export async function rowCount(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

// A fingerprint of every table's row count and content, to prove a refused request wrote nothing.
export async function snapshot(): Promise<string> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT IN ('d1_migrations', '_cf_KV', 'rate_limits', 'guards') ORDER BY name",
  ).all<{ name: string }>();
  const parts: string[] = [];
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    parts.push(`${name}:${JSON.stringify(rows.results)}`);
  }
  return parts.join('\n');
}

export type SmsPurpose = 'signup' | 'reset' | 'orders';

/**
 * A code the way a person gets one: requested for the phone, read from the local SMS simulator (GET /api/dev/sms).
 * `againNow` lifts this phone's per-phone send limit first (a second code within the minute, in tests only).
 */
export async function smsCode(phone: string, purpose: SmsPurpose = 'signup', againNow = false): Promise<string> {
  if (againNow)
    await env.DB.prepare("DELETE FROM rate_limits WHERE key LIKE 'sms:phone:' || ? || ':%'").bind(phone).run();
  const sent = await api('/api/sms/codes', { body: { phone, purpose }, headers: { 'cf-connecting-ip': freshIp() } });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  const read = await api<{ code: string; purpose: string }>(`/api/dev/sms?phone=${phone}`);
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  expect(read.body.purpose).toBe(purpose);
  return read.body.code;
}

/** A signup body with the phone's code from the simulator, as the signup page sends it. */
export async function withSmsCode<T extends { phone: string }>(body: T): Promise<T & { smsCode: string }> {
  return { ...body, smsCode: await smsCode(body.phone) };
}

/** Names where the brand pays the agent (a withdrawal paid by hand needs one). */
export async function setPayoutAccount(agent: { token: string }, account = '6222021234567890123') {
  const res = await api('/api/agents/me/payout-account', {
    method: 'PUT',
    token: agent.token,
    body: { kind: 'bank', name: '张伟', account, bank: '工商银行杭州西湖支行' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
