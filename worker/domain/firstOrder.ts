/**
 * 首单金额: an agent's first restock must reach its level's first-order amount. A restock is the first while the agent
 * has no other restock that is not cancelled (one still awaiting payment counts: it will be the first once paid).
 * Returns the shortfall in fen (0 when the order may be placed).
 */
export function firstRestockShortfall(amountFen: number, firstOrderFen: number, hasEarlierRestock: boolean): number {
  if (hasEarlierRestock || firstOrderFen <= 0) return 0;
  return Math.max(0, firstOrderFen - amountFen);
}
