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
  type TestAgent,
  uniquePhone,
  withSmsCode,
} from './helpers';
import { guestOrder, product, setModel } from './order-helpers';

interface Wallet {
  pendingFen: number;
  availableFen: number;
  withdrawingFen: number;
  offlineFen: number;
  debtFen: number;
  withdrawMinFen: number;
  withdrawable: boolean;
}
interface Entry {
  id: number;
  txnId: string;
  at: number;
  kind: string;
  account: string;
  amountFen: number;
  orderId: string | null;
  memo: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const db = createDb(env.DB, newMeter());
let adminToken: string;

async function post(kind: string, transfers: Transfer[], orderId: string | null = null) {
  const now = Date.now();
  const [head, ...tail] = postTransaction(db, { id: newId('txn', now), kind, orderId, at: now }, transfers);
  if (head) await db.batch([head, ...tail]);
}

// An agent with money in each of its accounts, booked the way orders and withdrawals book it.
async function fundedAgent(recruiter?: TestAgent) {
  const agent = await createAgent(recruiter ? 4 : 2, recruiter);
  const orderId = newId('ord');
  await post(
    'payment',
    [
      { from: account.gateway, to: account.clearing, amountFen: 80_000 },
      { from: account.clearing, to: account.pending(agent.id), amountFen: 30_000 },
      { from: account.clearing, to: account.brandRevenue, amountFen: 50_000 },
    ],
    orderId,
  );
  await post(
    'release',
    [{ from: account.pending(agent.id), to: account.available(agent.id), amountFen: 20_000 }],
    orderId,
  );
  await post('withdrawal', [
    { from: account.available(agent.id), to: account.withdrawing(agent.id), amountFen: 5_000 },
  ]);
  await post('payment', [{ from: account.offlinePayer, to: account.offline(agent.id), amountFen: 7_000 }]);
  return { agent, orderId };
}

function cost(res: { headers: Headers }) {
  return { rows: Number(res.headers.get('x-d1-rows-read')), trips: Number(res.headers.get('x-d1-round-trips')) };
}

beforeAll(async () => {
  adminToken = await admin();
  await api('/api/brand/settings', { method: 'PATCH', token: adminToken, body: { withdrawMinFen: 10_000 } });
});

describe('GET /api/agents/{id}/wallet', () => {
  it('shows each balance read from the ledger, the debt and whether the agent can withdraw', async () => {
    const { agent } = await fundedAgent();
    const res = await api<Wallet>('/api/agents/me/wallet', { token: agent.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      pendingFen: 10_000,
      availableFen: 15_000,
      withdrawingFen: 5_000,
      offlineFen: 7_000,
      debtFen: 0,
      withdrawMinFen: 10_000,
      withdrawable: true,
    });
    // The session and the balances: two round trips.
    expect(cost(res).trips).toBeLessThanOrEqual(2);
  });

  it('shows a debt as a negative available balance and blocks withdrawing', async () => {
    const agent = await createAgent(3);
    await post('refund', [{ from: account.available(agent.id), to: account.clearing, amountFen: 2_500 }]);
    const res = await api<Wallet>(`/api/agents/${agent.id}/wallet`, { token: agent.token });
    expect(res.body).toMatchObject({ availableFen: -2_500, debtFen: 2_500, withdrawable: false, pendingFen: 0 });
  });

  it('is readable by the agent, its upline and the brand; another team’s agent is not found, members are refused', async () => {
    const { agent: top } = await fundedAgent();
    const { agent: below } = await fundedAgent(top);
    const stranger = await createAgent(1);
    expect((await api(`/api/agents/${below.id}/wallet`, { token: top.token })).status).toBe(200);
    expect((await api(`/api/agents/${below.id}/wallet`, { token: adminToken })).status).toBe(200);
    expectError(await api(`/api/agents/${below.id}/wallet`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(await api(`/api/agents/${top.id}/wallet`, { token: below.token }), 404, 'NOT_FOUND');
    expectError(await api(`/api/agents/${top.id}/statement`, { token: below.token }), 404, 'NOT_FOUND');
    const member = await api('/api/members', {
      body: await withSmsCode({ phone: uniquePhone(), name: '会员丙', password: PASSWORD, ref: below.code }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    expectError(await api(`/api/agents/${below.id}/wallet`, { token: sessionToken(member) }), 403, 'FORBIDDEN');
    expectError(await api(`/api/agents/${below.id}/statement`, { token: sessionToken(member) }), 403, 'FORBIDDEN');
    expectError(await api(`/api/agents/${below.id}/wallet`), 401, 'UNAUTHENTICATED');
  });
});

describe('GET /api/agents/{id}/statement', () => {
  it('lists the agent’s entries newest first with their account, and pages by cursor', async () => {
    const { agent, orderId } = await fundedAgent();
    const all = await api<Page<Entry>>('/api/agents/me/statement?limit=100', { token: agent.token });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.items.map((e) => [e.kind, e.account, e.amountFen])).toEqual([
      ['payment', 'offline', 7_000],
      ['withdrawal', 'withdrawing', 5_000],
      ['withdrawal', 'available', -5_000],
      ['release', 'available', 20_000],
      ['release', 'pending', -20_000],
      ['payment', 'pending', 30_000],
    ]);
    expect(all.body.items[5]?.orderId).toBe(orderId);
    expect(all.body.nextCursor).toBeNull();

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: Awaited<ReturnType<typeof api<Page<Entry>>>> = await api<Page<Entry>>(
        `/api/agents/${agent.id}/statement?limit=4${query}`,
        { token: adminToken },
      );
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((e) => e.id));

    const available = await api<Page<Entry>>('/api/agents/me/statement?account=available', { token: agent.token });
    expect(available.body.items.map((e) => e.amountFen)).toEqual([-5_000, 20_000]);
  });

  it('reads a number of rows bounded by the page, not by the agent’s history', async () => {
    const agent = await createAgent(3);
    const credits = Array.from({ length: 150 }, () => ({
      from: account.clearing,
      to: account.pending(agent.id),
      amountFen: 100,
    }));
    await post('payment', credits);
    await post(
      'release',
      credits.slice(0, 100).map((t) => ({ ...t, from: t.to, to: account.available(agent.id) })),
    );
    const res = await api<Page<Entry>>('/api/agents/me/statement?limit=10', { token: agent.token });
    expect(res.body.items).toHaveLength(10);
    expect(res.body.items[0]?.account).toBe('available');
    expect(cost(res).trips).toBeLessThanOrEqual(2);
    // Each of the four accounts gives at most 11 ids off the index, then 11 entries are read.
    expect(cost(res).rows).toBeLessThanOrEqual(70);
  });
});

interface Line {
  key: string;
  kind: string;
  direction: 'in' | 'out' | 'move';
  amountFen: number;
  account: string | null;
  orderNo: string | null;
  words: string;
}

describe('GET /api/agents/{id}/statement/lines', () => {
  it('tells what happened in words, one line per transaction, no bookkeeping pairs and no ids', async () => {
    const { agent } = await fundedAgent();
    const zh = await api<Page<Line>>('/api/agents/me/statement/lines?limit=20', { token: agent.token });
    expect(zh.status, JSON.stringify(zh.body)).toBe(200);
    expect(zh.body.items.map((l) => [l.words, l.direction, l.amountFen, l.account])).toEqual([
      ['买方线下付款 ¥70.00（直接付给您）', 'in', 7_000, 'offline'],
      ['申请提现 ¥50.00，等待品牌方打款', 'out', 5_000, 'withdrawing'],
      ['解冻到账 ¥200.00，可提现', 'move', 20_000, 'available'],
      ['收益 ¥300.00 待结算', 'in', 30_000, 'pending'],
    ]);
    expect(JSON.stringify(zh.body)).not.toMatch(/ord_|txn_|agt_|wdr_/);
    const en = await api<Page<Line>>('/api/agents/me/statement/lines', {
      token: agent.token,
      headers: { 'accept-language': 'en' },
    });
    expect(en.body.items[2]?.words).toBe('released: ¥200.00 now available');
    // One line a page still never splits a transaction's two entries, and the walk sees every line once.
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: Awaited<ReturnType<typeof api<Page<Line>>>> = await api<Page<Line>>(
        `/api/agents/${agent.id}/statement/lines?limit=1${query}`,
        { token: adminToken },
      );
      expect(page.body.items).toHaveLength(1);
      keys.push(...page.body.items.map((l) => l.key));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(keys).toEqual(zh.body.items.map((l) => l.key));
    expect(cost(zh).rows).toBeLessThanOrEqual(4 * 61 + 61 + 10);
  });

  it('names the order by its human number, and a fine by its reason', async () => {
    await setModel('direct');
    const agent = await createAgent(6);
    const productId = await product();
    const placed = await guestOrder(agent.code, productId, 1, 'offline');
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const paid = await api(`/api/orders/${placed.body.id}/confirm-payment`, { method: 'POST', token: adminToken });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    await post('fine', [{ from: account.available(agent.id), to: account.fines, amountFen: 1_200 }]);
    await env.DB.prepare("UPDATE ledger_entries SET memo = '低价倾销' WHERE kind = 'fine' AND account = ?")
      .bind(account.available(agent.id))
      .run();
    const res = await api<Page<Line>>('/api/agents/me/statement/lines', { token: agent.token });
    const [fine, earning] = res.body.items;
    expect(fine?.words).toBe('稽查罚款 ¥12.00：低价倾销');
    expect(earning?.orderNo).toMatch(/^\d{18}$/);
    expect(earning?.words).toBe(`订单 ${earning?.orderNo} 收益 ¥40.00 待结算`);
  });
});

describe('GET /api/brand/wallet', () => {
  it('shows the brand’s revenue, clearing and payouts to the brand only', async () => {
    await fundedAgent();
    const res = await api<{ revenueFen: number; clearingFen: number; paidOutFen: number }>('/api/brand/wallet', {
      token: adminToken,
    });
    expect(res.status).toBe(200);
    const row = await env.DB.prepare("SELECT balance_fen AS b FROM balances WHERE account = 'brand:revenue'").first<{
      b: number;
    }>();
    expect(res.body.revenueFen).toBe(row?.b);
    expect(res.body.revenueFen).toBeGreaterThanOrEqual(50_000);
    expect(Object.keys(res.body).sort()).toEqual(['clearingFen', 'paidOutFen', 'revenueFen']);
    const agent = await createAgent(5);
    expectError(await api('/api/brand/wallet', { token: agent.token }), 403, 'FORBIDDEN');
    expectError(await api('/api/brand/wallet'), 401, 'UNAUTHENTICATED');
  });
});
