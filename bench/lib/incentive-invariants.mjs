// Invariants of incentives (issue 17), re-derived from orders, agents and the audit log without trusting the
// counters: each reward grant is what the rule in force said for the order that paid it (and reversed with its
// refund), points equal their history, progress counters equal what the orders imply, and every level change is
// logged. checkDatabase (invariants.mjs) reads these queries in its one batch and calls incentiveProblems.

import { dueBack, LEVEL_ACTIONS, levelLogProblems, pointsProblems, sameLevelProblems } from './incentive-progress.mjs';

/**
 * @typedef {{ id: string, kind: 'referral' | 'same_level' | 'tiered', depth: number, amountFen: number, bps: number,
 *   minRecruits: number }} RewardRule
 * @typedef {{ id: string, kind: 'cumulative' | 'single' | 'refer', targetLevel: number | null, thresholdFen: number,
 *   referCount: number }} UpgradeRule
 * @typedef {{ at: number, rewards: RewardRule[], upgrades: UpgradeRule[], pointsPerYuan: number,
 *   pointsTowardUpgrade: boolean }} RuleEpoch
 * @typedef {{ epochs: RuleEpoch[], gifts: { id: string, listed: number }[] }} IncentiveExpectations
 * @typedef {Record<string, any>} Row
 * @typedef {Record<string, Row[]>} Results
 * @typedef {(name: string, detail: unknown) => void} Add
 */

const STATUS_ACTIONS = { 'agent.suspend': 'suspended', 'agent.resume': 'active', 'agent.revoke': 'revoked' };

export const incentiveQueries = {
  incGrants: `SELECT id, order_id AS orderId, agent_id AS agentId, rule_id AS ruleId, kind, depth, amount_fen AS amount,
    reversed_fen AS reversed FROM reward_grants`,
  incRewardEntries: `SELECT txn_id AS txn, kind, account, amount_fen AS fen FROM ledger_entries
    WHERE kind IN ('reward', 'reward_reversal') OR account = 'brand:rewards'`,
  incOrders: `SELECT id, kind, agent_id AS agentId, amount_fen AS amount, refunded_fen AS refunded, paid_at AS paidAt
    FROM orders WHERE paid_at IS NOT NULL AND kind IN ('restock', 'consumer') ORDER BY paid_at, id`,
  incAgents: `SELECT a.id, a.level, a.status, a.referrer_id AS referrerId,
    (SELECT ap.level FROM applications ap WHERE ap.agent_id = a.id) AS startLevel FROM agents a`,
  incProgress: `SELECT agent_id AS agentId, restock_fen AS restockFen, first_restock_order_id AS firstOrder,
    same_level_recruits AS sameLevel, points FROM agent_progress`,
  incPoints:
    'SELECT id, agent_id AS agentId, kind, points, order_id AS orderId, gift_id AS giftId FROM points_entries ORDER BY id',
  incRecruits: 'SELECT agent_id AS agentId, period, count FROM recruit_counts',
  incEvents: `SELECT id, action, target_id AS agentId, detail, at FROM audit_log
    WHERE action IN ('agent.upgrade', 'agent.downgrade', 'agent.auto_upgrade', 'agent.suspend', 'agent.resume',
      'agent.revoke') ORDER BY at, id`,
  incRewardRules: 'SELECT id, kind, depth, amount_fen AS amountFen, bps, min_recruits AS minRecruits FROM reward_rules',
  incUpgradeRules: `SELECT id, kind, target_level AS targetLevel, threshold_fen AS thresholdFen, refer_count AS referCount
    FROM upgrade_rules`,
  incSettings: `SELECT points_per_yuan AS pointsPerYuan, points_toward_upgrade AS pointsTowardUpgrade
    FROM incentive_settings`,
  incGifts: 'SELECT id, points_cost AS cost, stock FROM gifts',
};

/** The calendar month in China time (UTC+8), as the payment counted it. @param {number} at */
export const periodOf = (at) => new Date(at + 8 * 3600_000).toISOString().slice(0, 7);

/** @param {{ amountFen: number, bps: number }} rule @param {number} purchase */
const rewardFen = (rule, purchase) => rule.amountFen + Math.floor((purchase * rule.bps) / 10000);

/** @param {Row} e */
const detailOf = (e) => (typeof e.detail === 'string' ? JSON.parse(e.detail) : (e.detail ?? {}));

// An agent's level and status at an instant, from the audit log. An event in the same millisecond that did not come
// from the order being judged cannot be placed before or after it: the answer is then null (not judged).
/** @param {Results} r */
function history(r) {
  const agents = new Map(r.incAgents.map((a) => [a.id, a]));
  /** @type {Map<string, Row[]>} */
  const events = new Map();
  for (const e of r.incEvents) {
    const list = events.get(e.agentId) ?? [];
    list.push({ ...e, d: detailOf(e) });
    events.set(e.agentId, list);
  }
  /** @param {string} id @param {number} t @param {string} orderId @returns {number | null} */
  const levelAt = (id, t, orderId) => {
    const a = agents.get(id);
    if (!a) return null;
    let level = a.startLevel ?? null;
    for (const e of events.get(id) ?? []) {
      if (!LEVEL_ACTIONS.includes(e.action)) continue;
      if (e.at > t || (e.at === t && e.d.orderId === orderId)) break;
      if (e.at === t) return null;
      level = Number(e.d.to);
    }
    return level;
  };
  /** @param {string} id @param {number} t @returns {string | null} */
  const statusAt = (id, t) => {
    let status = 'active';
    for (const e of events.get(id) ?? []) {
      const to = STATUS_ACTIONS[/** @type {keyof typeof STATUS_ACTIONS} */ (e.action)];
      if (!to) continue;
      if (e.at > t) break;
      if (e.at === t) return null;
      status = to;
    }
    return status;
  };
  return { agents, events, levelAt, statusAt };
}

/** @param {Results} r @param {IncentiveExpectations | undefined} expected @returns {RuleEpoch[]} */
function epochsOf(r, expected) {
  if (expected) return expected.epochs;
  // Without the history of rule changes (the soak never changes them), the rules in force are the stored ones.
  const s = r.incSettings[0];
  return [
    {
      at: Number.NEGATIVE_INFINITY,
      rewards: /** @type {RewardRule[]} */ (r.incRewardRules),
      upgrades: /** @type {UpgradeRule[]} */ (r.incUpgradeRules),
      pointsPerYuan: Number(s?.pointsPerYuan ?? 0),
      pointsTowardUpgrade: Boolean(s?.pointsTowardUpgrade),
    },
  ];
}

/**
 * @param {Results} r @param {IncentiveExpectations | undefined} expected @param {Add} add
 */
export function incentiveProblems(r, expected, add) {
  const h = history(r);
  const epochs = epochsOf(r, expected);
  const none = { at: 0, rewards: [], upgrades: [], pointsPerYuan: 0, pointsTowardUpgrade: false };
  /** @param {number} t @returns {RuleEpoch} */
  const epochAt = (t) => epochs.filter((e) => e.at < t).at(-1) ?? none;
  const rules = new Map(epochs.flatMap((e) => e.rewards.map((x) => [x.id, x])));
  const orders = new Map(r.incOrders.map((o) => [o.id, o]));
  const progress = new Map(r.incProgress.map((p) => [p.agentId, p]));
  /** @param {string | null} id @param {number} depth */
  const referrerAt = (id, depth) => {
    let at = id;
    for (let i = 0; i < depth && at !== null; i++) at = h.agents.get(at)?.referrerId ?? null;
    return at;
  };

  // The first paid restock of each agent (with an amount) makes it a qualified recruit, once.
  /** @type {Map<string, Row>} */
  const firsts = new Map();
  for (const o of r.incOrders) {
    if (o.kind !== 'restock' || o.amount <= 0 || firsts.has(o.agentId)) continue;
    firsts.set(o.agentId, o);
  }
  for (const [agentId, o] of firsts) {
    const stored = progress.get(agentId)?.firstOrder ?? null;
    const tied = r.incOrders.some(
      (x) => x !== o && x.agentId === agentId && x.kind === 'restock' && x.paidAt === o.paidAt,
    );
    if (stored !== o.id && !tied) add('first-restock-once', `${agentId}: first restock ${o.id}, recorded ${stored}`);
  }
  for (const p of progress.values()) {
    if (p.firstOrder && !firsts.has(p.agentId))
      add('first-restock-once', `${p.agentId}: ${p.firstOrder} not a paid restock`);
  }

  grantProblems(r, { h, rules, orders, progress, referrerAt }, add);

  // What the rules in force said for each first restock, re-derived: the referral line at that instant.
  /** @type {Map<string, Row[]>} */
  const grantsByOrder = new Map();
  for (const g of r.incGrants) grantsByOrder.set(g.orderId, [...(grantsByOrder.get(g.orderId) ?? []), g]);
  /** @type {Map<string, number>} */
  const recruits = new Map();
  for (const o of [...firsts.values()].sort((a, b) => a.paidAt - b.paidAt)) {
    const buyer = h.agents.get(o.agentId);
    const r1 = buyer?.referrerId ?? null;
    if (!buyer || r1 === null) continue;
    const key = `${r1}|${periodOf(o.paidAt)}`;
    const nth = (recruits.get(key) ?? 0) + 1;
    recruits.set(key, nth);
    const tied = [...firsts.values()].some(
      (x) => x !== o && x.paidAt === o.paidAt && h.agents.get(x.agentId)?.referrerId === r1,
    );
    const want = expectedGrants(o, epochAt(o.paidAt).rewards, nth, h, referrerAt);
    if (want === null || tied) continue;
    const got = (grantsByOrder.get(o.id) ?? []).map((g) => `${g.ruleId}>${g.agentId}:${g.amount}`).sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      add(
        'rewards-as-rules-say',
        `${o.id} (${o.amount} fen): paid ${got.join(', ') || 'nothing'}, rules say ${want.join(', ') || 'nothing'}`,
      );
    }
  }
  for (const [key, n] of recruits) {
    const [agentId, period] = key.split('|');
    const stored = r.incRecruits.find((x) => x.agentId === agentId && x.period === period)?.count ?? 0;
    if (stored !== n) add('recruit-counts-recount', `${key}: stored ${stored}, first restocks ${n}`);
  }
  for (const x of r.incRecruits) {
    if (!recruits.has(`${x.agentId}|${x.period}`))
      add('recruit-counts-recount', `${x.agentId}|${x.period}: ${x.count}, none`);
  }

  // Net restocks paid, per agent.
  /** @type {Map<string, number>} */
  const restocked = new Map();
  for (const o of r.incOrders) {
    if (o.kind === 'restock' && o.amount > 0)
      restocked.set(o.agentId, (restocked.get(o.agentId) ?? 0) + o.amount - o.refunded);
  }
  for (const id of new Set([...restocked.keys(), ...progress.keys()])) {
    const stored = progress.get(id)?.restockFen ?? 0;
    if (stored !== (restocked.get(id) ?? 0))
      add('restock-total-recount', `${id}: stored ${stored}, orders ${restocked.get(id) ?? 0}`);
  }

  pointsProblems(r, { epochAt, orders, progress, expected }, add);
  sameLevelProblems({ h, epochAt, progress, firsts }, add);
  levelLogProblems({ h, epochAt, orders, firsts }, add);
}

// Grants a first restock `o` (the buyer's `nth` qualified recruit this month for its referrer) must have paid, as
// "rule>agent:fen" sorted; null when the state at that instant cannot be told (an event in the same millisecond).
/** @param {Row} o @param {RewardRule[]} rules @param {number} nth @param {ReturnType<typeof history>} h
 * @param {(id: string | null, depth: number) => string | null} referrerAt */
function expectedGrants(o, rules, nth, h, referrerAt) {
  const buyerLevel = h.levelAt(o.agentId, o.paidAt, o.id);
  const r1 = referrerAt(o.agentId, 1);
  const r1Level = r1 === null ? null : h.levelAt(r1, o.paidAt, o.id);
  /** @type {string[]} */
  const want = [];
  for (const rule of rules) {
    const depth = rule.kind === 'referral' ? rule.depth : 1;
    const to = referrerAt(o.agentId, depth);
    if (to === null) continue;
    const status = h.statusAt(to, o.paidAt);
    if (status === null) return null;
    if (status !== 'active') continue;
    if (rule.kind === 'same_level') {
      if (buyerLevel === null || r1Level === null) return null;
      if (r1Level !== buyerLevel) continue;
    }
    if (rule.kind === 'tiered' && nth !== rule.minRecruits) continue;
    const fen = rewardFen(rule, o.amount);
    if (fen > 0) want.push(`${rule.id}>${to}:${fen}`);
  }
  return want.sort();
}

/** @param {Results} r @param {Row} c @param {Add} add */
function grantProblems(r, c, add) {
  /** @type {Map<string, number>} */
  const booked = new Map();
  /** @type {Map<string, number>} */
  const taken = new Map();
  const grants = new Map(r.incGrants.map((g) => [g.id, g]));
  for (const e of r.incRewardEntries) {
    const m = /^txn_(.+?)(_r\d+)?$/.exec(e.txn);
    const g = m ? grants.get(m[1]) : undefined;
    if (!g) {
      add('reward-ledger', `${e.txn}: ${e.kind} entry on ${e.account} without its grant`);
      continue;
    }
    if (e.account !== `agent:${g.agentId}:available`) continue;
    const into = m?.[2] ? taken : booked;
    into.set(g.id, (into.get(g.id) ?? 0) + e.fen);
  }
  for (const g of r.incGrants) {
    const o = c.orders.get(g.orderId);
    if (g.depth < 1 || g.depth > 3) add('reward-depth', `${g.id}: depth ${g.depth}`);
    if (o?.kind !== 'restock' || c.progress.get(o.agentId)?.firstOrder !== o.id) {
      add('reward-on-first-restock', `${g.id}: order ${g.orderId} is not its buyer's first paid restock`);
      continue;
    }
    const to = c.referrerAt(o.agentId, g.depth);
    if (to !== g.agentId) add('reward-to-referrer', `${g.id}: paid to ${g.agentId}, referrer ${g.depth} up is ${to}`);
    const rule = c.rules.get(g.ruleId);
    if (!rule) add('reward-grant-rule', `${g.id}: rule ${g.ruleId} was never in force`);
    else if (
      rule.kind !== g.kind ||
      (rule.kind === 'referral' ? rule.depth : 1) !== g.depth ||
      rewardFen(rule, o.amount) !== g.amount
    ) {
      add(
        'reward-grant-rule',
        `${g.id}: ${g.kind}/${g.depth} ${g.amount} fen, rule ${rule.kind}/${rule.depth} says ${rewardFen(rule, o.amount)} on ${o.amount}`,
      );
    }
    const due = dueBack(g.amount, o.amount, o.refunded);
    if (g.reversed !== due)
      add(
        'reward-reversed-with-refund',
        `${g.id}: reversed ${g.reversed}, refund of ${o.refunded}/${o.amount} takes ${due}`,
      );
    if ((booked.get(g.id) ?? 0) !== g.amount || -(taken.get(g.id) ?? 0) !== g.reversed) {
      add(
        'reward-ledger',
        `${g.id}: ledger paid ${booked.get(g.id) ?? 0} and took ${-(taken.get(g.id) ?? 0)}, grant ${g.amount}/${g.reversed}`,
      );
    }
  }
}
