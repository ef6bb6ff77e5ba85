import { beforeAll, describe, expect, it } from 'vitest';
import { checkIncentiveConfig, type IncentiveConfig, rewardFen } from '../worker/domain/incentiveRules';
import { rewardReversalFen, rewardsForFirstRestock } from '../worker/domain/rewards';
import { REWARDS_ACCOUNT } from '../worker/incentives/orderIncentives';
import {
  admin,
  api,
  createAgent,
  expectError,
  race,
  rowCount,
  setPayoutAccount,
  snapshot,
  type TestAgent,
} from './helpers';
import { grantsOf, paidRestock, placeRestock, putRules, refundOrder, setRules } from './incentive-helpers';
import {
  balance,
  expectLedgerBalanced,
  PRICES,
  product,
  setModel,
  signedNotification,
  transaction,
  withdrawable,
} from './order-helpers';

const base: IncentiveConfig = { rewards: [], upgrades: [], pointsPerYuan: 0, pointsTowardUpgrade: false };
const referral = (depth: number, amountFen: number, bps = 0) => ({
  kind: 'referral' as const,
  trigger: 'first_restock' as const,
  depth,
  amountFen,
  bps,
  minRecruits: 0,
});

describe('incentive rules (pure)', () => {
  it('accepts referral rules up to depth 3 and refuses depth 4 as beyond the guard', () => {
    expect(checkIncentiveConfig({ ...base, rewards: [1, 2, 3].map((d) => referral(d, 100)) }, [1, 2])).toBeNull();
    expect(checkIncentiveConfig({ ...base, rewards: [referral(4, 100)] }, [1])).toMatchObject({
      violation: 'depth_beyond_three',
      field: 'rewards.0.depth',
    });
  });

  it('refuses a reward for the recruitment itself and percentages over the purchase', () => {
    const signup = { ...referral(1, 100), trigger: 'signup' as const };
    expect(checkIncentiveConfig({ ...base, rewards: [signup] }, [1])?.violation).toBe('reward_on_recruitment');
    const stacked = [referral(1, 0, 6000), referral(2, 0, 5000)];
    expect(checkIncentiveConfig({ ...base, rewards: stacked }, [1])?.violation).toBe('rewards_exceed_purchase');
  });

  it('pays each depth its own referrer, skips a suspended one and never a fourth', () => {
    const rules = [1, 2, 3].map((depth) => ({ id: `r${depth}`, ...referral(depth, 100 * depth, 100) }));
    const line = [
      { id: 'a', level: 4, status: 'active' as const },
      { id: 'b', level: 3, status: 'suspended' as const },
      { id: 'c', level: 2, status: 'active' as const },
    ];
    const grants = rewardsForFirstRestock({
      rules,
      buyerLevel: 5,
      referrers: line,
      purchaseFen: 10_000,
      recruitsInPeriod: 1,
    });
    expect(grants.map((g) => [g.agentId, g.amountFen])).toEqual([
      ['a', 200],
      ['c', 400],
    ]);
    expect(rewardFen({ amountFen: 0, bps: 333 }, 999)).toBe(33);
  });

  it('reverses a grant in proportion to the refund, the whole of it at a full refund', () => {
    expect(rewardReversalFen({ amountFen: 1000, reversedFen: 0 }, 3000, 1000)).toBe(333);
    expect(rewardReversalFen({ amountFen: 1000, reversedFen: 333 }, 3000, 3000)).toBe(667);
    expect(rewardReversalFen({ amountFen: 1000, reversedFen: 1000 }, 3000, 3000)).toBe(0);
  });
});

describe('PUT /api/incentives/rules: the compliance guard', () => {
  const refusals: [string, Record<string, unknown>, string, string][] = [
    [
      'a reward paid at signup',
      { rewards: [{ ...referral(1, 500), trigger: 'signup' }] },
      'rewards.0.trigger',
      '不能因招募本身发放',
    ],
    [
      'a reward paid at approval',
      { rewards: [{ ...referral(1, 500), trigger: 'approval' }] },
      'rewards.0.trigger',
      '不能因招募本身发放',
    ],
    [
      'a fourth level of referral reward',
      { rewards: [referral(1, 100), referral(4, 100)] },
      'rewards.1.depth',
      '最多计算三级',
    ],
    [
      'percentages over the whole purchase',
      { rewards: [referral(1, 0, 8000), referral(2, 0, 3000)] },
      'rewards.1.bps',
      '不能超过进货金额',
    ],
    [
      'a same-level reward two levels up',
      { rewards: [{ ...referral(2, 100), kind: 'same_level' }] },
      'rewards.0.depth',
      '只发给直接推荐人',
    ],
    [
      'a tier with no recruits',
      { rewards: [{ ...referral(1, 100), kind: 'tiered', minRecruits: 0 }] },
      'rewards.0.minRecruits',
      '至少为 1',
    ],
    ['a reward of nothing', { rewards: [referral(1, 0, 0)] }, 'rewards.0.amountFen', '必须大于 0'],
    [
      'an upgrade to a level that does not exist',
      { upgrades: [{ kind: 'single', targetLevel: 9, thresholdFen: 100 }] },
      'upgrades.0.targetLevel',
      '等级不存在',
    ],
    ['推N升一 with N = 0', { upgrades: [{ kind: 'refer', referCount: 0 }] }, 'upgrades.0.referCount', '至少为 1'],
  ];
  for (const [what, body, field, reason] of refusals) {
    it(`refuses ${what}, naming the rule broken, and writes nothing`, async () => {
      await admin();
      const before = await snapshot();
      const res = await putRules(body);
      expectError(res, 422, 'INCENTIVE_FORBIDDEN', field);
      expect((res.body as { error: { message: string } }).error.message).toContain(reason);
      expect(await snapshot()).toBe(before);
    });
  }

  it('words the refusal in English when asked', async () => {
    const res = await putRules({ rewards: [referral(5, 100)] }, { 'accept-language': 'en' });
    expectError(res, 422, 'INCENTIVE_FORBIDDEN', 'rewards.0.depth');
    expect((res.body as { error: { message: string } }).error.message).toContain('at most 3 levels deep');
  });

  it('lets agents read the rules before they apply, and only the brand change them', async () => {
    await setRules({ rewards: [referral(1, 800)], pointsPerYuan: 1 });
    const agent = await createAgent(1);
    const read = await api<{ rewards: { kind: string; amountFen: number }[] }>('/api/incentives/rules', {
      token: agent.token,
    });
    expect(read.status).toBe(200);
    expect(read.body.rewards).toMatchObject([{ kind: 'referral', depth: 1, amountFen: 800 }]);
    const put = await api('/api/incentives/rules', {
      method: 'PUT',
      token: agent.token,
      body: { rewards: [], upgrades: [], pointsPerYuan: 0, pointsTowardUpgrade: false },
    });
    expect(put.status).toBe(403);
    expect((await api('/api/incentives/rules')).status).toBe(401);
  });
});

describe('rewards on a recruit’s first restock', () => {
  let prd: string;
  // A(1) recruits B(2) recruits C(3) recruits D(4) recruits E(5): E's referral line is D, C, B, then A.
  let line: TestAgent[];

  beforeAll(async () => {
    await setModel('direct');
    prd = await product(100_000);
    line = [];
    let above: TestAgent | undefined;
    for (const level of [1, 2, 3, 4, 5]) {
      above = await createAgent(level, above);
      line.push(above);
    }
  });

  it('pays nothing for the recruitment itself nor for an unpaid restock', async () => {
    await setRules({ rewards: [referral(1, 1000)] });
    const [, , , d] = line as [TestAgent, TestAgent, TestAgent, TestAgent];
    const recruit = await createAgent(5, d);
    const placed = await api<{ id: string }>('/api/orders', {
      token: recruit.token,
      body: { kind: 'restock', lines: [{ productId: prd, qty: 1 }], paymentMethod: 'online' },
    });
    expect(placed.status).toBe(201);
    expect(await grantsOf(placed.body.id)).toEqual([]);
    expect(await rowCount('SELECT count(*) AS n FROM reward_grants WHERE agent_id = ?', d.id)).toBe(0);
    expect(await withdrawable(d.id)).toBe(0);
  });

  it('pays depths 1–3 by amount or percentage, never the fourth referrer, once per recruit', async () => {
    await setRules({ rewards: [referral(1, 1000), referral(2, 0, 500), referral(3, 300)] });
    const [a, b, c, d, e] = line as [TestAgent, TestAgent, TestAgent, TestAgent, TestAgent];
    const order = await paidRestock(e, prd, 2);
    const purchase = PRICES[4] * 2;
    expect(order.amountFen).toBe(purchase);
    expect(await grantsOf(order.id)).toEqual([
      { agent_id: d.id, kind: 'referral', depth: 1, amount_fen: 1000, reversed_fen: 0 },
      { agent_id: c.id, kind: 'referral', depth: 2, amount_fen: Math.floor(purchase * 0.05), reversed_fen: 0 },
      { agent_id: b.id, kind: 'referral', depth: 3, amount_fen: 300, reversed_fen: 0 },
    ]);
    expect(await withdrawable(d.id)).toBe(1000);
    expect(await withdrawable(a.id)).toBe(0);
    const again = await paidRestock(e, prd, 1);
    expect(await grantsOf(again.id)).toEqual([]);
    expect(await withdrawable(d.id)).toBe(1000);
    await expectLedgerBalanced();
  });

  it('a refund reverses the rewards in proportion, and whole at the end; a withdrawn reward leaves a debt', async () => {
    await setRules({ rewards: [referral(1, 0, 1000)] });
    const [, , , d] = line as [TestAgent, TestAgent, TestAgent, TestAgent];
    const recruit = await createAgent(5, d);
    const before = await withdrawable(d.id);
    const order = await paidRestock(recruit, prd, 4);
    const reward = Math.floor(order.amountFen / 10);
    expect(await withdrawable(d.id)).toBe(before + reward);
    await refundOrder(order.id, [{ productId: prd, qty: 1 }]);
    expect((await grantsOf(order.id))[0]?.reversed_fen).toBe(Math.floor(reward / 4));
    // D spent its balance (as a withdrawal would): the rest of the reversal leaves its wallet in debt.
    await api('/api/brand/settings', { method: 'PATCH', token: await admin(), body: { withdrawMinFen: 0 } });
    const spent = await withdrawable(d.id);
    await setPayoutAccount(d);
    const wd = await api('/api/withdrawals', { token: d.token, body: { amountFen: spent } });
    expect(wd.status, JSON.stringify(wd.body)).toBe(201);
    await refundOrder(order.id);
    expect((await grantsOf(order.id))[0]).toMatchObject({ amount_fen: reward, reversed_fen: reward });
    expect(await withdrawable(d.id)).toBe(-(reward - Math.floor(reward / 4)));
    expect(await balance(REWARDS_ACCOUNT)).toBeLessThan(0);
    await expectLedgerBalanced();
  });

  it('pays the same-level reward when the recruit is of the referrer’s level, and not otherwise', async () => {
    await setRules({ rewards: [{ ...referral(1, 600), kind: 'same_level' }] });
    const [, , c] = line as [TestAgent, TestAgent, TestAgent];
    const peer = await createAgent(3, c);
    const lower = await createAgent(4, c);
    const peerOrder = await paidRestock(peer, prd, 1);
    const lowerOrder = await paidRestock(lower, prd, 1);
    expect(await grantsOf(peerOrder.id)).toEqual([
      { agent_id: c.id, kind: 'same_level', depth: 1, amount_fen: 600, reversed_fen: 0 },
    ]);
    expect(await grantsOf(lowerOrder.id)).toEqual([]);
  });

  it('pays a tier exactly when the month’s qualified recruits reach it', async () => {
    await setRules({ rewards: [{ ...referral(1, 5000), kind: 'tiered', minRecruits: 2 }] });
    const sponsor = await createAgent(2);
    const first = await createAgent(4, sponsor);
    const second = await createAgent(4, sponsor);
    const third = await createAgent(4, sponsor);
    const unpaid = await createAgent(4, sponsor);
    expect(unpaid.id).toBeTruthy();
    expect(await grantsOf((await paidRestock(first, prd, 1)).id)).toEqual([]);
    expect(await grantsOf((await paidRestock(second, prd, 1)).id)).toEqual([
      { agent_id: sponsor.id, kind: 'tiered', depth: 1, amount_fen: 5000, reversed_fen: 0 },
    ]);
    expect(await grantsOf((await paidRestock(third, prd, 1)).id)).toEqual([]);
    const mine = await api<{ items: { kind: string; amountFen: number }[] }>('/api/rewards', { token: sponsor.token });
    expect(mine.body.items).toMatchObject([{ kind: 'tiered', amountFen: 5000 }]);
  });

  it('two recruits’ first restocks paid at once still count 1 and 2: the tier is paid once, not skipped or doubled', async () => {
    // Each payment decides from the count it read; the later write must find the count it read, or decide again.
    await setRules({ rewards: [{ ...referral(1, 5000), kind: 'tiered', minRecruits: 2 }] });
    for (let shift = -3; shift <= 3; shift++) {
      const sponsor = await createAgent(2);
      const signed = async (recruit: TestAgent) => {
        const placed = await placeRestock(recruit, prd, 1);
        return signedNotification(transaction(placed.id, placed.amountFen));
      };
      const [first, second] = await Promise.all([
        signed(await createAgent(4, sponsor)),
        signed(await createAgent(4, sponsor)),
      ]);
      const answers = await race(shift, second, first);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const tiers = await rowCount(
        "SELECT count(*) AS n FROM reward_grants WHERE agent_id = ? AND kind = 'tiered'",
        sponsor.id,
      );
      const counted = await rowCount(
        'SELECT coalesce(sum(count), 0) AS n FROM recruit_counts WHERE agent_id = ?',
        sponsor.id,
      );
      expect({ shift, tiers, counted }).toEqual({ shift, tiers: 1, counted: 2 });
    }
    await expectLedgerBalanced();
  });

  it('two offline confirmations of recruits’ first restocks at once both book, and the tier is paid once', async () => {
    // The confirmation that finds the recruit count changed since its read decides again instead of answering 409.
    await setRules({ rewards: [{ ...referral(1, 5000), kind: 'tiered', minRecruits: 2 }] });
    const brand = await admin();
    for (let shift = -2; shift <= 2; shift++) {
      const sponsor = await createAgent(2);
      const confirmation = async (recruit: TestAgent) => {
        const placed = await placeRestock(recruit, prd, 1, 'offline');
        const token = placed.payeeId === 'brand' ? brand : sponsor.token;
        return () => api(`/api/orders/${placed.id}/confirm-payment`, { method: 'POST', token });
      };
      const [first, second] = await Promise.all([
        confirmation(await createAgent(4, sponsor)),
        confirmation(await createAgent(4, sponsor)),
      ]);
      const answers = await race(shift, second, first);
      expect(
        answers.map((a) => a.status),
        JSON.stringify(answers.map((a) => a.body)),
      ).toEqual([200, 200]);
      const tiers = await rowCount(
        "SELECT count(*) AS n FROM reward_grants WHERE agent_id = ? AND kind = 'tiered'",
        sponsor.id,
      );
      expect({ shift, tiers }).toEqual({ shift, tiers: 1 });
    }
    await expectLedgerBalanced();
  });
});
