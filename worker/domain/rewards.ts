import { rewardFen } from './incentiveRules';

export interface StoredRewardRule {
  id: string;
  kind: 'referral' | 'same_level' | 'tiered';
  depth: number;
  amountFen: number;
  bps: number;
  minRecruits: number;
}

export interface ReferralLink {
  id: string;
  level: number;
  status: 'active' | 'suspended' | 'revoked';
}

export interface RewardGrantPlan {
  ruleId: string;
  kind: StoredRewardRule['kind'];
  agentId: string;
  depth: number;
  amountFen: number;
}

// Rewards a recruit's first restock pays. `referrers` is the referral line above the buyer, nearest first (at most
// three are ever read). Suspended and revoked referrers earn nothing (their reward is not passed on).
// `recruitsInPeriod` is the direct referrer's count of qualified recruits this month including this one.
export function rewardsForFirstRestock(input: {
  rules: readonly StoredRewardRule[];
  buyerLevel: number;
  referrers: readonly ReferralLink[];
  purchaseFen: number;
  recruitsInPeriod: number;
}): RewardGrantPlan[] {
  const out: RewardGrantPlan[] = [];
  const direct = input.referrers[0];
  for (const rule of input.rules) {
    const depth = rule.kind === 'referral' ? rule.depth : 1;
    if (depth > 3) continue;
    const to = input.referrers[depth - 1];
    if (to?.status !== 'active') continue;
    if (rule.kind === 'same_level' && direct?.level !== input.buyerLevel) continue;
    if (rule.kind === 'tiered' && input.recruitsInPeriod !== rule.minRecruits) continue;
    const amountFen = rewardFen(rule, input.purchaseFen);
    if (amountFen > 0) out.push({ ruleId: rule.id, kind: rule.kind, agentId: to.id, depth, amountFen });
  }
  return out;
}

// What a refund takes back from a grant: its share of the purchase refunded so far, less what was already taken.
export function rewardReversalFen(
  grant: { amountFen: number; reversedFen: number },
  orderFen: number,
  refundedFenAfter: number,
): number {
  if (orderFen <= 0) return 0;
  const due =
    refundedFenAfter >= orderFen ? grant.amountFen : Math.floor((grant.amountFen * refundedFenAfter) / orderFen);
  return Math.max(0, due - grant.reversedFen);
}

// Points for a paid consumer order: whole yuan of the sale times the brand's rate.
export function pointsFor(amountFen: number, pointsPerYuan: number): number {
  return Math.floor(amountFen / 100) * pointsPerYuan;
}

export function pointsReversal(earned: number, reversed: number, orderFen: number, refundedFenAfter: number): number {
  if (orderFen <= 0) return 0;
  const due = refundedFenAfter >= orderFen ? earned : Math.floor((earned * refundedFenAfter) / orderFen);
  return Math.max(0, due - reversed);
}

// Calendar month in China time (UTC+8), the period of the tiered reward.
export function periodOf(at: number): string {
  return new Date(at + 8 * 3600_000).toISOString().slice(0, 7);
}
