import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { newId } from '../db/ids';
import { postTransaction } from '../db/ledger';
import { newMeter } from '../db/metered';
import { account } from '../worker/domain/ledger';
import { admin, api, createAgent, expectError, LEVELS, snapshot } from './helpers';
import { guestOrder, product, setModel } from './order-helpers';

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

// Earnings booked as orders book them: the buyer pays the brand, which credits the agent.
async function earn(agentId: string, fen: number) {
  const db = createDb(env.DB, newMeter());
  const now = Date.now();
  const [head, ...tail] = postTransaction(db, { id: newId('txn', now), kind: 'test_payment', at: now }, [
    { from: account.gateway, to: account.clearing, amountFen: fen },
    { from: account.clearing, to: account.available(agentId), amountFen: fen },
  ]);
  if (head) await db.batch([head, ...tail]);
}

interface Payout {
  kind: string;
  name: string;
  account: string;
  bank: string | null;
}

describe('payout accounts /api/agents/me/payout-account', () => {
  it('the agent keeps a bank card (spaces dropped); its next withdrawal shows the brand where to pay', async () => {
    const brand = await admin();
    const agent = await createAgent(3);
    expect((await api('/api/agents/me/payout-account', { token: agent.token })).body).toBeNull();
    const card = { kind: 'bank', name: '陈收款', account: '6222 0212 3456 7890 123', bank: '工商银行杭州西湖支行' };
    const set = await api<Payout>('/api/agents/me/payout-account', { method: 'PUT', body: card, token: agent.token });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toEqual({ ...card, account: '6222021234567890123' });
    // Changing it replaces it: one account per agent.
    const alipay = { kind: 'alipay', name: '陈收款', account: 'chen@example.com' };
    await api('/api/agents/me/payout-account', { method: 'PUT', body: alipay, token: agent.token });
    expect((await api('/api/agents/me/payout-account', { token: agent.token })).body).toEqual({
      ...alipay,
      bank: null,
    });

    await earn(agent.id, 80_000);
    const asked = await api<{ id: string; payout: Payout }>('/api/withdrawals', {
      body: { amountFen: 50_000 },
      token: agent.token,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.payout).toEqual({ ...alipay, bank: null });
    // A later change does not move a withdrawal already asked for.
    await api('/api/agents/me/payout-account', { method: 'PUT', body: card, token: agent.token });
    const queue = await api<{ items: { id: string; payout: Payout | null }[] }>(
      `/api/withdrawals?status=requested&agentId=${agent.id}`,
      { token: brand },
    );
    expect(queue.body.items).toEqual([
      expect.objectContaining({ id: asked.body.id, payout: { ...alipay, bank: null } }),
    ]);
  });

  it('a withdrawal paid by hand needs a payout account (409, nothing written); a WeChat transfer to a known openid does not', async () => {
    const brand = await admin();
    const agent = await createAgent(4);
    await earn(agent.id, 60_000);
    const before = await snapshot();
    const refused = await api('/api/withdrawals', { body: { amountFen: 20_000 }, token: agent.token });
    expectError(refused, 409, 'PAYOUT_ACCOUNT_REQUIRED', 'payout');
    expect((refused.body as { error: { message: string } }).error.message).toBe(
      '请先设置收款账户（微信、支付宝或银行卡），品牌方按该账户打款',
    );
    expect(await snapshot()).toBe(before);
    // Paid by WeChat transfer to the agent's openid, the brand needs nothing more.
    await env.DB.prepare('UPDATE agents SET openid = ? WHERE id = ?')
      .bind(`o${agent.id.slice(-20)}`, agent.id)
      .run();
    const on = await api('/api/brand/settings', { method: 'PATCH', body: { payoutTransfer: true }, token: brand });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    try {
      const asked = await api<{ payout: Payout | null }>('/api/withdrawals', {
        body: { amountFen: 20_000 },
        token: agent.token,
      });
      expect(asked.status, JSON.stringify(asked.body)).toBe(201);
      expect(asked.body.payout).toBeNull();
    } finally {
      await api('/api/brand/settings', { method: 'PATCH', body: { payoutTransfer: false }, token: brand });
    }
  });

  it('refuses a bad card number, a card without its bank, the brand and strangers, writing nothing', async () => {
    const brand = await admin();
    const agent = await createAgent(6);
    const before = await snapshot();
    const put = (body: unknown, token?: string) => api('/api/agents/me/payout-account', { method: 'PUT', body, token });
    const short = await put({ kind: 'bank', name: '陈收款', account: '6222 02', bank: '工商银行' }, agent.token);
    expectError(short, 400, 'VALIDATION_FAILED', 'account');
    expect((short.body as { error: { message: string } }).error.message).toContain('银行卡号为 12–19 位数字');
    expectError(
      await put({ kind: 'bank', name: '陈收款', account: '6222021234567890' }, agent.token),
      400,
      'VALIDATION_FAILED',
      'bank',
    );
    expectError(await put({ kind: 'paypal', name: '陈', account: 'x' }, agent.token), 400, 'VALIDATION_FAILED');
    expectError(await put({ kind: 'wechat', name: '陈收款', account: 'wx_chen' }, brand), 403, 'FORBIDDEN');
    expectError(await put({ kind: 'wechat', name: '陈收款', account: 'wx_chen' }), 401, 'UNAUTHENTICATED');
    expect(await snapshot()).toBe(before);
  });
});

describe('首单金额 on POST /api/orders (restock)', () => {
  it('refuses an applied agent’s first restock below its level’s amount, in words; a large enough one and later ones pass', async () => {
    const brand = await admin();
    const levels = LEVELS.map((name, i) => ({ rank: i + 1, name, firstOrderFen: i === 5 ? 30_000 : 0 }));
    expect((await api('/api/brand/levels', { method: 'PUT', body: { levels }, token: brand })).status).toBe(200);
    const prd = await product();
    const agent = await createAgent(6);
    const restock = (qty: number, headers: Record<string, string> = {}) =>
      api<{ id: string; error: { message: string } }>('/api/orders', {
        token: agent.token,
        headers,
        body: { kind: 'restock', lines: [{ productId: prd, qty }], paymentMethod: 'offline' },
      });

    const before = await snapshot();
    const small = await restock(1);
    expectError(small, 422, 'FIRST_ORDER_MINIMUM', 'lines');
    // ¥259 of a 天使's ¥300 first order.
    expect(small.body.error.message).toBe('首次进货金额不能低于 ¥300.00（天使首单金额），本单 ¥259.00，还差 ¥41.00');
    const en = await restock(1, { 'accept-language': 'en' });
    expect(en.body.error.message).toContain('at least ¥300.00');
    expect(await snapshot()).toBe(before);

    expect((await restock(2)).status).toBe(201);
    // The first order is placed: the next one may be small.
    expect((await restock(1)).status).toBe(201);
    await api('/api/brand/levels', {
      method: 'PUT',
      body: { levels: levels.map((l) => ({ ...l, firstOrderFen: 0 })) },
      token: brand,
    });
  });
});

describe('direct-mode restock (厂家统一发货)', () => {
  it('has no address, so the brand ships it without a tracking number; an order with an address still needs one', async () => {
    const brand = await admin();
    await setModel('direct');
    expect((await api<{ stockModel: string }>('/api/brand')).body.stockModel).toBe('direct');
    const agent = await createAgent(1);
    const productId = await product();
    const restock = await api<{ id: string; shipping: unknown }>('/api/orders', {
      body: { kind: 'restock', lines: [{ productId, qty: 2 }], paymentMethod: 'offline' },
      token: agent.token,
    });
    expect(restock.status, JSON.stringify(restock.body)).toBe(201);
    expect(restock.body.shipping).toBeNull();
    const paid = await api(`/api/orders/${restock.body.id}/confirm-payment`, { method: 'POST', token: brand });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const shipped = await api<{ status: string; trackingNo: string | null }>(`/api/orders/${restock.body.id}/ship`, {
      body: {},
      token: brand,
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body).toMatchObject({ status: 'shipped', trackingNo: null });

    const consumer = await guestOrder(agent.code, productId, 1, 'offline');
    expect(consumer.status, JSON.stringify(consumer.body)).toBe(201);
    await api(`/api/orders/${consumer.body.id}/confirm-payment`, { method: 'POST', token: brand });
    const bare = await api<{ error: { message: string } }>(`/api/orders/${consumer.body.id}/ship`, {
      body: {},
      token: brand,
    });
    expectError(bare, 400, 'VALIDATION_FAILED', 'carrier');
    expect(bare.body.error.message).toBe('输入有误：请填写快递公司和快递单号');
  });
});
