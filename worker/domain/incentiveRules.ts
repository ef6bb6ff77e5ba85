// The brand's incentive configuration and the compliance guard over it (DESIGN "Compliance guard"): rewards are paid
// on a recruit's purchase only, never for the recruitment itself, at most 3 levels deep.

export const MAX_REWARD_DEPTH = 3;

export type RewardKind = 'referral' | 'same_level' | 'tiered';
export type UpgradeKind = 'cumulative' | 'single' | 'refer';

export interface RewardRuleInput {
  kind: RewardKind;
  // What pays it: only 'first_restock' (the recruit's first purchase) is allowed.
  trigger: 'first_restock' | 'signup' | 'approval';
  depth: number;
  amountFen: number;
  bps: number;
  minRecruits: number;
}

export interface UpgradeRuleInput {
  kind: UpgradeKind;
  targetLevel: number | null;
  thresholdFen: number;
  referCount: number;
}

export interface IncentiveConfig {
  rewards: readonly RewardRuleInput[];
  upgrades: readonly UpgradeRuleInput[];
  pointsPerYuan: number;
  pointsTowardUpgrade: boolean;
}

// The rule a refused configuration breaks; worker/errors.ts words each one.
export type Violation =
  | 'reward_on_recruitment'
  | 'depth_beyond_three'
  | 'rewards_exceed_purchase'
  | 'reward_without_amount'
  | 'same_level_depth'
  | 'tier_without_recruits'
  | 'duplicate_rule'
  | 'unknown_level'
  | 'refer_count';

export interface RuleViolation {
  violation: Violation;
  index: number;
  field: string;
}

// The first broken rule, or null. `levels` are the brand's ranks (1 highest).
export function checkIncentiveConfig(config: IncentiveConfig, levels: readonly number[]): RuleViolation | null {
  let bpsTotal = 0;
  const seen = new Set<string>();
  for (const [index, r] of config.rewards.entries()) {
    const at = (violation: Violation, field: string) => ({ violation, index, field: `rewards.${index}.${field}` });
    if (r.trigger !== 'first_restock') return at('reward_on_recruitment', 'trigger');
    if (r.depth > MAX_REWARD_DEPTH) return at('depth_beyond_three', 'depth');
    if (r.kind !== 'referral' && r.depth !== 1) return at('same_level_depth', 'depth');
    if (r.amountFen <= 0 && r.bps <= 0) return at('reward_without_amount', 'amountFen');
    if (r.kind === 'tiered' && r.minRecruits < 1) return at('tier_without_recruits', 'minRecruits');
    const key = `${r.kind}:${r.depth}:${r.kind === 'tiered' ? r.minRecruits : 0}`;
    if (seen.has(key)) return at('duplicate_rule', 'kind');
    seen.add(key);
    if (r.kind !== 'tiered') bpsTotal += r.bps;
    // Percentages stacked on one purchase could pay out more than the purchase itself.
    if (bpsTotal > 10000) return at('rewards_exceed_purchase', 'bps');
  }
  for (const [index, u] of config.upgrades.entries()) {
    const at = (violation: Violation, field: string) => ({ violation, index, field: `upgrades.${index}.${field}` });
    if (u.kind === 'refer') {
      if (u.referCount < 1) return at('refer_count', 'referCount');
    } else {
      if (u.targetLevel === null || !levels.includes(u.targetLevel)) return at('unknown_level', 'targetLevel');
      if (u.thresholdFen <= 0) return at('reward_without_amount', 'thresholdFen');
    }
    const key = `${u.kind}:${u.targetLevel ?? ''}`;
    if (seen.has(key)) return at('duplicate_rule', 'kind');
    seen.add(key);
  }
  return null;
}

// A rule's money on a purchase of `purchaseFen`: a fixed amount plus a share in basis points, rounded down.
export function rewardFen(rule: { amountFen: number; bps: number }, purchaseFen: number): number {
  return rule.amountFen + Math.floor((purchaseFen * rule.bps) / 10000);
}
