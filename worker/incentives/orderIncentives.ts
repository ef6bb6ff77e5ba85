import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { changedGuard } from '../../db/guard';
import {
  addPoints,
  addRecruitCount,
  addRestockFen,
  addSameLevelRecruit,
  agentCoreQuery,
  ensureProgress,
  grantsOfOrderQuery,
  markFirstRestock,
  pointsOfOrderQuery,
  progressQuery,
  recruitCountQuery,
  referralLineQuery,
  rewardRulesQuery,
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

// Everything incentives add to the batch that marks an order paid: rewards and upgrades for a restock, points for a
// consumer sale. Called from one place (bookPayment); reads a bounded number of rows.
export async function paymentIncentiveWrites(db: Db, order: PaidOrder, now: number): Promise<Items> {
  if (order.kind === 'pickup' || order.amountFen <= 0) return [];
  const [[settings], upgrades, [agent], [progress]] = await db.batch([
    settingsQuery(db),
    upgradeRulesQuery(db),
    agentCoreQuery(db, order.agentId),
    progressQuery(db, [order.agentId]),
  ]);
  if (!agent) return [];
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
  if (first) items.push(...(await firstRestockWrites(db, order, agent, now)));
  // The buyer moves first: the referrer's move after it then sees the buyer's new place in the tree.
  const cumulative = (progress?.restockFen ?? 0) + order.amountFen + (towardUpgrade ? points * 100 : 0);
  const to = levelAfterRestock(upgrades, agent.level, cumulative, order.amountFen);
  if (to !== null) {
    const reason =
      (progress?.restockFen ?? 0) + order.amountFen >= cumulative && order.amountFen ? 'single' : 'cumulative';
    items.push(...(await upgradeWrites(db, agent, to, reason, order.id, now)));
  }
  if (first && agent.referrerId) items.push(...(await referrerUpgradeWrites(db, agent, order.id, now)));
  return items;
}

// The recruit's first restock: it qualifies (once), and the rules pay the referral line on this purchase.
async function firstRestockWrites(
  db: Db,
  order: PaidOrder,
  buyer: { id: string; level: number; referrerId: string | null },
  now: number,
): Promise<Items> {
  const items: Items = [markFirstRestock(db, buyer.id, order.id), changedGuard(db)];
  if (!buyer.referrerId) return items;
  const period = periodOf(now);
  // The recursive line is raw SQL, which drizzle cannot put in a batch.
  const [[rules, [count]], line] = await Promise.all([
    db.batch([rewardRulesQuery(db), recruitCountQuery(db, buyer.referrerId, period)]),
    referralLineQuery(db, buyer.id),
  ]);
  items.push(ensureProgress(db, buyer.referrerId), addRecruitCount(db, buyer.referrerId, period));
  const grants = rewardsForFirstRestock({
    rules,
    buyerLevel: buyer.level,
    referrers: line,
    purchaseFen: order.amountFen,
    recruitsInPeriod: (count?.count ?? 0) + 1,
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
  buyer: { level: number; referrerId: string | null },
  orderId: string,
  now: number,
): Promise<Items> {
  if (!buyer.referrerId) return [];
  const [upgrades, [referrer], [progress]] = await db.batch([
    upgradeRulesQuery(db),
    agentCoreQuery(db, buyer.referrerId),
    progressQuery(db, [buyer.referrerId]),
  ]);
  if (referrer?.status !== 'active' || referrer.level !== buyer.level) return [];
  const items: Items = [addSameLevelRecruit(db, referrer.id)];
  const to = levelAfterReferral(upgrades, referrer.level, (progress?.sameLevelRecruits ?? 0) + 1);
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
