// Invariants of points and level progress (issue 17), the second half of incentive-invariants.mjs: points equal
// their history and follow the rate and refunds, 推三升一 counts replay through time, and every level change is logged.

/**
 * @typedef {Record<string, any>} Row
 * @typedef {Record<string, Row[]>} Results
 * @typedef {(name: string, detail: unknown) => void} Add
 * @typedef {import('./incentive-invariants.mjs').UpgradeRule} UpgradeRule
 */

export const LEVEL_ACTIONS = ['agent.upgrade', 'agent.downgrade', 'agent.auto_upgrade'];

/** What a refund of `refunded` out of `total` takes back of `amount` (all of it at a full refund). */
export const dueBack = (/** @type {number} */ amount, /** @type {number} */ total, /** @type {number} */ refunded) =>
  total <= 0 ? 0 : refunded >= total ? amount : Math.floor((amount * refunded) / total);

/** @param {Results} r @param {Row} c @param {Add} add */
export function pointsProblems(r, c, add) {
  /** @type {Map<string, number>} */
  const sums = new Map();
  /** @type {Map<string, { earned: number, reversed: number, entries: number }>} */
  const byOrder = new Map();
  /** @type {Map<string, number>} */
  const redeemed = new Map();
  const gifts = new Map(r.incGifts.map((g) => [g.id, g]));
  for (const e of r.incPoints) {
    const running = (sums.get(e.agentId) ?? 0) + e.points;
    sums.set(e.agentId, running);
    if (e.kind === 'redeem') {
      if (running < 0) add('points-never-overspent', `${e.agentId}: entry ${e.id} leaves ${running}`);
      const gift = gifts.get(e.giftId);
      if (!gift || e.points !== -gift.cost)
        add('points-redeemed-at-cost', `entry ${e.id}: ${e.points} for ${e.giftId}`);
      redeemed.set(e.giftId, (redeemed.get(e.giftId) ?? 0) + 1);
      continue;
    }
    const o = byOrder.get(e.orderId) ?? { earned: 0, reversed: 0, entries: 0 };
    if (e.kind === 'earn') o.earned += e.points;
    else o.reversed -= e.points;
    o.entries += e.kind === 'earn' ? 1 : 0;
    byOrder.set(e.orderId, o);
  }
  for (const id of new Set([...sums.keys(), ...c.progress.keys()])) {
    const held = c.progress.get(id)?.points ?? 0;
    if (held !== (sums.get(id) ?? 0)) add('points-equal-history', `${id}: holds ${held}, history ${sums.get(id) ?? 0}`);
  }
  for (const o of r.incOrders) {
    if (o.kind !== 'consumer') continue;
    const got = byOrder.get(o.id) ?? { earned: 0, reversed: 0, entries: 0 };
    byOrder.delete(o.id);
    const want = o.amount > 0 ? Math.floor(o.amount / 100) * c.epochAt(o.paidAt).pointsPerYuan : 0;
    if (got.earned !== want || got.entries > 1)
      add(
        'points-earned-as-rate',
        `${o.id} (${o.amount} fen): earned ${got.earned} in ${got.entries}, rate says ${want}`,
      );
    const due = dueBack(got.earned, o.amount, o.refunded);
    if (got.reversed !== due)
      add(
        'points-reversed-with-refund',
        `${o.id}: reversed ${got.reversed}, refund of ${o.refunded}/${o.amount} takes ${due}`,
      );
  }
  for (const id of byOrder.keys()) add('points-earned-as-rate', `points on ${id}, not a paid consumer order`);
  for (const g of c.expected?.gifts ?? []) {
    const stock = gifts.get(g.id)?.stock;
    if (stock !== g.listed - (redeemed.get(g.id) ?? 0))
      add('gift-stock', `${g.id}: ${stock} left of ${g.listed}, ${redeemed.get(g.id) ?? 0} redeemed`);
  }
}

// 推三升一: each agent's count of qualified recruits of its own level since its level last changed, replayed through
// time; at exactly the Nth (of the rule in force then) the agent must rise one level by that very order.
/** @param {Row} c @param {Add} add */
export function sameLevelProblems(c, add) {
  /** @type {Map<string, Row[]>} */
  const byReferrer = new Map();
  for (const o of c.firsts.values()) {
    const ref = c.h.agents.get(o.agentId)?.referrerId;
    if (ref) byReferrer.set(ref, [...(byReferrer.get(ref) ?? []), o]);
  }
  for (const [id, agent] of c.h.agents) {
    const levelEvents = (c.h.events.get(id) ?? []).filter((/** @type {Row} */ e) => LEVEL_ACTIONS.includes(e.action));
    const items = [
      ...levelEvents.map((/** @type {Row} */ e) => ({ at: e.at, event: e, order: null })),
      ...(byReferrer.get(id) ?? []).map((o) => ({ at: o.paidAt, event: null, order: o })),
    ].sort((a, b) => a.at - b.at || (a.order ? 0 : 1) - (b.order ? 0 : 1));
    let count = 0;
    let judged = true;
    for (const item of items) {
      if (item.event) {
        count = 0;
        continue;
      }
      const o = /** @type {Row} */ (item.order);
      const mine = c.h.levelAt(id, o.paidAt, o.id);
      const theirs = c.h.levelAt(o.agentId, o.paidAt, o.id);
      const status = c.h.statusAt(id, o.paidAt);
      if (mine === null || theirs === null || status === null) {
        judged = false;
        continue;
      }
      if (status !== 'active' || mine !== theirs) continue;
      count++;
      const rule = c.epochAt(o.paidAt).upgrades.find((/** @type {UpgradeRule} */ u) => u.kind === 'refer');
      const rose = levelEvents.some(
        (/** @type {Row} */ e) => e.action === 'agent.auto_upgrade' && e.d.orderId === o.id,
      );
      const due = rule !== undefined && mine > 1 && count === rule.referCount;
      if (due !== rose)
        add(
          'refer-upgrade-at-nth',
          `${id} (level ${mine}): recruit ${count} by ${o.id}, rule N=${rule?.referCount ?? '-'}, rose ${rose}`,
        );
    }
    const stored = c.progress.get(id)?.sameLevel ?? 0;
    if (judged && stored !== count)
      add('same-level-recruits-recount', `${id} (level ${agent.level}): stored ${stored}, replayed ${count}`);
  }
}

// Every level change is logged (from → to chains from the approved level to the current one), and each automatic
// upgrade names an order that qualifies it under the rules in force.
/** @param {Row} c @param {Add} add */
export function levelLogProblems(c, add) {
  for (const [id, agent] of c.h.agents) {
    let level = agent.startLevel;
    for (const e of (c.h.events.get(id) ?? []).filter((/** @type {Row} */ e) => LEVEL_ACTIONS.includes(e.action))) {
      const from = Number(e.d.from);
      const to = Number(e.d.to);
      if (level !== null && from !== level)
        add('upgrades-logged-match-levels', `${id}: ${e.action} from ${from}, was ${level}`);
      level = to;
      if (e.action !== 'agent.auto_upgrade') continue;
      const o = c.orders.get(e.d.orderId);
      const epoch = c.epochAt(e.at);
      const kind = e.d.reason;
      const rule = epoch.upgrades.find(
        (/** @type {UpgradeRule} */ u) =>
          u.kind === kind && (kind === 'refer' ? to === from - 1 : u.targetLevel === to),
      );
      const byOrder =
        kind === 'refer'
          ? o && c.firsts.get(o.agentId) === o && c.h.agents.get(o.agentId)?.referrerId === id
          : o &&
            o.agentId === id &&
            (kind === 'cumulative' || (o.kind === 'restock' && o.amount >= (rule?.thresholdFen ?? 0)));
      if (!rule || !byOrder || to >= from) add('upgrade-has-reason', `${id}: ${kind} ${from}→${to} by ${e.d.orderId}`);
    }
    if (level !== null && level !== agent.level)
      add('upgrades-logged-match-levels', `${id}: level ${agent.level}, log says ${level}`);
  }
}
