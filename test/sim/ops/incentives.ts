import type { RuleEpoch } from '../../../bench/lib/incentive-invariants.mjs';
import { incentiveRules } from '../../../worker/errorWords';
import { transaction } from '../../order-helpers';
import { type Allowed, type Ctx, row, rows } from '../ctx';
import { notify } from '../http';
import type { Model, OrderView } from '../model';
import type { Rng } from '../rng';
import { active, chainOf, live, type Op, recordOrder, same } from './common';
import { applyFor, approve } from './network';
import { drawLines, enough } from './order-lines';

// Incentives (issue 17): the brand sets reward and upgrade rules and the points rate at random points, forbidden
// configurations included (each refused with the rule it breaks, nothing written); it lists gifts and agents redeem
// points for them. The order and refund ops then pay and reverse rewards, points and upgrades; the invariants in
// bench/lib/incentive-invariants.mjs re-derive every grant from the rules in force when its order was paid.

type RewardIn = Omit<RuleEpoch['rewards'][number], 'id'> & { trigger?: 'first_restock' | 'signup' | 'approval' };
type UpgradeIn = Omit<RuleEpoch['upgrades'][number], 'id'>;
interface ConfigIn {
  rewards: RewardIn[];
  upgrades: UpgradeIn[];
  pointsPerYuan: number;
  pointsTowardUpgrade: boolean;
}

const reward = (kind: RewardIn['kind'], depth: number, amountFen: number, bps = 0, minRecruits = 0): RewardIn => ({
  kind,
  depth,
  amountFen,
  bps,
  minRecruits,
});

function validRewards(rng: Rng): RewardIn[] {
  const out: RewardIn[] = [];
  const money = () => {
    const bps = rng.pick([0, 0, 100, 300, 500]) ?? 0;
    return { amountFen: bps > 0 && rng.chance(0.5) ? 0 : (rng.pick([100, 500, 1000, 2000]) ?? 100), bps };
  };
  const depths = rng.pick([0, 1, 2, 3, 3]) ?? 1;
  for (let depth = 1; depth <= depths; depth++) {
    const m = money();
    if (rng.chance(0.85)) out.push(reward('referral', depth, m.amountFen, m.bps));
  }
  if (rng.chance(0.5)) {
    const m = money();
    out.push(reward('same_level', 1, m.amountFen, m.bps));
  }
  const tiers = rng.chance(0.8) ? rng.between(1, 2) : 0;
  for (let n = 1; n <= tiers; n++) out.push(reward('tiered', 1, rng.between(5, 30) * 100, 0, n + rng.int(2) * 2));
  return out;
}

function validUpgrades(rng: Rng): UpgradeIn[] {
  const out: UpgradeIn[] = [];
  if (rng.chance(0.45))
    out.push({
      kind: 'cumulative',
      targetLevel: rng.between(1, 5),
      thresholdFen: rng.between(2, 30) * 5000,
      referCount: 0,
    });
  if (rng.chance(0.45))
    out.push({
      kind: 'single',
      targetLevel: rng.between(1, 5),
      thresholdFen: rng.between(1, 12) * 5000,
      referCount: 0,
    });
  if (rng.chance(0.4)) out.push({ kind: 'refer', targetLevel: null, thresholdFen: 0, referCount: rng.between(1, 3) });
  return out;
}

// A configuration that breaks exactly one rule of the guard, with the field and reason the refusal must name.
function forbidden(rng: Rng): { config: ConfigIn; violation: string; field: string } {
  const prefix: RewardIn[] = rng.chance(0.5) ? [reward('same_level', 1, 500)] : [];
  const at = (i: number) => `rewards.${prefix.length + i}`;
  const base = { upgrades: validUpgrades(rng), pointsPerYuan: rng.between(0, 3), pointsTowardUpgrade: false };
  const withRewards = (bad: RewardIn[], violation: string, field: string) => ({
    config: { ...base, rewards: [...prefix, ...bad] },
    violation,
    field,
  });
  const withUpgrades = (bad: UpgradeIn[], violation: string, field: string) => ({
    config: { ...base, rewards: prefix, upgrades: bad },
    violation,
    field,
  });
  switch (rng.int(9)) {
    case 0:
      return withRewards(
        [{ ...reward('referral', 1, 500), trigger: rng.chance(0.5) ? 'signup' : 'approval' }],
        'reward_on_recruitment',
        `${at(0)}.trigger`,
      );
    case 1:
      return withRewards(
        [reward('referral', 1, 100), reward('referral', rng.between(4, 9), 100)],
        'depth_beyond_three',
        `${at(1)}.depth`,
      );
    case 2:
      return withRewards(
        [reward('referral', 1, 0, 6000), reward('referral', 2, 0, 4001 + rng.int(5000))],
        'rewards_exceed_purchase',
        `${at(1)}.bps`,
      );
    case 3:
      return withRewards([reward('referral', rng.between(1, 3), 0, 0)], 'reward_without_amount', `${at(0)}.amountFen`);
    case 4:
      return withRewards(
        [reward(rng.chance(0.5) ? 'tiered' : 'same_level', rng.between(2, 3), 500, 0, 1)],
        'same_level_depth',
        `${at(0)}.depth`,
      );
    case 5:
      return withRewards([reward('tiered', 1, 500, 0, 0)], 'tier_without_recruits', `${at(0)}.minRecruits`);
    case 6:
      return withRewards([reward('referral', 2, 100), reward('referral', 2, 300)], 'duplicate_rule', `${at(1)}.kind`);
    case 7:
      return withUpgrades(
        [
          {
            kind: rng.chance(0.5) ? 'cumulative' : 'single',
            targetLevel: rng.between(7, 9),
            thresholdFen: 100000,
            referCount: 0,
          },
        ],
        'unknown_level',
        'upgrades.0.targetLevel',
      );
    default:
      return withUpgrades(
        [{ kind: 'refer', targetLevel: null, thresholdFen: 0, referCount: 0 }],
        'refer_count',
        'upgrades.0.referCount',
      );
  }
}

type RulesAnswer = Omit<RuleEpoch, 'at'>;

// Rules as a set (the answer lists them in its own order), without their ids.
const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();
const ruleView = (r: RulesAnswer) => ({
  rewards: sorted(r.rewards.map(({ id: _id, ...x }) => x)),
  upgrades: sorted(r.upgrades.map(({ id: _id, ...x }) => x)),
  pointsPerYuan: r.pointsPerYuan,
  pointsTowardUpgrade: r.pointsTowardUpgrade,
});

// A payment in the same millisecond as a rule change could not be told before or after it: keep them apart.
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

const current = (m: Model) => m.incentives.epochs.at(-1);

const setRules: Op = {
  name: 'setIncentives',
  weight: (m) => (m.incentives.epochs.length === 0 ? 15 : 1.2),
  async run(ctx) {
    const { m, rng } = ctx;
    const refused = rng.chance(0.35) ? forbidden(rng) : null;
    const config: ConfigIn = refused?.config ?? {
      rewards: validRewards(rng),
      upgrades: validUpgrades(rng),
      pointsPerYuan: rng.pick([0, 1, 2, 5]) ?? 1,
      pointsTowardUpgrade: rng.chance(0.3),
    };
    const en = rng.chance(0.3);
    await tick();
    const res = await ctx.call<RulesAnswer>('/api/incentives/rules', {
      method: 'PUT',
      token: m.adminToken,
      body: config,
      headers: en ? { 'accept-language': 'en' } : {},
    });
    const summary = `${config.rewards.map((r) => `${r.kind}${r.depth}`).join('+') || 'no rewards'}, ${config.upgrades.map((u) => u.kind).join('+') || 'no upgrades'}, ${config.pointsPerYuan}/yuan`;
    if (refused) {
      ctx.expect(res, ['422 INCENTIVE_FORBIDDEN'], refused.violation);
      const error = (res.body as unknown as { error: { field?: string; message: string } }).error;
      const words = incentiveRules[refused.violation];
      same(ctx, 'refusal field', error.field, refused.field);
      same(
        ctx,
        'refusal reason',
        error.message,
        en ? `Configuration refused: ${words?.en}` : `配置被拒绝：${words?.zh}`,
      );
      ctx.note(`${summary} → refused: ${refused.violation}`);
    } else {
      ctx.expect(res, [200]);
      const stored = await row<{ at: number }>(
        "SELECT at FROM audit_log WHERE action = 'incentives.rules' ORDER BY at DESC, id DESC LIMIT 1",
      );
      m.incentives.epochs.push({ at: stored?.at ?? Date.now(), ...res.body });
      ctx.note(`${summary} → 200`);
    }
    await tick();
    // What agents are shown is what is in force: unchanged by a refusal.
    const reader = rng.pick(active(m));
    const shown = await ctx.call<RulesAnswer>('/api/incentives/rules', { token: reader?.token ?? m.adminToken });
    ctx.expect(shown, [200], 'read rules');
    const epoch = current(m);
    const none = { rewards: [], upgrades: [], pointsPerYuan: 0, pointsTowardUpgrade: false };
    same(ctx, 'rules in force', ruleView(shown.body), ruleView(epoch ?? none));
  },
};

const listGift: Op = {
  name: 'listGift',
  weight: (m) => (m.incentives.gifts.length < 6 ? 1 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const gift = {
      name: `赠品${m.incentives.gifts.length + 1}`,
      pointsCost: rng.between(1, 60) * 10,
      stock: rng.between(0, 4),
    };
    const res = await ctx.call<{ id: string }>('/api/gifts', { token: m.adminToken, body: gift });
    ctx.note(`${gift.name} ${gift.pointsCost} points × ${gift.stock} → ${ctx.expect(res, [201])}`);
    m.incentives.gifts.push({ id: res.body.id, listed: gift.stock });
  },
};

interface GiftRow {
  id: string;
  cost: number;
  stock: number;
}

async function pointsOf(agentId: string): Promise<number> {
  return (await row<{ p: number }>('SELECT points AS p FROM agent_progress WHERE agent_id = ?', agentId))?.p ?? 0;
}

// An agent with points (most of the time) and a gift; what the answer must be follows from the rows before.
async function redeemTarget(ctx: Ctx) {
  const rich = await rows<{ id: string }>('SELECT agent_id AS id FROM agent_progress WHERE points > 0');
  const pool = live(ctx.m).filter((a) => a.status === 'active');
  const withPoints = pool.filter((a) => rich.some((r) => r.id === a.id));
  const agent = ctx.rng.pick(ctx.rng.chance(0.8) && withPoints.length > 0 ? withPoints : pool);
  const gifts = await rows<GiftRow>('SELECT id, points_cost AS cost, stock FROM gifts ORDER BY id');
  const gift = ctx.rng.pick(gifts);
  return agent && gift ? { agent, gift, have: await pointsOf(agent.id) } : null;
}

const redeem: Op = {
  name: 'redeemGift',
  weight: (m) => (m.incentives.gifts.length > 0 && active(m).length > 0 ? 2 : 0),
  async run(ctx) {
    const target = await redeemTarget(ctx);
    if (!target) return;
    const { agent, gift, have } = target;
    const want = have < gift.cost ? '409 INSUFFICIENT_POINTS' : gift.stock <= 0 ? '409 OUT_OF_STOCK' : (200 as const);
    const res = await ctx.call<{ points: number }>(`/api/gifts/${gift.id}/redeem`, {
      method: 'POST',
      token: agent.token,
    });
    ctx.note(
      `${ctx.name(agent.id)} (${have} points) for ${gift.cost} (stock ${gift.stock}) → ${ctx.expect(res, [want])}`,
    );
    if (res.status === 200) same(ctx, 'points left', res.body.points, have - gift.cost);
    same(ctx, 'points after', await pointsOf(agent.id), res.status === 200 ? have - gift.cost : have);
  },
};

// Concurrent redemptions by one agent: together they never spend more points than it has, nor more gifts than listed.
const redeemRace: Op = {
  name: 'redeemRace',
  weight: (m) => (m.incentives.gifts.length > 0 && active(m).length > 0 ? 1 : 0),
  async run(ctx) {
    const target = await redeemTarget(ctx);
    if (!target || target.have < target.gift.cost) return;
    const { agent, gift, have } = target;
    const n = ctx.rng.between(2, 4);
    const answers = await Promise.all(
      Array.from({ length: n }, () => ctx.call(`/api/gifts/${gift.id}/redeem`, { method: 'POST', token: agent.token })),
    );
    const got = answers.map((r) =>
      ctx.expect(r, [200, '409 INSUFFICIENT_POINTS', '409 OUT_OF_STOCK', '409 INVALID_STATE'], 'race'),
    );
    const won = got.filter((g) => g === '200').length;
    ctx.note(`${ctx.name(agent.id)} (${have} points) ${n}× for ${gift.cost} (stock ${gift.stock}) → ${got.join(',')}`);
    if (won > Math.min(Math.floor(have / gift.cost), gift.stock))
      ctx.fail('overspent:points', `${won} redemptions with ${have} points at ${gift.cost} and ${gift.stock} in stock`);
    same(ctx, 'points after race', await pointsOf(agent.id), have - won * gift.cost);
  },
};

// What an agent is shown of its own progress is what its rows hold.
const progressPeek: Op = {
  name: 'progressPeek',
  weight: (m) => (m.incentives.epochs.length > 0 && active(m).length > 0 ? 1 : 0),
  async run(ctx) {
    const agent = ctx.rng.pick(active(ctx.m));
    if (!agent) return;
    const res = await ctx.call<{ level: number; points: number; restockFen: number; sameLevelRecruits: number }>(
      '/api/incentives/progress',
      { token: agent.token },
    );
    ctx.note(`${ctx.name(agent.id)} → ${ctx.expect(res, [200])} ${res.body.points} points`);
    const stored = await row<{ level: number; points: number | null; restockFen: number | null; same: number | null }>(
      `SELECT a.level, p.points, p.restock_fen AS restockFen, p.same_level_recruits AS same
       FROM agents a LEFT JOIN agent_progress p ON p.agent_id = a.id WHERE a.id = ?`,
      agent.id,
    );
    same(
      ctx,
      'progress',
      [res.body.level, res.body.points, res.body.restockFen, res.body.sameLevelRecruits],
      [stored?.level, stored?.points ?? 0, stored?.restockFen ?? 0, stored?.same ?? 0],
    );
  },
};

// A recruit's first restock, placed and paid at once: the purchase that rewards its referral line and counts toward
// 推三升一 (the restock and payment ops reach it too, but rarely for an agent that has never bought).
const recruitRestock: Op = {
  name: 'recruitRestock',
  weight: (m) => (m.incentives.epochs.length > 0 && active(m).length > 1 ? 3 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const recruits = await rows<{ id: string; referrerId: string }>(
      `SELECT a.id, a.referrer_id AS referrerId FROM agents a LEFT JOIN agent_progress p ON p.agent_id = a.id
       WHERE a.referrer_id IS NOT NULL AND p.first_restock_order_id IS NULL`,
    );
    const buyer = rng.pick(active(m).filter((a) => recruits.some((r) => r.id === a.id)));
    const referrerId = recruits.find((r) => r.id === buyer?.id)?.referrerId ?? null;
    if (!buyer) return;
    const lines = drawLines(ctx, 4);
    const supplier = chainOf(m, buyer).find((a) => a.status === 'active');
    const owner = m.settings.stockModel === 'cloud' ? (supplier?.id ?? 'brand') : 'brand';
    const allowed: Allowed[] = (await enough(owner, lines)) ? [201] : ['409 STOCK_INSUFFICIENT'];
    const res = await ctx.call<OrderView>('/api/orders', {
      token: buyer.token,
      body: { kind: 'restock', lines, paymentMethod: 'online' },
    });
    const got = ctx.expect(res, allowed);
    ctx.note(`${ctx.name(buyer.id)} (recruit of ${ctx.name(referrerId)}) from ${ctx.name(owner)} → ${got}`);
    if (res.status !== 201) return;
    const order = recordOrder(m, res.body, owner);
    const paid = await notify(transaction(order.id, order.amountFen));
    ctx.note(`${ctx.name(order.id)} ${order.amountFen} fen paid → ${ctx.expect(paid, [200], 'pay')}`);
    order.status = 'paid';
  },
};

// An agent recruits through its invite, often at its own level (平级推荐奖, 推三升一), and the application is approved.
const recruitAgent: Op = {
  name: 'recruitAgent',
  weight: (m) => (m.incentives.epochs.length > 0 && active(m).length > 0 && m.agents.length < 60 ? 2 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const recruiter = rng.pick(active(m));
    if (!recruiter) return;
    const level = rng.chance(0.5) ? recruiter.level : rng.between(Math.min(6, recruiter.level + 1), 6);
    const { res, phone } = await applyFor(ctx, level, recruiter);
    ctx.note(`level ${level} via ${ctx.name(recruiter.id)} → ${ctx.expect(res, [201])}`);
    m.apps.push({ id: res.body.id, level, phone, decided: false });
    await approve(ctx, m.apps.length - 1);
  },
};

export const incentiveOps: Op[] = [setRules, listGift, redeem, redeemRace, progressPeek, recruitRestock, recruitAgent];
