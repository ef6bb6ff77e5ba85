// Levels are ranks 1..N with no gaps: placement and prices compare ranks, and a gap would be a level nobody can hold.
export function levelSetProblem(ranks: readonly number[]): string | null {
  const sorted = [...ranks].sort((a, b) => a - b);
  if (sorted.length === 0) return 'at least one level';
  if (sorted.length > 9) return 'at most nine levels';
  for (let i = 0; i < sorted.length; i++) if (sorted[i] !== i + 1) return `rank ${i + 1} missing`;
  return null;
}
