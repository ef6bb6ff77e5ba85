import { beforeAll, describe, expect, it } from 'vitest';
import { order as paidOrder } from './binding-helpers';
import {
  api,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  sessionToken,
  smsCode,
  type TestAgent,
  uniquePhone,
  withSmsCode,
} from './helpers';
import { guestAuth, guestOrder, type OrderBody, product, setModel, setStock } from './order-helpers';

// Checkout (issue 15). Item 1: checkout and the order page name the agent an order belongs to and whom to pay, also when the
// buyer's phone is bound to another agent than the shop's (何梦's customer ordering in 林磊's shop).

type Serving = {
  servedBy: { name: string; levelName: string; certNumber: string | null } | null;
  otherThanShop: boolean;
  payees: { online: { name: string; payNote: string }; offline: { name: string; payNote: string } };
};
type Order = OrderBody & {
  servedBy: Serving['servedBy'];
  payee: { name: string; payNote: string } | null;
};

let heMeng: TestAgent;
let linLei: TestAgent;
let prd: string;
let brandName: string;

beforeAll(async () => {
  await setModel('cloud');
  heMeng = await createAgent(6, undefined, '何梦');
  linLei = await createAgent(6, undefined, '林磊');
  prd = await product(1000);
  await setStock(heMeng.id, prd, 100);
  await setStock(linLei.id, prd, 100);
  brandName = (await api<{ name: string }>('/api/brand')).body.name ?? '';
});

const serving = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api<Serving>('/api/orders/serving', { body, headers: { 'cf-connecting-ip': freshIp(), ...headers } });

// A phone bound to 何梦 by a paid order in 何梦's shop.
async function heMengsPhone(): Promise<string> {
  const phone = uniquePhone();
  const paid = await paidOrder(heMeng.code, prd, phone);
  expect(paid.seller).toBe(heMeng.id);
  return phone;
}

// The lookup cookie a guest gets by proving its phone with an SMS code.
async function provedCookie(phone: string): Promise<string> {
  const res = await api('/api/orders/lookup', { body: { phone, smsCode: await smsCode(phone, 'orders') } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('POST /api/orders/serving', () => {
  it('a new phone in 林磊’s shop: 林磊 serves, and is paid offline in the cloud model', async () => {
    const res = await serving({ shopCode: linLei.code, phone: uniquePhone() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.servedBy).toMatchObject({ name: '林磊', levelName: '天使' });
    expect(res.body.servedBy?.certNumber).toBeTruthy();
    expect(res.body.otherThanShop).toBe(false);
    expect(res.body.payees.offline.name).toBe('林磊');
    expect(res.body.payees.offline.payNote).toBe(`微信号：${linLei.wechat}`);
    expect(res.body.payees.online.name).toBe(brandName);
  });

  it('an unproved guest phone bound to 何梦 is not named: the brand collects, and the order says the same', async () => {
    const phone = await heMengsPhone();
    const res = await serving({ shopCode: linLei.code, phone });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ servedBy: null, otherThanShop: true });
    expect(res.body.payees.offline.name).toBe(brandName);
    expect(JSON.stringify(res.body)).not.toContain('何梦');

    const placed = await guestOrder(linLei.code, prd, 1, 'offline', {}, phone);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.payeeId).toBe('brand');
    const read = await api<Order>(`/api/orders/${placed.body.id}`, { headers: guestAuth(placed) });
    expect(read.status).toBe(200);
    expect(read.body.servedBy).toBeNull();
    expect(read.body.payee?.name).toBe(brandName);
  });

  it('a guest who proved the phone by SMS code is told 何梦 serves and is paid; the order is 何梦’s to confirm', async () => {
    const phone = await heMengsPhone();
    const cookie = await provedCookie(phone);
    const res = await serving({ shopCode: linLei.code, phone }, { cookie });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.servedBy).toMatchObject({ name: '何梦', levelName: '天使' });
    expect(res.body.otherThanShop).toBe(true);
    expect(res.body.payees.offline).toEqual({ name: '何梦', payNote: `微信号：${heMeng.wechat}`, payQrUrl: null });
    // Another phone than the proved one is still not named.
    const other = await heMengsPhone();
    expect((await serving({ shopCode: linLei.code, phone: other }, { cookie })).body.servedBy).toBeNull();

    const placed = await guestOrder(linLei.code, prd, 1, 'offline', { cookie }, phone);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.payeeId).toBe(heMeng.id);
    const read = await api<Order>(`/api/orders/${placed.body.id}`, { headers: guestAuth(placed) });
    expect(read.body.servedBy).toMatchObject({ name: '何梦', levelName: '天使' });
    expect(read.body.payee?.name).toBe('何梦');
    expectError(
      await api(`/api/orders/${placed.body.id}/confirm-payment`, { method: 'POST', token: linLei.token }),
      404,
      'NOT_FOUND',
    );
    const confirmed = await api<Order>(`/api/orders/${placed.body.id}/confirm-payment`, {
      method: 'POST',
      token: heMeng.token,
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe('paid');
  });

  it('a signed-in member bound to 何梦 is told 何梦 serves in 林磊’s shop; its order page names 何梦', async () => {
    const phone = await heMengsPhone();
    const signed = await api('/api/members', {
      body: await withSmsCode({ phone, name: '顾客甲', password: PASSWORD }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    const token = sessionToken(signed);
    const res = await api<Serving>('/api/orders/serving', { token, body: { shopCode: linLei.code } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.servedBy?.name).toBe('何梦');
    expect(res.body.payees.offline.name).toBe('何梦');
    const placed = await api<Order>('/api/orders', {
      token,
      body: {
        kind: 'consumer',
        shopCode: linLei.code,
        lines: [{ productId: prd, qty: 1 }],
        paymentMethod: 'offline',
        shipping: { name: '顾客甲', phone, address: '浙江省杭州市西湖区文三路 100 号' },
      },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const read = await api<Order>(`/api/orders/${placed.body.id}`, { token });
    expect(read.body.servedBy?.name).toBe('何梦');
    expect(read.body.payee?.name).toBe('何梦');
  });

  it('refuses bad input and unknown shops without a 500, and agents', async () => {
    expectError(await serving({ shopCode: 'NOPE' }), 400, 'VALIDATION_FAILED', 'shopCode');
    expectError(await serving({ shopCode: linLei.code, phone: '123' }), 400, 'VALIDATION_FAILED', 'phone');
    expectError(await serving({ shopCode: 'zzzzzzzz' }), 409, 'SHOP_CLOSED');
    expectError(
      await api('/api/orders/serving', { token: linLei.token, body: { shopCode: linLei.code } }),
      403,
      'FORBIDDEN',
    );
  });

  it('is rate limited per address, so phones cannot be swept', async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++) {
      const res = await serving({ shopCode: linLei.code, phone: uniquePhone() }, { 'cf-connecting-ip': ip });
      expect(res.status).toBe(200);
    }
    const res = await serving({ shopCode: linLei.code, phone: uniquePhone() }, { 'cf-connecting-ip': ip });
    expectError(res, 429, 'RATE_LIMITED');
  });
});

describe('/api/members/me/addresses', () => {
  type Saved = { id: string; name: string; phone: string; address: string; isDefault: boolean };
  async function member(): Promise<string> {
    const res = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '地址会员', password: PASSWORD }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return sessionToken(res);
  }
  const save = (token: string, address: string, isDefault?: boolean) =>
    api<Saved>('/api/members/me/addresses', {
      token,
      body: { name: '收件人', phone: '13900001111', address, ...(isDefault ? { isDefault } : {}) },
    });
  const list = async (token: string) =>
    (await api<{ items: Saved[] }>('/api/members/me/addresses', { token })).body.items;

  it('saves addresses, the first as the default; another can become the default; one is deleted', async () => {
    const token = await member();
    const first = await save(token, '浙江省杭州市西湖区 文三路 100 号');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.isDefault).toBe(true);
    const second = await save(token, '上海市浦东新区 世纪大道 100 号');
    expect(second.body.isDefault).toBe(false);
    const third = await save(token, '北京市海淀区 中关村大街 1 号', true);
    expect(third.body.isDefault).toBe(true);
    expect((await list(token)).map((a) => [a.address.slice(0, 3), a.isDefault])).toEqual([
      ['北京市', true],
      ['上海市', false],
      ['浙江省', false],
    ]);
    const made = await api<{ items: Saved[] }>(`/api/members/me/addresses/${second.body.id}/default`, {
      method: 'PUT',
      token,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body.items.filter((a) => a.isDefault).map((a) => a.id)).toEqual([second.body.id]);
    const gone = await api(`/api/members/me/addresses/${third.body.id}`, { method: 'DELETE', token });
    expect(gone.status).toBe(204);
    expect((await list(token)).map((a) => a.id)).toEqual([second.body.id, first.body.id]);
  });

  it('changes an address in place and can make it the default; another member’s is not found and stays', async () => {
    const token = await member();
    const first = await save(token, '浙江省杭州市西湖区 文三路 100 号');
    const second = await save(token, '上海市浦东新区 世纪大道 100 号');
    const changed = { name: '新收件人', phone: '13900002222', address: '上海市浦东新区 世纪大道 200 号' };
    const put = (id: string, body: object, as = token) =>
      api<Saved>(`/api/members/me/addresses/${id}`, { method: 'PUT', token: as, body });
    const edited = await put(second.body.id, changed);
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toEqual({ id: second.body.id, ...changed, isDefault: false });
    // Without isDefault the default stays where it was; with it, it moves.
    expect((await list(token)).filter((a) => a.isDefault).map((a) => a.id)).toEqual([first.body.id]);
    const moved = await put(second.body.id, { ...changed, isDefault: true });
    expect(moved.body.isDefault).toBe(true);
    expect((await list(token)).map((a) => [a.id, a.isDefault])).toEqual([
      [second.body.id, true],
      [first.body.id, false],
    ]);
    const other = await member();
    expectError(await put(first.body.id, { ...changed, isDefault: true }, other), 404, 'NOT_FOUND');
    expectError(await put(first.body.id, { ...changed, address: '短' }), 400, 'VALIDATION_FAILED', 'address');
    // Agents and the anonymous are refused before the body is read.
    expectError(await put(first.body.id, {}, linLei.token), 403, 'FORBIDDEN');
    expectError(
      await api(`/api/members/me/addresses/${first.body.id}`, { method: 'PUT', body: {} }),
      401,
      'UNAUTHENTICATED',
    );
    const after = await list(token);
    expect(after.find((a) => a.id === first.body.id)).toMatchObject({
      address: '浙江省杭州市西湖区 文三路 100 号',
      isDefault: false,
    });
    expect(after.filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('pages by cursor, the default first and then the newest', async () => {
    const token = await member();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await save(token, `浙江省杭州市西湖区 文三路 ${i} 号`)).body.id);
    type Page = { items: Saved[]; nextCursor: string | null };
    const page = (query: string) => api<Page>(`/api/members/me/addresses?${query}`, { token });
    const one = await page('limit=2');
    expect(one.body.items.map((a) => a.id)).toEqual([ids[0], ids[4]]);
    expect(one.body.nextCursor).toBe(`0:${ids[4]}`);
    const two = await page(`limit=2&cursor=${one.body.nextCursor}`);
    expect(two.body.items.map((a) => a.id)).toEqual([ids[3], ids[2]]);
    const three = await page(`limit=2&cursor=${two.body.nextCursor}`);
    expect(three.body).toEqual({ items: [expect.objectContaining({ id: ids[1] })], nextCursor: null });
    // A page that ends on the default goes on with the others.
    const afterDefault = await page(`limit=2&cursor=1:${ids[0]}`);
    expect(afterDefault.body.items.map((a) => a.id)).toEqual([ids[4], ids[3]]);
    expectError(await page('cursor=adr_x'), 400, 'VALIDATION_FAILED', 'cursor');
  });

  it('keeps at most 10 per member, refusing the 11th whole (the default stays)', async () => {
    const token = await member();
    for (let i = 0; i < 10; i++) expect((await save(token, `浙江省杭州市西湖区 文三路 ${i} 号`)).status).toBe(201);
    expectError(await save(token, '浙江省杭州市西湖区 文三路 99 号', true), 409, 'ADDRESS_LIMIT');
    const items = await list(token);
    expect(items).toHaveLength(10);
    expect(items.filter((a) => a.isDefault).map((a) => a.address)).toEqual(['浙江省杭州市西湖区 文三路 0 号']);
  });

  it('another member’s address is not found; guests and agents are refused; bad input is a 400', async () => {
    const owner = await member();
    const saved = await save(owner, '浙江省杭州市西湖区 文三路 100 号');
    const other = await member();
    expectError(
      await api(`/api/members/me/addresses/${saved.body.id}`, { method: 'DELETE', token: other }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await api(`/api/members/me/addresses/${saved.body.id}/default`, { method: 'PUT', token: other }),
      404,
      'NOT_FOUND',
    );
    expect(await list(other)).toEqual([]);
    expect((await list(owner)).map((a) => a.id)).toEqual([saved.body.id]);
    expectError(await api('/api/members/me/addresses'), 401, 'UNAUTHENTICATED');
    expectError(await api('/api/members/me/addresses', { token: linLei.token }), 403, 'FORBIDDEN');
    expectError(await save(owner, '短'), 400, 'VALIDATION_FAILED', 'address');
  });
});
