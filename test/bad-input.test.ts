import { beforeAll, describe, expect, it } from 'vitest';
import { admin, api, apply, createAgent, freshIp, snapshot, type TestAgent } from './helpers';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
}
interface Operation {
  parameters?: { name: string; in: string; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json'?: { schema: JsonSchema & { $ref?: string } } } };
}
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};

const SQL_HTML = "'; DROP TABLE agents; -- <script>alert(1)</script>";

let doc: OpenApi;
let agent: TestAgent;
let adminToken: string;
let ids: Record<string, string>;

beforeAll(async () => {
  doc = (await api<OpenApi>('/api/openapi.json')).body;
  adminToken = await admin();
  agent = await createAgent(4);
  const pending = await apply({ level: 6, inviteCode: agent.code });
  const me = await api<{ certificateNumber: string }>('/api/agents/me', { token: agent.token });
  ids = { id: agent.id, code: agent.code, number: me.body.certificateNumber, application: pending.id };
});

function resolve(schema: JsonSchema & { $ref?: string }): JsonSchema {
  if (schema.$ref) return doc.components.schemas[schema.$ref.split('/').pop() ?? ''] ?? {};
  return schema;
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return 'enum';
  const t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return t ?? (schema.anyOf ? typeOf(schema.anyOf[0] ?? {}) : 'string');
}

function wrongValue(schema: JsonSchema): unknown {
  switch (typeOf(schema)) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return '12abc';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    case 'enum':
      return 'no-such-value';
    default:
      return 'not-an-object';
  }
}

function bodiesFor(schema: JsonSchema): { label: string; raw: string }[] {
  const props = schema.properties ?? {};
  const bodies = [
    { label: 'malformed JSON', raw: '{"a": ' },
    { label: 'an array', raw: '[1,2,3]' },
    { label: 'a string', raw: '"hello"' },
    { label: 'deep JSON', raw: `${'['.repeat(5000)}${']'.repeat(5000)}` },
    {
      label: 'SQL and HTML payloads with a wrong type beside them',
      raw: JSON.stringify({
        ...Object.fromEntries(Object.keys(props).map((k) => [k, SQL_HTML])),
        level: 'x',
        phone: 1,
      }),
    },
    {
      label: 'negative and overflowing numbers',
      raw: JSON.stringify(Object.fromEntries(Object.keys(props).map((k) => [k, k.length % 2 ? -1 : 1e308]))),
    },
    { label: 'huge body', raw: JSON.stringify({ x: 'x'.repeat(70 * 1024) }) },
  ];
  if ((schema.required ?? []).length > 0 || Object.keys(props).length > 0)
    bodies.push({ label: 'empty object', raw: '{}' });
  for (const [name, prop] of Object.entries(props)) {
    bodies.push({ label: `${name} of the wrong type`, raw: JSON.stringify({ [name]: wrongValue(prop) }) });
    if (typeOf(prop) === 'string')
      bodies.push({ label: `${name} oversized`, raw: JSON.stringify({ [name]: '长'.repeat(5000) }) });
  }
  return bodies;
}

function fillPath(path: string): string {
  return path
    .replace('{id}', path.startsWith('/api/applications') ? (ids.application ?? '') : (ids.id ?? ''))
    .replace('{code}', ids.code ?? '')
    .replace('{number}', ids.number ?? '');
}

describe('bad input on every route of the OpenAPI document', () => {
  it('answers every malformed request with a 4xx JSON error and writes nothing', async () => {
    const before = await snapshot();
    let requests = 0;
    const covered = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content['application/json']?.schema;
        const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
        const cases: { label: string; url: string; raw?: string }[] = [];
        const url = fillPath(path);
        if (schema) for (const b of bodiesFor(resolve(schema))) cases.push({ label: b.label, url, raw: b.raw });
        for (const q of queryParams) {
          cases.push({
            label: `query ${q.name} wrong`,
            url: `${url}?${q.name}=${encodeURIComponent(String(wrongValue(q.schema)))}`,
          });
          cases.push({ label: `query ${q.name} huge`, url: `${url}?${q.name}=${'9'.repeat(3000)}` });
          cases.push({ label: `query ${q.name} SQL`, url: `${url}?${q.name}=${encodeURIComponent(SQL_HTML)}` });
        }
        if (path.includes('{'))
          cases.push({ label: 'unknown id', url: path.replace(/\{[a-z]+\}/, 'zz_' + "'%20OR%201=1") });
        // Validation runs before any handler, so one caller reaches it on every route; the brand admin passes the
        // session checks that some routes make first. Eight requests in flight at a time.
        for (let i = 0; i < cases.length; i += 8) {
          const batch = cases.slice(i, i + 8);
          const answers = await Promise.all(
            batch.map((c) =>
              api(c.url, {
                method: method.toUpperCase(),
                ...(c.raw !== undefined ? { raw: c.raw } : {}),
                token: c.label.startsWith('unknown') ? agent.token : adminToken,
                headers: { 'cf-connecting-ip': freshIp() },
              }),
            ),
          );
          answers.forEach((res, j) => {
            const c = batch[j];
            if (!c) return;
            requests++;
            const where = `${method.toUpperCase()} ${c.url.slice(0, 80)} (${c.label})`;
            if (res.status < 400 && c.raw === undefined && !c.label.startsWith('unknown')) return; // a lax query value may be valid
            expect(res.status, `${where}: ${JSON.stringify(res.body).slice(0, 200)}`).toBeGreaterThanOrEqual(400);
            expect(res.status, where).toBeLessThan(500);
            const error = (res.body as { error?: { code?: string; message?: string } }).error;
            expect(typeof error?.code, where).toBe('string');
            expect(typeof error?.message, where).toBe('string');
          });
        }
        covered.add(`${method} ${path}`);
      }
    }
    expect(await snapshot()).toBe(before);
    expect(covered.size).toBeGreaterThanOrEqual(25);
    // The phone-proved routes (SMS codes, password reset, guest lookup) and the simulator's reader are swept too.
    for (const route of [
      'post /api/sms/codes',
      'get /api/dev/sms',
      'post /api/auth/reset',
      'post /api/orders/lookup',
      'get /api/orders/lookup',
    ]) {
      expect(covered).toContain(route);
    }
    expect(requests).toBeGreaterThan(400);
  }, 240_000);
});

describe('bad input the schema cannot see', () => {
  it('refuses an unknown level, a taken phone and a taken WeChat ID, writing nothing', async () => {
    const existing = await createAgent(5);
    const before = await snapshot();
    const base = { name: '赵六', region: '北京市', password: 'demo1234', inviteCode: existing.code };
    const cases = [
      {
        body: { ...base, phone: '13700000001', wechat: 'zhaoliu_01', level: 9 },
        code: 'UNKNOWN_LEVEL',
        field: 'level',
      },
      {
        body: { ...base, phone: existing.phone, wechat: 'zhaoliu_02', level: 6 },
        code: 'DUPLICATE_PHONE',
        field: 'phone',
      },
      {
        body: { ...base, phone: '13700000003', wechat: existing.wechat, level: 6 },
        code: 'DUPLICATE_WECHAT',
        field: 'wechat',
      },
      {
        body: { ...base, phone: '13700000004', wechat: 'zhaoliu_04', level: 6, inviteCode: 'zzzzzzzz' },
        code: 'INVITE_INVALID',
        field: 'inviteCode',
      },
    ];
    for (const c of cases) {
      const res = await api<{ error: { code: string; field: string; message: string } }>('/api/applications', {
        body: c.body,
        headers: { 'cf-connecting-ip': freshIp() },
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body.error).toMatchObject({ code: c.code, field: c.field });
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await snapshot()).toBe(before);
  });

  it('stores SQL and HTML in free text verbatim and returns it as JSON data', async () => {
    const existing = await createAgent(5);
    const app = await apply({ level: 6, inviteCode: existing.code, name: SQL_HTML.slice(0, 40) });
    const res = await api<{ name: string }>(`/api/applications/${app.id}`, { token: existing.token });
    expect(res.body.name).toBe(SQL_HTML.slice(0, 40));
    expect((await api('/api/health')).status).toBe(200);
  });

  it('refuses a second pending application with the same phone', async () => {
    const existing = await createAgent(5);
    const first = await apply({ level: 6, inviteCode: existing.code });
    const res = await api('/api/applications', {
      body: {
        name: '钱七',
        region: '北京市',
        password: 'demo1234',
        phone: first.phone,
        wechat: 'qianqi_001',
        level: 6,
      },
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(res.status).toBe(409);
    expect((res.body as { error: { code: string } }).error.code).toBe('DUPLICATE_PHONE');
  });

  it('names the level table problem and keeps the table', async () => {
    const token = await admin();
    const before = await snapshot();
    const gap = await api<{ error: { code: string; field: string } }>('/api/brand/levels', {
      method: 'PUT',
      token,
      body: {
        levels: [
          { rank: 1, name: 'A', firstOrderFen: 0 },
          { rank: 3, name: 'C', firstOrderFen: 0 },
        ],
      },
    });
    expect(gap.status).toBe(400);
    expect(gap.body.error.field).toBe('levels');
    const dup = await api('/api/brand/levels', {
      method: 'PUT',
      token,
      body: {
        levels: [
          { rank: 1, name: 'A', firstOrderFen: 0 },
          { rank: 2, name: 'A', firstOrderFen: 0 },
        ],
      },
    });
    expect(dup.status).toBe(409);
    expect(await snapshot()).toBe(before);
  });
});
