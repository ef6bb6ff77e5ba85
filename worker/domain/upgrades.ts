import type { UpgradeKind } from './incentiveRules';

export interface StoredUpgradeRule {
  kind: UpgradeKind;
  targetLevel: number | null;
  thresholdFen: number;
  referCount: number;
}

// The level an agent's paid restock raises it to, or null. Cumulative counts `cumulativeFen` (restocks paid so far,
// this one included, plus points as yuan when the brand counts them); single counts this restock alone.
export function levelAfterRestock(
  rules: readonly StoredUpgradeRule[],
  level: number,
  cumulativeFen: number,
  restockFen: number,
): number | null {
  let best: number | null = null;
  for (const r of rules) {
    if (r.targetLevel === null || r.targetLevel >= level) continue;
    const reached =
      (r.kind === 'cumulative' && cumulativeFen >= r.thresholdFen) ||
      (r.kind === 'single' && restockFen >= r.thresholdFen);
    if (reached && (best === null || r.targetLevel < best)) best = r.targetLevel;
  }
  return best;
}

// 推三升一: the referrer rises one level when its qualified recruits of its own level reach N (exactly then: the
// count restarts at the new level). Never above level 1.
export function levelAfterReferral(rules: readonly StoredUpgradeRule[], level: number, sameLevelCount: number) {
  const rule = rules.find((r) => r.kind === 'refer');
  if (!rule || level <= 1 || sameLevelCount !== rule.referCount) return null;
  return level - 1;
}

export interface ProgressStep {
  kind: UpgradeKind;
  targetLevel: number;
  needed: number;
  current: number;
}

// What the agent sees: for each rule that would raise it, how far along it is.
export function progressSteps(
  rules: readonly StoredUpgradeRule[],
  level: number,
  cumulativeFen: number,
  sameLevelCount: number,
): ProgressStep[] {
  const steps: ProgressStep[] = [];
  for (const r of rules) {
    if (r.kind === 'refer') {
      if (level > 1)
        steps.push({ kind: r.kind, targetLevel: level - 1, needed: r.referCount, current: sameLevelCount });
    } else if (r.targetLevel !== null && r.targetLevel < level) {
      const current = r.kind === 'cumulative' ? cumulativeFen : 0;
      steps.push({ kind: r.kind, targetLevel: r.targetLevel, needed: r.thresholdFen, current });
    }
  }
  return steps.sort((a, b) => b.targetLevel - a.targetLevel || a.kind.localeCompare(b.kind));
}
