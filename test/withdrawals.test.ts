import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { newId } from '../db/ids';
import { postTransaction } from '../db/ledger';
import { newMeter } from '../db/metered';
import { account, type Transfer } from '../worker/domain/ledger';
import {
  admin,
  api,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  sessionToken,
  setPayoutAccount,
  snapshot,
  type TestAgent,
  uniquePhone,
  withSmsCode,
} from './helpers';
import { balance, expectLedgerBalanced } from './order-helpers';

interface Withdrawal {
  id: string;
  agentId: string;
  agentName: string;
  amountFen: number;
  status: string;
  reference: string | null;
  reason: string | null;
  decidedAt: number | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const db = createDb(env.DB, newMeter());
const MIN = 10_000;
let adminToken: string;

async function post(kind: string, transfers: Transfer[]) {
  const now = Date.now();
  const [head, ...tail] = postTransaction(db, { id: newId('txn', now), kind, at: now }, transfers);
  if (head) await db.batch([head, ...tail]);
}

// Earnings booked as orders book them: the buyer pays the brand, which credits the agent.
async function earn(agentId: string, fen: number) {
  await post('test_payment', [
    { from: account.gateway, to: account.clearing, amountFen: fen },
    { from: account.clearing, to: account.available(agentId), amountFen: fen },
  ]);
}

function withdraw(agent: TestAgent, amountFen: number, headers: Record<string, string> = {}) {
  return api<Withdrawal>('/api/withdrawals', { body: { amountFen }, token: agent.token, headers });
}

async function agentWith(availableFen: number) {
  const agent = await createAgent(3);
  await setPayoutAccount(agent);
  if (availableFen > 0) await earn(agent.id, availableFen);
  return agent;
}

beforeAll(async () => {
  adminToken = await admin();
  const res = await api('/api/brand/settings', { method: 'PATCH', token: adminToken, body: { withdrawMinFen: MIN } });
  expect(res.status).toBe(200);
});

describe('POST /api/withdrawals', () => {
  it('holds the amount: available → withdrawing, one requested withdrawal, audited', async () => {
    const agent = await agentWith(50_000);
    const res = await withdraw(agent, 12_345);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ agentId: agent.id, amountFen: 12_345, status: 'requested', reference: null });
    expect(res.body.id).toMatch(/^wdr_[0-9a-z]{26}$/);
    expect(await balance(account.available(agent.id))).toBe(50_000 - 12_345);
    expect(await balance(account.withdrawing(agent.id))).toBe(12_345);
    const log = await api<Page<{ action: string; actorId: string }>>(`/api/audit?targetId=${res.body.id}`, {
      token: adminToken,
    });
    expect(log.body.items.map((e) => e.action)).toEqual(['withdrawal.request']);
    expect(log.body.items[0]?.actorId).toBe(agent.id);
    await expectLedgerBalanced();
  });

  it('refuses an amount below the brand minimum, naming the minimum', async () => {
    const agent = await agentWith(50_000);
    const res = await withdraw(agent, MIN - 1);
    expectError(res, 400, 'BELOW_MINIMUM', 'amountFen');
    expect((res.body as unknown as { error: { message: string } }).error.message).toContain('¥100.00');
    expect(await balance(account.available(agent.id))).toBe(50_000);
  });

  it('refuses more than the available balance, naming what is available', async () => {
    const agent = await agentWith(50_000);
    const res = await withdraw(agent, 50_001);
    expectError(res, 409, 'INSUFFICIENT_BALANCE', 'amountFen');
    expect((res.body as unknown as { error: { message: string } }).error.message).toContain('¥500.00');
    expectError(await withdraw(await agentWith(0), MIN), 409, 'INSUFFICIENT_BALANCE', 'amountFen');
  });

  it('refuses any withdrawal while the wallet owes money', async () => {
    const agent = await agentWith(0);
    // A refund after the share was available: the wallet goes negative.
    await post('test_clawback', [{ from: account.available(agent.id), to: account.clearing, amountFen: 3_000 }]);
    const res = await withdraw(agent, MIN);
    expectError(res, 409, 'DEBT_OUTSTANDING');
    expect((res.body as unknown as { error: { message: string } }).error.message).toContain('¥30.00');
    const wallet = await api<{ debtFen: number; withdrawable: boolean }>('/api/agents/me/wallet', {
      token: agent.token,
    });
    expect(wallet.body).toMatchObject({ debtFen: 3_000, withdrawable: false });
  });

  it('lets 20 concurrent requests that fit 3 times take exactly 3 and never overdraw', async () => {
    const agent = await agentWith(3 * MIN + MIN / 2);
    const results = await Promise.all(Array.from({ length: 20 }, () => withdraw(agent, MIN)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    for (const r of results.filter((x) => x.status !== 201)) expectError(r, 409, 'INSUFFICIENT_BALANCE');
    expect(await balance(account.available(agent.id))).toBe(MIN / 2);
    expect(await balance(account.withdrawing(agent.id))).toBe(3 * MIN);
    const rows = await env.DB.prepare('SELECT status FROM withdrawals WHERE agent_id = ?').bind(agent.id).all();
    expect(rows.results).toEqual([{ status: 'requested' }, { status: 'requested' }, { status: 'requested' }]);
    // The available balance was changed once per accepted request: it equals the sum of its entries.
    await expectLedgerBalanced();
  });

  it('answers a repeated Idempotency-Key with the first withdrawal', async () => {
    const agent = await agentWith(50_000);
    const key = `wd-${crypto.randomUUID()}`;
    const first = await withdraw(agent, MIN, { 'idempotency-key': key });
    const again = await withdraw(agent, MIN, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await balance(account.available(agent.id))).toBe(50_000 - MIN);
    expectError(await withdraw(agent, MIN + 1, { 'idempotency-key': key }), 422, 'IDEMPOTENCY_CONFLICT');
  });

  it('is for agents only', async () => {
    expectError(await api('/api/withdrawals', { body: { amountFen: MIN }, token: adminToken }), 403, 'FORBIDDEN');
    expectError(await api('/api/withdrawals', { body: { amountFen: MIN } }), 401, 'UNAUTHENTICATED');
  });
});

describe('deciding a withdrawal', () => {
  it('approve pays it: withdrawing → payouts, with the reference; a second decision is refused', async () => {
    const agent = await agentWith(30_000);
    const { body: requested } = await withdraw(agent, 20_000);
    const payoutsBefore = await balance(account.payouts);
    const res = await api<Withdrawal>(`/api/withdrawals/${requested.id}/approve`, {
      body: { reference: 'WX20250101-0001' },
      token: adminToken,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: requested.id, status: 'paid', reference: 'WX20250101-0001' });
    expect(res.body.decidedAt).toBeTypeOf('number');
    expect(await balance(account.withdrawing(agent.id))).toBe(0);
    expect(await balance(account.available(agent.id))).toBe(10_000);
    expect(await balance(account.payouts)).toBe(payoutsBefore + 20_000);

    const path = `/api/withdrawals/${requested.id}`;
    expectError(
      await api(`${path}/approve`, { body: { reference: 'again' }, token: adminToken }),
      409,
      'INVALID_STATE',
    );
    expectError(await api(`${path}/reject`, { body: { reason: '重复' }, token: adminToken }), 409, 'INVALID_STATE');
    expect(await balance(account.payouts)).toBe(payoutsBefore + 20_000);
    const log = await api<Page<{ action: string }>>(`/api/audit?targetId=${requested.id}`, { token: adminToken });
    expect(log.body.items.map((e) => e.action)).toEqual(['withdrawal.approve', 'withdrawal.request']);
    await expectLedgerBalanced();
  });

  it('reject returns the amount to available with the reason; a second decision is refused', async () => {
    const agent = await agentWith(30_000);
    const { body: requested } = await withdraw(agent, 20_000);
    const res = await api<Withdrawal>(`/api/withdrawals/${requested.id}/reject`, {
      body: { reason: '收款信息有误' },
      token: adminToken,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', reason: '收款信息有误', reference: null });
    expect(await balance(account.available(agent.id))).toBe(30_000);
    expect(await balance(account.withdrawing(agent.id))).toBe(0);
    const again = await api(`/api/withdrawals/${requested.id}/reject`, { body: { reason: '再次' }, token: adminToken });
    expectError(again, 409, 'INVALID_STATE');
    expect(await balance(account.available(agent.id))).toBe(30_000);
    await expectLedgerBalanced();
  });

  it('lets only one of two concurrent decisions through', async () => {
    const agent = await agentWith(30_000);
    const { body: requested } = await withdraw(agent, 20_000);
    const [paid, rejected] = await Promise.all([
      api(`/api/withdrawals/${requested.id}/approve`, { body: { reference: 'REF-1' }, token: adminToken }),
      api(`/api/withdrawals/${requested.id}/reject`, { body: { reason: '并发' }, token: adminToken }),
    ]);
    expect([paid.status, rejected.status].sort()).toEqual([200, 409]);
    expect(await balance(account.withdrawing(agent.id))).toBe(0);
    expect(await balance(account.available(agent.id))).toBe(paid.status === 200 ? 10_000 : 30_000);
    await expectLedgerBalanced();
  });

  it('is for the brand only, and an unknown withdrawal is not found', async () => {
    const agent = await agentWith(30_000);
    const { body: requested } = await withdraw(agent, MIN);
    const signup = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '会员乙', password: PASSWORD, ref: agent.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    for (const token of [agent.token, sessionToken(signup)]) {
      expectError(await api(`/api/withdrawals/${requested.id}/approve`, { body: {}, token }), 403, 'FORBIDDEN');
      expectError(await api(`/api/withdrawals/${requested.id}/reject`, { body: {}, token }), 403, 'FORBIDDEN');
    }
    expectError(await api(`/api/withdrawals/${requested.id}/approve`, { body: {} }), 401, 'UNAUTHENTICATED');
    const missing = await api(`/api/withdrawals/${newId('wdr')}/approve`, {
      body: { reference: 'X' },
      token: adminToken,
    });
    expectError(missing, 404, 'NOT_FOUND');
  });
});

describe('GET /api/withdrawals', () => {
  it('shows an agent its own and the brand everyone’s, newest first, filtered and paginated', async () => {
    const mine = await agentWith(100_000);
    const other = await agentWith(100_000);
    const a = (await withdraw(mine, MIN)).body;
    const b = (await withdraw(mine, MIN + 1)).body;
    const c = (await withdraw(other, MIN + 2)).body;
    await api(`/api/withdrawals/${a.id}/reject`, { body: { reason: '测试' }, token: adminToken });

    const own = await api<Page<Withdrawal>>(`/api/withdrawals?agentId=${other.id}`, { token: mine.token });
    expect(own.body.items.map((w) => w.id)).toEqual([b.id, a.id]);

    const first = await api<Page<Withdrawal>>(`/api/withdrawals?agentId=${mine.id}&limit=1`, { token: adminToken });
    expect(first.body.items.map((w) => w.id)).toEqual([b.id]);
    const next = await api<Page<Withdrawal>>(
      `/api/withdrawals?agentId=${mine.id}&limit=1&cursor=${first.body.nextCursor}`,
      { token: adminToken },
    );
    expect(next.body.items.map((w) => w.id)).toEqual([a.id]);
    expect(next.body.nextCursor).toBeNull();

    const requested = await api<Page<Withdrawal>>('/api/withdrawals?status=requested&limit=100', { token: adminToken });
    const ids = requested.body.items.map((w) => w.id);
    expect(ids).toContain(b.id);
    expect(ids).toContain(c.id);
    expect(ids).not.toContain(a.id);
    expect(requested.body.items.every((w) => w.status === 'requested')).toBe(true);
    expect(requested.body.items.find((w) => w.id === c.id)?.agentName).toBe('张三丰');
  });
});

describe('payout kinds the brand accepts (payoutKinds)', () => {
  const put = (agent: TestAgent, body: unknown, headers: Record<string, string> = {}) =>
    api<{ error: { message: string } }>('/api/agents/me/payout-account', {
      method: 'PUT',
      body,
      token: agent.token,
      headers,
    });
  const setKinds = (payoutKinds: unknown) =>
    api<{ payoutKinds: string[] }>('/api/brand/settings', {
      method: 'PATCH',
      body: { payoutKinds },
      token: adminToken,
    });
  const alipay = { kind: 'alipay', name: '陈收款', account: 'chen@example.com' };

  it('a kind the brand dropped is refused on the account (field kind) and on a withdrawal (field payout), writing nothing; a withdrawal asked before keeps its account', async () => {
    const agent = await agentWith(80_000);
    expect((await put(agent, alipay)).status).toBe(200);
    const before = await withdraw(agent, MIN);
    expect(before.status, JSON.stringify(before.body)).toBe(201);

    const changed = await setKinds(['bank', 'wechat', 'bank']);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    try {
      // Stored in form order, each once; agents read it from the public brand.
      expect(changed.body.payoutKinds).toEqual(['wechat', 'bank']);
      expect((await api<{ payoutKinds: string[] }>('/api/brand')).body.payoutKinds).toEqual(['wechat', 'bank']);

      const unchanged = await snapshot();
      const refused = await put(agent, { ...alipay, account: 'chen2@example.com' });
      expectError(refused, 422, 'PAYOUT_KIND_NOT_ACCEPTED', 'kind');
      expect(refused.body.error.message).toBe('品牌方不支持支付宝收款，请改用：微信、银行卡');
      const en = await put(agent, alipay, { 'accept-language': 'en' });
      expect(en.body.error.message).toBe('The brand does not pay to Alipay; use one of: WeChat, bank card');
      const asked = await withdraw(agent, MIN);
      expectError(asked, 422, 'PAYOUT_KIND_NOT_ACCEPTED', 'payout');
      expect(await snapshot()).toBe(unchanged);

      // What was asked before the change still names the account the brand must pay.
      const queue = await api<Page<{ id: string; payout: { kind: string } | null }>>(
        `/api/withdrawals?agentId=${agent.id}`,
        { token: adminToken },
      );
      expect(queue.body.items).toEqual([
        expect.objectContaining({ id: before.body.id, payout: { ...alipay, bank: null } }),
      ]);
      const own = await api<Page<{ id: string; payout: unknown }>>('/api/withdrawals', { token: agent.token });
      expect(own.body.items[0]?.payout).toEqual({ ...alipay, bank: null });

      // An accepted kind works again.
      await setPayoutAccount(agent);
      expect((await withdraw(agent, MIN)).status).toBe(201);
    } finally {
      expect((await setKinds(['wechat', 'alipay', 'bank'])).status).toBe(200);
    }
  });

  it('the brand must accept at least one known kind; only the brand sets it', async () => {
    const agent = await createAgent(5);
    const before = await snapshot();
    expectError(await setKinds([]), 400, 'VALIDATION_FAILED', 'payoutKinds');
    expectError(await setKinds(['paypal']), 400, 'VALIDATION_FAILED', 'payoutKinds.0');
    expectError(
      await api('/api/brand/settings', { method: 'PATCH', body: { payoutKinds: ['bank'] }, token: agent.token }),
      403,
      'FORBIDDEN',
    );
    expect(await snapshot()).toBe(before);
    // Setting the same set again changes nothing (no write, no audit entry).
    const audits = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'brand.settings'").first();
    expect((await setKinds(['bank', 'alipay', 'wechat'])).status).toBe(200);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'brand.settings'").first()).toEqual(
      audits,
    );
  });
});
