import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { levelAfterReferral, levelAfterRestock, progressSteps } from '../worker/domain/upgrades';
import { admin, api, createAgent, expectError, race, rowCount, type TestAgent } from './helpers';
import { levelOf, paidRestock, placeRestock, refundOrder, setRules } from './incentive-helpers';
import { guestOrder, notify, PRICES, product, RETAIL, setModel, transaction } from './order-helpers';

interface Progress {
  level: number;
  sameLevelRecruits: number;
  restockFen: number;
  points: number;
  steps: { kind: string; targetLevel: number; needed: number; current: number }[];
  upgrades: { from: number; to: number; reason: string }[];
}

const progressOf = async (agent: TestAgent) =>
  (await api<Progress>('/api/incentives/progress', { token: agent.token })).body;

describe('upgrade rules (pure)', () => {
  const rules = [
    { kind: 'cumulative' as const, targetLevel: 5, thresholdFen: 1000, referCount: 0 },
    { kind: 'single' as const, targetLevel: 3, thresholdFen: 5000, referCount: 0 },
    { kind: 'refer' as const, targetLevel: null, thresholdFen: 0, referCount: 3 },
  ];
  it('picks the highest level reached, never a lower one than the agent holds', () => {
    expect(levelAfterRestock(rules, 6, 999, 999)).toBeNull();
    expect(levelAfterRestock(rules, 6, 1000, 10)).toBe(5);
    expect(levelAfterRestock(rules, 6, 6000, 5000)).toBe(3);
    expect(levelAfterRestock(rules, 2, 9999, 9999)).toBeNull();
  });
  it('推三升一 rises exactly at the Nth recruit of the same level, never above level 1', () => {
    expect(levelAfterReferral(rules, 4, 2)).toBeNull();
    expect(levelAfterReferral(rules, 4, 3)).toBe(3);
    expect(levelAfterReferral(rules, 4, 4)).toBeNull();
    expect(levelAfterReferral(rules, 1, 3)).toBeNull();
  });
  it('shows each step the agent can still take', () => {
    expect(progressSteps(rules, 6, 400, 1)).toEqual([
      { kind: 'cumulative', targetLevel: 5, needed: 1000, current: 400 },
      { kind: 'refer', targetLevel: 5, needed: 3, current: 1 },
      { kind: 'single', targetLevel: 3, needed: 5000, current: 0 },
    ]);
  });
});

describe('automatic upgrades in the order’s batch', () => {
  let prd: string;
  beforeAll(async () => {
    await setModel('direct');
    prd = await product(100_000);
  });

  it('推三升一: the referrer rises one level at exactly the 3rd qualified recruit of its level, and is re-parented', async () => {
    await setRules({ upgrades: [{ kind: 'refer', referCount: 3 }] });
    const t = await createAgent(2);
    const s = await createAgent(3, t);
    const r = await createAgent(4, s);
    const below = await createAgent(5, r);
    const peers = [await createAgent(4, r), await createAgent(4, r), await createAgent(4, r)];
    // Recruits of its own level are placed under R's supplier; a recruit that never buys does not count.
    expect(peers.map((p) => p.supplierId)).toEqual([s.id, s.id, s.id]);
    await paidRestock(below, prd, 1);
    await paidRestock(peers[0] as TestAgent, prd, 1);
    await paidRestock(peers[1] as TestAgent, prd, 1);
    expect(await levelOf(r.id)).toEqual({ level: 4, supplier_id: s.id });
    expect((await progressOf(r)).steps).toContainEqual({
      kind: 'refer',
      targetLevel: 3,
      targetLevelName: '省代',
      needed: 3,
      current: 2,
    });
    await paidRestock(peers[2] as TestAgent, prd, 1);
    // Level 3 is S's own: R now buys from T, the nearest strictly higher; its own downline stays under it.
    expect(await levelOf(r.id)).toEqual({ level: 3, supplier_id: t.id });
    expect(await levelOf(below.id)).toEqual({ level: 5, supplier_id: r.id });
    const inTeam = 'SELECT count(*) AS n FROM team_members WHERE ancestor_id = ? AND member_id = ?';
    expect(await rowCount(inTeam, s.id, r.id)).toBe(0);
    expect(await rowCount(inTeam, s.id, below.id)).toBe(0);
    expect(await rowCount(inTeam, t.id, below.id)).toBe(1);
    const after = await progressOf(r);
    expect(after).toMatchObject({ level: 3, sameLevelRecruits: 0, upgrades: [{ from: 4, to: 3, reason: 'refer' }] });
    expect(
      await rowCount("SELECT count(*) AS n FROM audit_log WHERE target_id = ? AND action = 'agent.auto_upgrade'", r.id),
    ).toBe(1);
    // A second restock of a peer is not a new qualification.
    await paidRestock(peers[2] as TestAgent, prd, 1);
    expect((await progressOf(r)).sameLevelRecruits).toBe(0);
  });

  it('推三升一 with two same-level recruits paid at once: the referrer rises at the 2nd, once', async () => {
    // Each payment decides the upgrade from the count it read; the later write must find that count, or decide again.
    await setRules({ upgrades: [{ kind: 'refer', referCount: 2 }] });
    const t = await createAgent(2);
    const s = await createAgent(3, t);
    for (let shift = -2; shift <= 2; shift++) {
      const r = await createAgent(4, s);
      const paying = async (peer: TestAgent) => {
        const placed = await placeRestock(peer, prd, 1);
        return () => notify(transaction(placed.id, placed.amountFen));
      };
      const [first, second] = await Promise.all([paying(await createAgent(4, r)), paying(await createAgent(4, r))]);
      const answers = await race(shift, second, first);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const upgrades = await rowCount(
        "SELECT count(*) AS n FROM audit_log WHERE target_id = ? AND action = 'agent.auto_upgrade'",
        r.id,
      );
      expect({ shift, level: (await levelOf(r.id)).level, upgrades }).toEqual({ shift, level: 3, upgrades: 1 });
    }
  });

  it('cumulative and single restock amounts raise the buyer in the paying order, re-parented', async () => {
    await setRules({
      upgrades: [
        { kind: 'cumulative', targetLevel: 5, thresholdFen: PRICES[5] * 3 },
        { kind: 'single', targetLevel: 3, thresholdFen: 200_000 },
      ],
    });
    const i = await createAgent(4);
    const h = await createAgent(5, i);
    const g = await createAgent(6, h);
    await paidRestock(g, prd, 2);
    expect(await levelOf(g.id)).toEqual({ level: 6, supplier_id: h.id });
    expect((await progressOf(g)).steps[0]).toMatchObject({
      kind: 'cumulative',
      needed: PRICES[5] * 3,
      current: PRICES[5] * 2,
    });
    await paidRestock(g, prd, 1);
    expect(await levelOf(g.id)).toEqual({ level: 5, supplier_id: i.id });
    const big = await createAgent(6, h);
    await paidRestock(big, prd, 8);
    expect(await levelOf(big.id)).toEqual({ level: 3, supplier_id: null });
    expect((await progressOf(big)).upgrades).toMatchObject([{ from: 6, to: 3, reason: 'single' }]);
  });

  it('推三升一 counts recruits of the level the agent holds: a level the brand sets starts the count again', async () => {
    await setRules({ upgrades: [{ kind: 'refer', referCount: 2 }] });
    const t = await createAgent(1);
    const r = await createAgent(4, t);
    await paidRestock(await createAgent(4, r), prd, 1);
    expect((await progressOf(r)).sameLevelRecruits).toBe(1);
    const set = await api(`/api/agents/${r.id}/level`, {
      token: await admin(),
      body: { level: 3, reason: '品牌调整等级' },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    // The level-4 recruit does not count toward rising from level 3.
    expect((await progressOf(r)).sameLevelRecruits).toBe(0);
    await paidRestock(await createAgent(3, r), prd, 1);
    expect(await levelOf(r.id)).toEqual({ level: 3, supplier_id: t.id });
    expect((await progressOf(r)).sameLevelRecruits).toBe(1);
    await paidRestock(await createAgent(3, r), prd, 1);
    expect(await levelOf(r.id)).toEqual({ level: 2, supplier_id: t.id });
  });

  it('the progress page is the agent’s own: the brand and members get no progress', async () => {
    expect((await api('/api/incentives/progress', { token: await admin() })).status).toBe(403);
    expect((await api('/api/incentives/progress')).status).toBe(401);
  });
});

describe('points', () => {
  let prd: string;
  beforeAll(async () => {
    await setModel('direct');
    prd = await product(100_000);
  });

  async function sale(seller: TestAgent) {
    const placed = await guestOrder(seller.code, prd, 1);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect((await notify(transaction(placed.body.id, RETAIL))).status).toBe(200);
    return placed.body.id;
  }

  it('accrue per yuan of personal sales, buy a gift, and a refund takes them back (a debt once spent)', async () => {
    await setRules({ pointsPerYuan: 2 });
    const seller = await createAgent(6, await createAgent(2));
    const orderId = await sale(seller);
    const earned = Math.floor(RETAIL / 100) * 2;
    expect((await progressOf(seller)).points).toBe(earned);
    const gift = await api<{ id: string }>('/api/gifts', {
      token: await admin(),
      body: { name: '定制礼盒', pointsCost: 500, stock: 1 },
    });
    expect(gift.status).toBe(201);
    const listed = await api<{ items: { id: string }[] }>('/api/gifts', { token: seller.token });
    expect(listed.body.items.map((x) => x.id)).toContain(gift.body.id);
    const redeemed = await api(`/api/gifts/${gift.body.id}/redeem`, { method: 'POST', token: seller.token });
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
    expect(redeemed.body).toEqual({ giftId: gift.body.id, points: earned - 500 });
    const again = await api(`/api/gifts/${gift.body.id}/redeem`, { method: 'POST', token: seller.token });
    expectError(again, 409, 'INSUFFICIENT_POINTS');
    await refundOrder(orderId);
    expect((await progressOf(seller)).points).toBe(-500);
    const history = await api<{ items: { kind: string; points: number }[] }>('/api/points', { token: seller.token });
    expect(history.body.items.map((e) => [e.kind, e.points])).toEqual([
      ['reverse', -earned],
      ['redeem', -500],
      ['earn', earned],
    ]);
    const stock = await env.DB.prepare('SELECT stock FROM gifts WHERE id = ?')
      .bind(gift.body.id)
      .first<{ stock: number }>();
    expect(stock?.stock).toBe(0);
  });

  it('a gift out of stock is refused and takes no points', async () => {
    await setRules({ pointsPerYuan: 5 });
    const seller = await createAgent(6, await createAgent(2));
    await sale(seller);
    const gift = await api<{ id: string }>('/api/gifts', {
      token: await admin(),
      body: { name: '限量水杯', pointsCost: 100, stock: 0 },
    });
    const res = await api(`/api/gifts/${gift.body.id}/redeem`, { method: 'POST', token: seller.token });
    expectError(res, 409, 'OUT_OF_STOCK');
    expect((await progressOf(seller)).points).toBe(Math.floor(RETAIL / 100) * 5);
  });

  it('count toward the cumulative upgrade when the brand says so', async () => {
    await setRules({
      pointsPerYuan: 10,
      pointsTowardUpgrade: true,
      upgrades: [{ kind: 'cumulative', targetLevel: 5, thresholdFen: 290_000 }],
    });
    const seller = await createAgent(6, await createAgent(2));
    await sale(seller);
    expect((await levelOf(seller.id)).level).toBe(5);
  });
});
