import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../worker/index';
import { hashPassword } from '../worker/lib/password';
import {
  api,
  BASE,
  type ErrorBody,
  expectError,
  freshIp,
  login,
  PASSWORD,
  rowCount,
  uniquePhone,
  uniqueWechat,
  workerFetch,
} from './helpers';
import { expectLedgerBalanced, guestOrder, notify, type OrderBody, transaction } from './order-helpers';

// A database with only the migrations and one admin, as a real deployment starts: this file never calls seedBrand()
// (nor admin(), which calls it), so the brand row and the levels come only from the setup step.

const RETAIL = 19_900;
const PRICES = { '1': 9_900, '2': 12_900, '3': 15_900 };
let token: string;

async function auditCount(action?: string): Promise<number> {
  return action
    ? rowCount('SELECT count(*) AS n FROM audit_log WHERE action = ?', action)
    : rowCount('SELECT count(*) AS n FROM audit_log');
}

// What `npm run admin:create` writes: the admin row and its audit entry, nothing else.
async function createAdminAsCli(): Promise<string> {
  const now = Date.now();
  const username = 'founder';
  await env.DB.batch([
    env.DB.prepare('INSERT INTO admins (id, username, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').bind(
      'adm_firstrun0000000000000000',
      username,
      '创始人',
      await hashPassword(PASSWORD),
      now,
    ),
    env.DB.prepare(
      `INSERT INTO audit_log (id, actor_role, actor_id, action, target_type, target_id, detail, at)
       VALUES ('aud_firstrun0000000000000000', 'system', NULL, 'admin.created', 'admin', 'adm_firstrun0000000000000000', '{"via":"cli"}', ?)`,
    ).bind(now),
  ]);
  return login('admin', username);
}

async function runCron(at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/15 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function applyAndApprove(level: number, approverToken: string, inviteCode?: string) {
  const phone = uniquePhone();
  const applied = await api<{ id: string }>('/api/applications', {
    body: {
      ...(inviteCode ? { inviteCode } : {}),
      name: '林小雨',
      phone,
      wechat: uniqueWechat(),
      region: '浙江省杭州市',
      level,
      password: PASSWORD,
    },
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(applied.status, JSON.stringify(applied.body)).toBe(201);
  const approved = await api(`/api/applications/${applied.body.id}/approve`, { method: 'POST', token: approverToken });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  const agentToken = await login('agent', phone);
  const me = await api<{ id: string; code: string }>('/api/agents/me', { token: agentToken });
  return { id: me.body.id, code: me.body.code, token: agentToken };
}

beforeAll(async () => {
  expect(await rowCount('SELECT count(*) AS n FROM brand')).toBe(0);
  token = await createAdminAsCli();
});

describe('before the setup step', () => {
  it('answers every brand endpoint without a 404 or 500, and says setup is needed', async () => {
    const pub = await api('/api/brand');
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body).toMatchObject({ name: '', levels: [] });
    const settings = await api('/api/brand/settings', { token });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    expect(settings.body).toMatchObject({ setupNeeded: true, levels: [] });
    const state = await api('/api/brand/setup', { token });
    expect(state.body).toEqual({ setupNeeded: true });
    expectError(await api('/api/brand/setup'), 401, 'UNAUTHENTICATED');
  });

  it('refuses settings and level changes with SETUP_REQUIRED, writing no audit entry and no level', async () => {
    const before = await auditCount();
    expectError(
      await api('/api/brand/settings', { method: 'PATCH', token, body: { freezeDays: 3 } }),
      409,
      'SETUP_REQUIRED',
    );
    expectError(
      await api('/api/brand/levels', {
        method: 'PUT',
        token,
        body: { levels: [{ rank: 1, name: '总代', firstOrderFen: 0 }] },
      }),
      409,
      'SETUP_REQUIRED',
    );
    expect(await auditCount()).toBe(before);
    expect(await rowCount('SELECT count(*) AS n FROM levels')).toBe(0);
    expect(await rowCount('SELECT count(*) AS n FROM brand')).toBe(0);
  });
});

describe('POST /api/brand/setup', () => {
  it('refuses bad input and writes nothing', async () => {
    const bad = await api('/api/brand/setup', {
      token,
      body: { name: '', levels: [], stockModel: 'direct', freezeDays: 7, bindingPolicy: 'permanent' },
    });
    expectError(bad, 400, 'VALIDATION_FAILED');
    const twice = await api('/api/brand/setup', {
      token,
      body: {
        name: '山茶',
        levels: [{ name: '总代' }, { name: '总代' }],
        stockModel: 'direct',
        freezeDays: 7,
        bindingPolicy: 'permanent',
      },
    });
    expectError(twice, 409, 'DUPLICATE_NAME', 'levels');
    expect(await rowCount('SELECT count(*) AS n FROM brand')).toBe(0);
  });

  it('creates the brand and its levels in one step, once', async () => {
    const res = await api('/api/brand/setup', {
      token,
      body: {
        name: '山茶花开',
        levels: [{ name: '联创', firstOrderFen: 500_000 }, { name: '总代' }, { name: '省代' }],
        stockModel: 'direct',
        freezeDays: 0,
        bindingPolicy: 'rebind',
        rebindDays: 30,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      name: '山茶花开',
      sealText: '山茶花开授权专用章',
      stockModel: 'direct',
      freezeDays: 0,
      bindingPolicy: 'rebind',
      rebindDays: 30,
      setupNeeded: false,
      levels: [
        { rank: 1, name: '联创', firstOrderFen: 500_000 },
        { rank: 2, name: '总代', firstOrderFen: 0 },
        { rank: 3, name: '省代', firstOrderFen: 0 },
      ],
    });
    expect(await auditCount('brand.setup')).toBe(1);
    expect((await api('/api/brand/setup', { token })).body).toEqual({ setupNeeded: false });
    expect((await api('/api/brand')).body).toMatchObject({
      name: '山茶花开',
      levels: [
        { rank: 1, name: '联创' },
        { rank: 2, name: '总代' },
        { rank: 3, name: '省代' },
      ],
    });
    const again = await api('/api/brand/setup', {
      token,
      body: {
        name: '另一个',
        levels: [{ name: '总代' }],
        stockModel: 'cloud',
        freezeDays: 7,
        bindingPolicy: 'permanent',
      },
    });
    expectError(again, 409, 'SETUP_DONE');
    expect(await auditCount('brand.setup')).toBe(1);
    expect((await api<{ name: string }>('/api/brand')).body.name).toBe('山茶花开');
  });
});

describe('from the setup to a settled order', () => {
  it('a product, an approved agent, a paid, shipped and completed consumer order, and the shares released by the cron', async () => {
    const created = await api<{ id: string }>('/api/products', {
      token,
      body: { sku: 'FIRST-1', name: '山茶精华', retailFen: RETAIL, prices: PRICES, onSale: true },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const productId = created.body.id;
    const stocked = await api('/api/stock/adjust', { token, body: { productId, delta: 10, reason: '首批入库' } });
    expect(stocked.status, JSON.stringify(stocked.body)).toBe(200);

    const top = await applyAndApprove(1, token);
    const seller = await applyAndApprove(3, top.token, top.code);

    const placed = await guestOrder(seller.code, productId);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.id;
    expect((await notify(transaction(orderId, RETAIL))).status).toBe(200);
    const shipped = await api<OrderBody>(`/api/orders/${orderId}/ship`, {
      token,
      body: { carrier: '顺丰速运', trackingNo: 'SF100200300' },
    });
    expect(shipped.body.status, JSON.stringify(shipped.body)).toBe('shipped');
    const completed = await api<OrderBody>(`/api/orders/${orderId}/complete`, { method: 'POST', token });
    expect(completed.body.status, JSON.stringify(completed.body)).toBe('completed');

    await runCron(Date.now() + 60_000);
    const wallet = await api<{ availableFen: number; pendingFen: number }>(`/api/agents/${seller.id}/wallet`, {
      token: seller.token,
    });
    expect(wallet.body).toMatchObject({ availableFen: RETAIL - PRICES['3'], pendingFen: 0 });
    const topWallet = await api<{ availableFen: number }>(`/api/agents/${top.id}/wallet`, { token: top.token });
    expect(topWallet.body.availableFen).toBe(PRICES['3'] - PRICES['1']);
    expect(
      await rowCount("SELECT count(*) AS n FROM order_shares WHERE order_id = ? AND status <> 'available'", orderId),
    ).toBe(0);
    await expectLedgerBalanced();
  });
});

describe('audit entries record only changes that happened', () => {
  it('a no-op settings patch and an unchanged level table write nothing; a real change writes one entry', async () => {
    const before = await auditCount();
    const same = await api('/api/brand/settings', {
      method: 'PATCH',
      token,
      body: { freezeDays: 0, name: '山茶花开' },
    });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    const levels = [
      { rank: 1, name: '联创', firstOrderFen: 500_000 },
      { rank: 2, name: '总代', firstOrderFen: 0 },
      { rank: 3, name: '省代', firstOrderFen: 0 },
    ];
    expect((await api('/api/brand/levels', { method: 'PUT', token, body: { levels } })).status).toBe(200);
    expect(await auditCount()).toBe(before);

    const changed = await api('/api/brand/settings', {
      method: 'PATCH',
      token,
      body: { freezeDays: 5, name: '山茶花开' },
    });
    expect(changed.body).toMatchObject({ freezeDays: 5 });
    expect(await auditCount()).toBe(before + 1);
    const entry = await env.DB.prepare(
      "SELECT detail FROM audit_log WHERE action = 'brand.settings' ORDER BY id DESC LIMIT 1",
    ).first<{
      detail: string;
    }>();
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ freezeDays: { from: 0, to: 5 } });
  });

  it('a refused level change (a rank still held, a duplicate name) writes no audit entry and no level', async () => {
    const before = await auditCount();
    const held = await api('/api/brand/levels', {
      method: 'PUT',
      token,
      body: { levels: [{ rank: 1, name: '联创', firstOrderFen: 0 }] },
    });
    expectError(held, 409, 'LEVEL_CONFLICT', 'levels');
    const dup = await api('/api/brand/levels', {
      method: 'PUT',
      token,
      body: {
        levels: [
          { rank: 1, name: '联创', firstOrderFen: 0 },
          { rank: 2, name: '联创', firstOrderFen: 0 },
          { rank: 3, name: '省代', firstOrderFen: 0 },
        ],
      },
    });
    expectError(dup, 409, 'DUPLICATE_NAME', 'levels');
    expect(await auditCount()).toBe(before);
    expect(await rowCount('SELECT count(*) AS n FROM levels')).toBe(3);
  });
});

describe('safe live changes', () => {
  it('a level added: a product without its price is hidden from that level’s shop, refused by name, and listed for the brand', async () => {
    const created = await api<{ id: string }>('/api/products', {
      token,
      body: { sku: 'FIRST-2', name: '山茶面霜', retailFen: RETAIL, prices: PRICES, onSale: true },
    });
    const productId = created.body.id;
    await api('/api/stock/adjust', { token, body: { productId, delta: 10, reason: '入库' } });
    const levels = [
      { rank: 1, name: '联创', firstOrderFen: 500_000 },
      { rank: 2, name: '总代', firstOrderFen: 0 },
      { rank: 3, name: '省代', firstOrderFen: 0 },
      { rank: 4, name: '体验官', firstOrderFen: 0 },
    ];
    expect((await api('/api/brand/levels', { method: 'PUT', token, body: { levels } })).status).toBe(200);
    const missing = await api<{ items: { id: string }[] }>('/api/products?missingPrices=1', { token });
    expect(missing.body.items.map((p) => p.id)).toContain(productId);
    expect(missing.body.items).toHaveLength(2);
    expectError(await api('/api/products?missingPrices=1'), 401, 'UNAUTHENTICATED');

    const top = await applyAndApprove(1, token);
    const newcomer = await applyAndApprove(4, top.token, top.code);
    const shop = await (await fetchShop(newcomer.code)).text();
    expect(shop).not.toContain('山茶面霜');
    const listed = await api<{ items: { id: string }[] }>(`/api/products?shop=${newcomer.code}`);
    expect(listed.body.items.map((p) => p.id)).not.toContain(productId);
    // Its product page through that shop finds nothing (the page then says so and leads back to the shop).
    expectError(await api(`/api/products/${productId}?shop=${newcomer.code}`), 404, 'NOT_FOUND');
    expect((await api(`/api/products/${productId}?shop=${top.code}`)).status).toBe(200);
    expect((await fetchShop(top.code).then((r) => r.text())).includes('山茶面霜')).toBe(true);

    const before = await rowCount('SELECT count(*) AS n FROM orders');
    const refused = await guestOrder(newcomer.code, productId);
    expectError(refused, 409, 'PRICE_MISSING_FOR_LEVEL', 'lines');
    expect((refused.body as unknown as ErrorBody).error.message).toBe('商品「山茶面霜」未设置「体验官」等级价格');
    expect(await rowCount('SELECT count(*) AS n FROM orders')).toBe(before);

    const priced = await api(`/api/products/${productId}`, {
      method: 'PATCH',
      token,
      body: { prices: { ...PRICES, '4': 17_900 } },
    });
    expect(priced.status, JSON.stringify(priced.body)).toBe(200);
    const still = await api<{ items: { id: string }[] }>('/api/products?missingPrices=1', { token });
    expect(still.body.items.map((p) => p.id)).not.toContain(productId);
    expect((await guestOrder(newcomer.code, productId)).status).toBe(201);
  });

  it('the stock model cannot change while agents hold cloud stock: 409 with the count of agents and units, no audit entry', async () => {
    const toCloud = await api('/api/brand/settings', { method: 'PATCH', token, body: { stockModel: 'cloud' } });
    expect(toCloud.status, JSON.stringify(toCloud.body)).toBe(200);
    const created = await api<{ id: string }>('/api/products', {
      token,
      body: { sku: 'FIRST-3', name: '山茶洁面', retailFen: RETAIL, prices: { ...PRICES, '4': 17_900 }, onSale: true },
    });
    const productId = created.body.id;
    await api('/api/stock/adjust', { token, body: { productId, delta: 10, reason: '入库' } });
    // Four units are below the 联创's 首单金额, which is not what this test is about: the brand waives it.
    const current = await api<{ levels: { rank: number; name: string }[] }>('/api/brand/settings', { token });
    const waived = current.body.levels.map(({ rank, name }) => ({ rank, name, firstOrderFen: 0 }));
    expect((await api('/api/brand/levels', { method: 'PUT', token, body: { levels: waived } })).status).toBe(200);
    const buyer = await applyAndApprove(1, token);
    const restock = await api<OrderBody>('/api/orders', {
      token: buyer.token,
      body: { kind: 'restock', lines: [{ productId, qty: 4 }], paymentMethod: 'online' },
    });
    expect(restock.status, JSON.stringify(restock.body)).toBe(201);
    await notify(transaction(restock.body.id, PRICES['1'] * 4));
    const delivered = await api<OrderBody>(`/api/orders/${restock.body.id}/ship`, { token, body: {} });
    expect(delivered.body.status, JSON.stringify(delivered.body)).toBe('completed');

    const before = await auditCount();
    const refused = await api<ErrorBody>('/api/brand/settings', {
      method: 'PATCH',
      token,
      body: { stockModel: 'direct' },
    });
    expectError(refused, 409, 'STOCK_MODEL_LOCKED', 'stockModel');
    expect(refused.body.error.message).toBe('仍有 1 位代理持有云仓库存共 4 件，不能切换库存模式');
    const english = await api<ErrorBody>('/api/brand/settings', {
      method: 'PATCH',
      token,
      body: { stockModel: 'direct' },
      headers: { 'accept-language': 'en' },
    });
    expect(english.body.error.message).toContain('1 agent(s) still hold 4 unit(s)');
    expect(await auditCount()).toBe(before);
    expect((await api<{ stockModel: string }>('/api/brand/settings', { token })).body.stockModel).toBe('cloud');

    // Other settings still change while the stock is held.
    expect((await api('/api/brand/settings', { method: 'PATCH', token, body: { freezeDays: 6 } })).status).toBe(200);
  });
});

function fetchShop(code: string) {
  return workerFetch(`${BASE}/s/${code}`);
}
