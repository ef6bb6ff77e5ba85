// Types of incentive-invariants.mjs for the TypeScript that uses them (the seeded simulation's model).
export interface RewardRule {
  id: string;
  kind: 'referral' | 'same_level' | 'tiered';
  depth: number;
  amountFen: number;
  bps: number;
  minRecruits: number;
}

export interface UpgradeRule {
  id: string;
  kind: 'cumulative' | 'single' | 'refer';
  targetLevel: number | null;
  thresholdFen: number;
  referCount: number;
}

// The rules the brand put in force at `at` (the audit log's time of the change), until the next epoch.
export interface RuleEpoch {
  at: number;
  rewards: RewardRule[];
  upgrades: UpgradeRule[];
  pointsPerYuan: number;
  pointsTowardUpgrade: boolean;
}

export interface IncentiveExpectations {
  epochs: RuleEpoch[];
  // Gifts listed, with the stock they were listed with.
  gifts: { id: string; listed: number }[];
}

export function periodOf(at: number): string;
