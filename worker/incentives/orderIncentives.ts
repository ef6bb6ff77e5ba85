import { and, eq } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import { changedGuard } from '../../db/guard';
import {
  addPoints,
  addRecruitCount,
  addRestockFen,
  addSameLevelRecruit,
  buyerLineQuery,
  ensureProgress,
  grantsOfOrderQuery,
  markFirstRestock,
  pointsOfOrderQuery,
  recruitCountIs,
  referrersOf,
  rewardRulesQuery,
  sameLevelRecruitsAre,
  settingsQuery,
  upgradeRulesQuery,
} from '../../db/incentives';
import { postTransaction } from '../../db/ledger';
import { rewardGrants } from '../../db/schema';
import { account } from '../domain/ledger';
import { periodOf, pointsFor, pointsReversal, rewardReversalFen, rewardsForFirstRestock } from '../domain/rewards';
import { levelAfterReferral, levelAfterRestock } from '../domain/upgrades';
import type { Db } from '../env';
import { upgradeWrites } from './upgrade';

type Items = BatchItem<'sqlite'>[];

// The brand pays rewards out of this account; a reversal puts the money back.
export const REWARDS_ACCOUNT = 'brand:rewards';

interface PaidOrder {
  id: string;
  kind: 'consumer' | 'restock' | 'pickup';
  agentId: string;
  amountFen: number;
}

// The reads incentives need, for bookPayment to put in its own read batch (so a payment stays at two round trips).
export function paymentIncentiveReads(db: Db, orderId: string, now: number) {
  return [
    settingsQuery(db),
    rewardRulesQuery(db),
    upgradeRulesQuery(db),
    buyerLineQuery(db, orderId, periodOf(now)),
  ] as const;
}

export type IncentiveReads = BatchResponse<ReturnType<typeof paymentIncentiveReads>>;

// Everything incentives add to the batch that marks an order paid: rewards and upgrades for a restock, points for a
// consumer sale. Called from one place (bookPayment). Only an upgrade reads more (the chain above the agent moving).
export async function paymentIncentiveWrites(
  db: Db,
  order: PaidOrder,
  reads: IncentiveReads,
  now: number,
): Promise<Items> {
  const [[settings], rewardRules, upgrades, [agent]] = reads;
  if (order.kind === 'pickup' || order.amountFen <= 0 || !agent || agent.id !== order.agentId) return [];
  const progress = agent;
  const perYuan = settings?.pointsPerYuan ?? 0;
  const towardUpgrade = settings?.pointsTowardUpgrade ?? false;
  const points = progress?.points ?? 0;
  const items: Items = [ensureProgress(db, agent.id)];
  if (order.kind === 'consumer') {
    const earned = pointsFor(order.amountFen, perYuan);
    if (earned === 0) return [];
    items.push(...addPoints(db, { agentId: agent.id, kind: 'earn', points: earned, orderId: order.id }, now));
    if (!towardUpgrade) return items;
    const cumulative = (progress?.restockFen ?? 0) + (points + earned) * 100;
    const to = levelAfterRestock(upgrades, agent.level, cumulative, 0);
    if (to !== null) items.push(...(await upgradeWrites(db, agent, to, 'cumulative', order.id, now)));
    return items;
  }
  items.push(addRestockFen(db, agent.id, order.amountFen));
  const first = !progress?.firstRestockOrderId;
  if (first) items.push(...firstRestockWrites(db, order, agent, rewardRules, reads, now));
  // The buyer moves first: the referrer's move after it then sees the buyer's new place in the tree.
  const cumulative = (progress?.restockFen ?? 0) + order.amountFen + (towardUpgrade ? points * 100 : 0);
  const to = levelAfterRestock(upgrades, agent.level, cumulative, order.amountFen);
  if (to !== null) {
    const singles = upgrades.filter((r) => r.kind === 'single');
    const reason = levelAfterRestock(singles, agent.level, 0, order.amountFen) === to ? 'single' : 'cumulative';
    items.push(...(await upgradeWrites(db, agent, to, reason, order.id, now)));
  }
  if (first) items.push(...(await referrerUpgradeWrites(db, agent, upgrades, reads, order.id, now)));
  return items;
}

// The recruit's first restock: it qualifies (once), and the rules pay the referral line on this purchase.
function firstRestockWrites(
  db: Db,
  order: PaidOrder,
  buyer: { id: string; level: number; referrerId: string | null },
  rules: IncentiveReads[1],
  reads: IncentiveReads,
  now: number,
): Items {
  const items: Items = [markFirstRestock(db, buyer.id, order.id), changedGuard(db)];
  const [, , , [line]] = reads;
  if (!buyer.referrerId || !line) return items;
  const period = periodOf(now);
  const recruitsInPeriod = (line.r1Recruits ?? 0) + 1;
  // The tier is decided from the count read before the batch: a concurrent recruit's payment that counted first
  // aborts this batch, and the payment is decided again from the new count.
  items.push(
    ensureProgress(db, buyer.referrerId),
    addRecruitCount(db, buyer.referrerId, period),
    recruitCountIs(db, buyer.referrerId, period, recruitsInPeriod),
  );
  const referrers = referrersOf(line);
  const grants = rewardsForFirstRestock({
    rules,
    buyerLevel: buyer.level,
    referrers,
    purchaseFen: order.amountFen,
    recruitsInPeriod,
  });
  grants.forEach((g, i) => {
    const id = `rwd_${order.id.slice(4)}_${i}`;
    items.push(
      db.insert(rewardGrants).values({ id, orderId: order.id, ...g, at: now }),
      ...postTransaction(
        db,
        { id: `txn_${id}`, kind: 'reward', orderId: order.id, memo: `${g.kind}:${g.depth}`, at: now },
        [{ from: REWARDS_ACCOUNT, to: account.available(g.agentId), amountFen: g.amountFen }],
      ),
    );
  });
  return items;
}

// 推三升一: a recruit of the referrer's own level qualifies; at exactly the Nth the referrer rises one level.
async function referrerUpgradeWrites(
  db: Db,
  buyer: { level: number },
  upgrades: IncentiveReads[2],
  reads: IncentiveReads,
  orderId: string,
  now: number,
): Promise<Items> {
  const [, , , [line]] = reads;
  const referrer = line ? referrersOf(line)[0] : undefined;
  if (!line || referrer?.status !== 'active' || referrer.level !== buyer.level) return [];
  const sameLevel = (line.r1SameLevel ?? 0) + 1;
  const items: Items = [addSameLevelRecruit(db, referrer.id), sameLevelRecruitsAre(db, referrer.id, sameLevel)];
  const to = levelAfterReferral(upgrades, referrer.level, sameLevel);
  if (to !== null) items.push(...(await upgradeWrites(db, referrer, to, 'refer', orderId, now)));
  return items;
}

// A refund of `refundedFenAfter` in all (this one included) takes back the same share of the order's rewards and
// points, at the amounts they were credited: from the available balance, which may go negative (a debt that new
// earnings repay first), never edited in place.
export async function refundIncentiveWrites(
  db: Db,
  order: PaidOrder,
  refundFen: number,
  refundedFenAfter: number,
  now: number,
): Promise<Items> {
  const [grants, points] = await db.batch([grantsOfOrderQuery(db, order.id), pointsOfOrderQuery(db, order.id)]);
  const items: Items = [];
  if (order.kind === 'restock' && refundFen > 0) items.push(addRestockFen(db, order.agentId, -refundFen));
  for (const g of grants) {
    const back = rewardReversalFen(g, order.amountFen, refundedFenAfter);
    if (back === 0) continue;
    items.push(
      db
        .update(rewardGrants)
        .set({ reversedFen: g.reversedFen + back })
        .where(and(eq(rewardGrants.id, g.id), eq(rewardGrants.reversedFen, g.reversedFen))),
      changedGuard(db),
      ...postTransaction(
        db,
        {
          id: `txn_${g.id}_r${g.reversedFen + back}`,
          kind: 'reward_reversal',
          orderId: order.id,
          memo: g.kind,
          at: now,
        },
        [{ from: account.available(g.agentId), to: REWARDS_ACCOUNT, amountFen: back }],
      ),
    );
  }
  const earned = points.filter((p) => p.kind === 'earn').reduce((s, p) => s + p.points, 0);
  const reversed = -points.filter((p) => p.kind === 'reverse').reduce((s, p) => s + p.points, 0);
  const back = pointsReversal(earned, reversed, order.amountFen, refundedFenAfter);
  if (back > 0) {
    items.push(...addPoints(db, { agentId: order.agentId, kind: 'reverse', points: -back, orderId: order.id }, now));
  }
  return items;
}
