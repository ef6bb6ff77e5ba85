// Brand price control (品牌控价): one retail price R and one price per level rank, all in integer fen.

export interface PriceTable {
  retailFen: number;
  levelFen: Record<number, number>; // rank → price
}

export type PriceProblemReason =
  | 'missing'
  | 'not_positive'
  | 'not_integer'
  | 'above_higher_level_order'
  | 'above_retail';

// Retail can only be missing or malformed: the ordering problems are always blamed on a level, never on R.
export type PriceProblem =
  | { level: number; reason: PriceProblemReason }
  | { level: 'retail'; reason: 'missing' | 'not_positive' | 'not_integer' };

function amountProblem(fen: number | undefined): 'missing' | 'not_integer' | 'not_positive' | null {
  if (typeof fen !== 'number') return 'missing';
  // Safe integers only: beyond 2^53 fen arithmetic is no longer exact.
  if (!Number.isSafeInteger(fen)) return 'not_integer';
  if (fen <= 0) return 'not_positive';
  return null;
}

// Checks 0 < P(1) ≤ P(2) ≤ … ≤ P(N) ≤ R for ranks 1..levelCount and names the first offending level (smallest rank),
// so the error can point at the one price to fix. Retail is checked first: without a valid R no level can be judged
// against it. Ranks above levelCount are ignored (they belong to no level).
export function priceTableProblem(table: PriceTable, levelCount: number): PriceProblem | null {
  if (!Number.isInteger(levelCount) || levelCount < 1 || levelCount > 9) {
    throw new RangeError(`levelCount must be a whole number from 1 to 9, got ${levelCount}`);
  }
  const retail = amountProblem(table.retailFen);
  if (retail) return { level: 'retail', reason: retail };
  let higher: number | undefined;
  for (let rank = 1; rank <= levelCount; rank++) {
    const fen = table.levelFen[rank];
    const own = amountProblem(fen);
    if (own || fen === undefined) return { level: rank, reason: own ?? 'missing' };
    if (higher !== undefined && fen < higher) return { level: rank, reason: 'above_higher_level_order' };
    if (fen > table.retailFen) return { level: rank, reason: 'above_retail' };
    higher = fen;
  }
  return null;
}

function levelLabel(rank: number, lang: 'zh' | 'en', levelNames: ReadonlyMap<number, string>): string {
  const name = levelNames.get(rank);
  if (lang === 'zh') return name ? `等级 ${rank}「${name}」` : `等级 ${rank}`;
  return name ? `level ${rank} (${name})` : `level ${rank}`;
}

// One sentence for an API error or a form hint, naming the level by its name and rank.
export function describePriceProblem(
  problem: PriceProblem,
  lang: 'zh' | 'en',
  levelNames: ReadonlyMap<number, string>,
): string {
  if (problem.level === 'retail') {
    const zh = {
      missing: '没有设置零售价。',
      not_integer: '零售价必须是以分为单位的整数。',
      not_positive: '零售价必须大于 0。',
    };
    const en = {
      missing: 'The retail price is missing.',
      not_integer: 'The retail price must be a whole number of fen.',
      not_positive: 'The retail price must be greater than zero.',
    };
    return (lang === 'zh' ? zh : en)[problem.reason];
  }
  const level = levelLabel(problem.level, lang, levelNames);
  const higher = levelLabel(problem.level - 1, lang, levelNames);
  if (lang === 'zh') {
    switch (problem.reason) {
      case 'missing':
        return `${level}没有设置价格。`;
      case 'not_integer':
        return `${level}的价格必须是以分为单位的整数。`;
      case 'not_positive':
        return `${level}的价格必须大于 0。`;
      case 'above_higher_level_order':
        return `${level}的价格低于${higher}的价格：级别越低，拿货价不能越低。`;
      case 'above_retail':
        return `${level}的价格高于零售价。`;
    }
  }
  switch (problem.reason) {
    case 'missing':
      return `The price of ${level} is missing.`;
    case 'not_integer':
      return `The price of ${level} must be a whole number of fen.`;
    case 'not_positive':
      return `The price of ${level} must be greater than zero.`;
    case 'above_higher_level_order':
      return `The price of ${level} is below the price of ${higher}: a lower level may not buy for less than a higher one.`;
    case 'above_retail':
      return `The price of ${level} is above the retail price.`;
  }
}

/**
 * When only the retail price changed and a level now costs more than it, the retail price is what to fix: the rank
 * of the dearest level above it (the one the new retail price must reach), or null.
 */
export function levelAboveRetail(table: PriceTable, levelCount: number): number | null {
  let found: number | null = null;
  for (let rank = 1; rank <= levelCount; rank++) {
    const fen = table.levelFen[rank];
    if (fen !== undefined && fen > table.retailFen && (found === null || fen >= (table.levelFen[found] ?? 0)))
      found = rank;
  }
  return found;
}

export function describeRetailBelow(
  rank: number,
  priceText: string,
  lang: 'zh' | 'en',
  levelNames: ReadonlyMap<number, string>,
): string {
  const level = levelLabel(rank, lang, levelNames);
  return lang === 'zh'
    ? `零售价低于${level}的价格 ${priceText}：零售价不能低于任何等级的拿货价。`
    : `The retail price is below the price of ${level} (${priceText}): it may not be below any level’s price.`;
}

export type PriceViewer = { role: 'public' } | { role: 'agent'; level: number } | { role: 'brand' };

// The public sees R only; an agent of level k sees its own and lower levels' prices (ranks ≥ k), never a higher
// level's; the brand sees everything. Always a fresh record, so a caller cannot edit the table through it.
export function visiblePrices(
  table: PriceTable,
  viewer: PriceViewer,
): { retailFen: number; levelFen: Record<number, number> } {
  const levelFen: Record<number, number> = {};
  if (viewer.role !== 'public') {
    for (const [key, fen] of Object.entries(table.levelFen)) {
      const rank = Number(key);
      if (viewer.role === 'brand' || rank >= viewer.level) levelFen[rank] = fen;
    }
  }
  return { retailFen: table.retailFen, levelFen };
}
