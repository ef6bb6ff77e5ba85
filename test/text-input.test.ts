import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  api,
  createAgent,
  type ErrorBody,
  expectError,
  freshIp,
  PASSWORD,
  rowCount,
  snapshot,
  type TestAgent,
  uniquePhone,
  uniqueWechat,
} from './helpers';
import { guestPhone, PRICES, product, RETAIL } from './order-helpers';

// Names, regions, addresses and free text refuse control characters and bidi controls (they make "王小明\u202E" read
// differently on a certificate, a list or an export) with 400 VALIDATION_FAILED on the field; the team search takes
// % and _ literally.

const RLO = '\u202E';
const NUL = '\u0000';
const LRI = '\u2066';

let agent: TestAgent;
let adminToken: string;
beforeAll(async () => {
  adminToken = await admin();
  agent = await createAgent(4);
});

function application(override: Record<string, unknown>) {
  return api('/api/applications', {
    body: {
      name: '张三丰',
      phone: uniquePhone(),
      wechat: uniqueWechat(),
      region: '浙江省杭州市',
      level: 6,
      password: PASSWORD,
      inviteCode: agent.code,
      ...override,
    },
    headers: { 'cf-connecting-ip': freshIp() },
  });
}

describe('text a person types', () => {
  it('refuses a bidi override or a control character in a name, a region, an address and a reason, writing nothing', async () => {
    const productId = await product();
    const before = await snapshot();
    expectError(await application({ name: `王小明${RLO}` }), 400, 'VALIDATION_FAILED', 'name');
    expectError(await application({ name: `王${NUL}小明` }), 400, 'VALIDATION_FAILED', 'name');
    expectError(await application({ region: `浙江${LRI}省` }), 400, 'VALIDATION_FAILED', 'region');
    const signup = await api<ErrorBody>('/api/members', {
      body: { phone: uniquePhone(), name: `${RLO}李四`, password: PASSWORD, ref: agent.code },
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expectError(signup, 400, 'VALIDATION_FAILED', 'name');
    expect(signup.body.error.message).toContain('U+202E');
    const order = await api('/api/orders', {
      body: {
        kind: 'consumer',
        shopCode: agent.code,
        lines: [{ productId, qty: 1 }],
        paymentMethod: 'offline',
        shipping: { name: '王小明', phone: guestPhone(agent.code), address: `浙江省杭州市西湖区${NUL}文三路 100 号` },
      },
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expectError(order, 400, 'VALIDATION_FAILED', 'shipping.address');
    const suspend = await api(`/api/agents/${agent.id}/suspend`, { body: { reason: `乱价${RLO}` }, token: adminToken });
    expectError(suspend, 400, 'VALIDATION_FAILED', 'reason');
    const settings = await api('/api/brand/settings', {
      method: 'PATCH',
      body: { name: `品牌${RLO}` },
      token: adminToken,
    });
    expectError(settings, 400, 'VALIDATION_FAILED', 'name');
    const en = await application({ name: `王小明${RLO}` });
    expect(en.status).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('keeps ordinary names, and line breaks in a product description', async () => {
    expect((await application({ name: '欧阳·娜娜' })).status).toBe(201);
    const res = await api('/api/products', {
      body: {
        sku: `SKU-${uniqueWechat()}`,
        name: '玻尿酸精华液',
        description: '第一行\n第二行\t说明',
        onSale: true,
        retailFen: RETAIL,
        prices: Object.fromEntries(PRICES.map((fen, i) => [String(i + 1), fen])),
      },
      token: adminToken,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});

describe('error messages name fields in words', () => {
  it('says 手机号 (Phone in English), never the key, and takes a phone typed in groups', async () => {
    const short = await api<ErrorBody>('/api/applications', {
      body: { name: '张三丰', phone: '1380013', wechat: uniqueWechat(), region: '浙江省杭州市', level: 6 },
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expectError(short, 400, 'VALIDATION_FAILED', 'phone');
    expect(short.body.error.message).toBe('输入有误：手机号：请输入 11 位中国大陆手机号');
    const en = await api<ErrorBody>('/api/applications', {
      body: { name: '张三丰', phone: '1380013', wechat: uniqueWechat(), region: '浙江省杭州市', level: 6 },
      headers: { 'cf-connecting-ip': freshIp(), 'accept-language': 'en' },
    });
    expect(en.body.error.message).toBe('Invalid input: Phone: Enter an 11-digit mainland China mobile number');
    // A nested field is named by its last key (lines.0.qty is 数量); a key without words is left out, never shown.
    const qty = await api<ErrorBody>('/api/orders', {
      body: { kind: 'restock', lines: [{ productId: `prd_${'0'.repeat(26)}`, qty: 0 }], paymentMethod: 'offline' },
      token: agent.token,
    });
    expectError(qty, 400, 'VALIDATION_FAILED', 'lines.0.qty');
    expect(qty.body.error.message).toMatch(/^输入有误：数量：/);
    expect(qty.body.error.message).not.toMatch(/lines|qty/);
    // "138 0013 8000" is the same phone as 13800138000: spaces are dropped before the length check.
    const phone = uniquePhone();
    const spaced = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
    const res = await application({ phone: spaced });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await rowCount('SELECT count(*) AS n FROM applications WHERE phone = ?', phone)).toBe(1);
  });
});

describe('GET /api/agents?q=', () => {
  it('takes % and _ literally: a WeChat ID with _ is found by its prefix, and % alone matches no one', async () => {
    const found = await api<{ items: { id: string }[] }>(
      `/api/agents?q=${encodeURIComponent(agent.wechat.slice(0, 4))}`,
      { token: adminToken },
    );
    expect(agent.wechat.slice(0, 4)).toContain('_');
    expect(found.status).toBe(200);
    expect(found.body.items.map((a) => a.id)).toContain(agent.id);
    const percent = await api<{ items: unknown[] }>(`/api/agents?q=${encodeURIComponent('%')}`, { token: adminToken });
    expect(percent.body.items).toEqual([]);
  });
});
