// Withdrawals paid by WeChat Pay transfer (商家转账到零钱), through HTTP into the Worker, with D1 in miniflare and the
// Worker's outbound calls answered by a fake WeChat Pay (test/wechatpay-fake.ts) that checks their signatures.
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../db/client';
import { newId } from '../db/ids';
import { postTransaction } from '../db/ledger';
import { newMeter } from '../db/metered';
import { account } from '../worker/domain/ledger';
import { runScheduled } from '../worker/scheduled';
import { admin, api, createAgent, expectError, setPayoutAccount, type TestAgent } from './helpers';
import { balance, expectLedgerBalanced } from './order-helpers';
import { createFakePay, type FakePay, installFakePay } from './wechatpay-fake';

interface Withdrawal {
  id: string;
  status: string;
  reference: string | null;
  reason: string | null;
  payoutMethod: string;
  transferState: string | null;
  agentWechat: boolean;
}

const db = createDb(env.DB, newMeter());
let adminToken: string;
let fake: FakePay;
let uninstall: () => void;

async function earn(agentId: string, fen: number) {
  const now = Date.now();
  const [head, ...tail] = postTransaction(db, { id: newId('txn', now), kind: 'test_payment', at: now }, [
    { from: account.gateway, to: account.clearing, amountFen: fen },
    { from: account.clearing, to: account.available(agentId), amountFen: fen },
  ]);
  if (head) await db.batch([head, ...tail]);
}

// The openid would come from the agent's WeChat sign-in (OAuth, another branch's work); set here as that would.
async function agentWithOpenid(availableFen: number, openid: string | null = `o${crypto.randomUUID().slice(0, 27)}`) {
  const agent = await createAgent(3);
  await earn(agent.id, availableFen);
  if (openid) await env.DB.prepare('UPDATE agents SET openid = ? WHERE id = ?').bind(openid, agent.id).run();
  else await setPayoutAccount(agent);
  return { agent, openid };
}

async function requested(agent: TestAgent, amountFen: number) {
  const res = await api<Withdrawal>('/api/withdrawals', { body: { amountFen }, token: agent.token });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

function approve(id: string, body: Record<string, unknown> = { method: 'transfer' }) {
  return api<Withdrawal>(`/api/withdrawals/${id}/approve`, { body, token: adminToken });
}

function refresh(id: string, token = adminToken) {
  return api<Withdrawal>(`/api/withdrawals/${id}/refresh`, { method: 'POST', token });
}

async function ledgerRows(memo: string, kind: string): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM ledger_entries WHERE memo = ? AND kind = ?')
    .bind(memo, kind)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

beforeAll(async () => {
  adminToken = await admin();
  fake = await createFakePay();
  uninstall = installFakePay(fake);
  const res = await api('/api/brand/settings', {
    method: 'PATCH',
    token: adminToken,
    body: { withdrawMinFen: 10_000, payoutTransfer: true },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toMatchObject({ payoutTransfer: true });
});
afterAll(() => uninstall());
beforeEach(() => {
  fake.outcome = 'SUCCESS';
  fake.createScript = [];
});

describe('POST /api/withdrawals/{id}/approve by transfer', () => {
  it('pays through one signed transfer to the agent’s openid; withdrawing → payouts in one transaction', async () => {
    const { agent, openid } = await agentWithOpenid(50_000);
    const w = await requested(agent, 12_300);
    expect(w.agentWechat).toBe(true);
    const calls = fake.createCalls;
    const res = await approve(w.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const transfer = fake.transfers.get(w.id.replace('_', ''));
    expect(transfer).toMatchObject({ openid, amountFen: 12_300 });
    expect(fake.createCalls).toBe(calls + 1);
    expect(fake.badSignatures).toBe(0);
    expect(res.body).toMatchObject({
      status: 'paid',
      payoutMethod: 'transfer',
      reference: transfer?.detailId,
      transferState: 'SUCCESS',
    });
    expect(await balance(account.withdrawing(agent.id))).toBe(0);
    expect(await balance(account.available(agent.id))).toBe(50_000 - 12_300);
    expect(await ledgerRows(w.id, 'withdrawal_paid')).toBe(2);
    await expectLedgerBalanced();
    const mine = await api<{ items: Withdrawal[] }>('/api/withdrawals', { token: agent.token });
    expect(mine.body.items[0]).toMatchObject({ id: w.id, status: 'paid' });
  });

  it('a failed transfer returns the funds to available, booked once, and says why', async () => {
    fake.outcome = 'FAIL';
    const { agent } = await agentWithOpenid(30_000);
    const w = await requested(agent, 20_000);
    expect(await balance(account.available(agent.id))).toBe(10_000);
    const res = await approve(w.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', reason: 'ACCOUNT_FROZEN', payoutMethod: 'transfer' });
    expect(await balance(account.available(agent.id))).toBe(30_000);
    expect(await balance(account.withdrawing(agent.id))).toBe(0);
    expect((await refresh(w.id)).body.status).toBe('failed');
    expect(await ledgerRows(w.id, 'withdrawal_returned')).toBe(2);
    await expectLedgerBalanced();
    // The money is available again: the agent can ask once more.
    expect((await api('/api/withdrawals', { body: { amountFen: 30_000 }, token: agent.token })).status).toBe(201);
  });

  it('a lost answer and every retry name one transfer: WeChat Pay pays once, the ledger books once', async () => {
    const { agent } = await agentWithOpenid(40_000);
    const w = await requested(agent, 15_000);
    const calls = fake.createCalls;
    // WeChat Pay takes the transfer but the answers are lost (500) on all three attempts of the approval.
    fake.createScript = ['lost', 'lost', 'lost'];
    const first = await approve(w.id);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ status: 'paying', transferState: 'SUBMITTING' });
    expect(fake.createCalls).toBe(calls + 3);
    expect(await balance(account.withdrawing(agent.id))).toBe(15_000);
    // A second approval is refused; the follow-ups send the same out_batch_no and book the payment once.
    expectError(await approve(w.id), 409, 'INVALID_STATE');
    const [a, b] = await Promise.all([refresh(w.id), refresh(w.id)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await refresh(w.id)).body).toMatchObject({ status: 'paid' });
    const sent = [...fake.transfers.values()].filter((t) => t.outBatchNo === w.id.replace('_', ''));
    expect(sent).toHaveLength(1);
    expect(await ledgerRows(w.id, 'withdrawal_paid')).toBe(2);
    expect(await balance(account.withdrawing(agent.id))).toBe(0);
    await expectLedgerBalanced();
  });

  it('a transfer still processing stays paying until the cron finds it paid', async () => {
    fake.outcome = 'PROCESSING';
    const { agent } = await agentWithOpenid(20_000);
    const w = await requested(agent, 10_000);
    expect((await approve(w.id)).body).toMatchObject({ status: 'paying', transferState: 'PROCESSING' });
    const transfer = fake.transfers.get(w.id.replace('_', ''));
    if (!transfer) throw new Error('no transfer at the fake');
    transfer.status = 'SUCCESS';
    await runScheduled(env, Date.now() + 61_000);
    const mine = await api<{ items: Withdrawal[] }>(`/api/withdrawals?agentId=${agent.id}`, { token: adminToken });
    expect(mine.body.items[0]).toMatchObject({ id: w.id, status: 'paid', reference: transfer.detailId });
    expect(await ledgerRows(w.id, 'withdrawal_paid')).toBe(2);
  });
});

describe('refusals', () => {
  it('an agent without an openid cannot be paid by transfer: 409, nothing written; by hand still works', async () => {
    const { agent } = await agentWithOpenid(20_000, null);
    const w = await requested(agent, 10_000);
    expect(w.agentWechat).toBe(false);
    const listed = await api<{ items: Withdrawal[] }>('/api/withdrawals?status=requested&limit=50', {
      token: adminToken,
    });
    expect(listed.body.items.find((i) => i.id === w.id)?.agentWechat).toBe(false);
    const calls = fake.createCalls;
    expectError(await approve(w.id), 409, 'TRANSFER_UNAVAILABLE');
    expect(fake.createCalls).toBe(calls);
    expect(await balance(account.withdrawing(agent.id))).toBe(10_000);
    expectError(await approve(w.id, { method: 'manual' }), 400, 'VALIDATION_FAILED', 'reference');
    const manual = await approve(w.id, { reference: 'BANK-2026-001' });
    expect(manual.body).toMatchObject({ status: 'paid', payoutMethod: 'manual', reference: 'BANK-2026-001' });
  });

  it('with transfers switched off the brand pays by hand; English message on request', async () => {
    const { agent } = await agentWithOpenid(20_000);
    const w = await requested(agent, 10_000);
    await api('/api/brand/settings', { method: 'PATCH', token: adminToken, body: { payoutTransfer: false } });
    try {
      const res = await api<{ error: { message: string } }>(`/api/withdrawals/${w.id}/approve`, {
        body: {},
        token: adminToken,
        headers: { 'accept-language': 'en' },
      });
      expectError(res, 409, 'TRANSFER_UNAVAILABLE');
      expect(res.body.error.message).toContain('not enabled');
    } finally {
      await api('/api/brand/settings', { method: 'PATCH', token: adminToken, body: { payoutTransfer: true } });
    }
  });

  it('only the brand follows a transfer', async () => {
    const { agent } = await agentWithOpenid(20_000);
    const w = await requested(agent, 10_000);
    expectError(await refresh(w.id, agent.token), 403, 'FORBIDDEN');
  });
});
