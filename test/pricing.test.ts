import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describePriceProblem, type PriceTable, priceTableProblem, visiblePrices } from '../worker/domain/pricing';

// The price table of DESIGN.md's worked example, in fen.
const example = (): PriceTable => ({
  retailFen: 29_900,
  levelFen: { 1: 15_900, 2: 16_900, 3: 18_400, 4: 20_400, 5: 22_900, 6: 25_900 },
});
const names = new Map([
  [1, '联创'],
  [2, '总代'],
  [3, '省代'],
  [4, '市代'],
  [5, '县代'],
  [6, '天使'],
]);

function withLevel(rank: number, fen: number | undefined): PriceTable {
  const table = example();
  if (fen === undefined) delete table.levelFen[rank];
  else table.levelFen[rank] = fen;
  return table;
}

// Valid tables: N levels, non-decreasing prices (often strictly increasing), retail at or above P(N).
const validTable = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc
    .record({
      first: fc.integer({ min: 1, max: 100_000 }),
      steps: fc.array(
        fc.oneof(
          { arbitrary: fc.integer({ min: 1, max: 50_000 }), weight: 4 },
          { arbitrary: fc.constant(0), weight: 1 },
        ),
        { minLength: n - 1, maxLength: n - 1 },
      ),
      retailAbove: fc.integer({ min: 0, max: 100_000 }),
    })
    .map(({ first, steps, retailAbove }) => {
      const levelFen: Record<number, number> = { 1: first };
      let price = first;
      steps.forEach((step, i) => {
        price += step;
        levelFen[i + 2] = price;
      });
      return { n, table: { retailFen: price + retailAbove, levelFen } };
    }),
);

describe('priceTableProblem', () => {
  it('accepts the worked example, equal adjacent prices, and P(N) equal to retail', () => {
    expect(priceTableProblem(example(), 6)).toBeNull();
    expect(priceTableProblem(withLevel(3, 16_900), 6)).toBeNull();
    expect(priceTableProblem(withLevel(6, 29_900), 6)).toBeNull();
    expect(priceTableProblem({ retailFen: 100, levelFen: { 1: 100 } }, 1)).toBeNull();
  });

  it('finds a missing level', () => {
    expect(priceTableProblem(withLevel(4, undefined), 6)).toEqual({ level: 4, reason: 'missing' });
    // A table for six levels is incomplete once the brand adds a seventh.
    expect(priceTableProblem(example(), 7)).toEqual({ level: 7, reason: 'missing' });
  });

  it('finds a price that is zero or negative', () => {
    expect(priceTableProblem(withLevel(1, 0), 6)).toEqual({ level: 1, reason: 'not_positive' });
    expect(priceTableProblem(withLevel(1, -100), 6)).toEqual({ level: 1, reason: 'not_positive' });
  });

  it('finds a price that is not a whole number of fen', () => {
    expect(priceTableProblem(withLevel(2, 16_900.5), 6)).toEqual({ level: 2, reason: 'not_integer' });
    expect(priceTableProblem(withLevel(2, Number.NaN), 6)).toEqual({ level: 2, reason: 'not_integer' });
    expect(priceTableProblem(withLevel(2, Number.POSITIVE_INFINITY), 6)).toEqual({ level: 2, reason: 'not_integer' });
  });

  it('finds a lower level priced below the level above it', () => {
    expect(priceTableProblem(withLevel(3, 16_899), 6)).toEqual({ level: 3, reason: 'above_higher_level_order' });
  });

  it('finds a level priced above retail', () => {
    expect(priceTableProblem(withLevel(6, 29_901), 6)).toEqual({ level: 6, reason: 'above_retail' });
    // Every level from 4 down is above retail: the highest of them (smallest rank) is named.
    expect(priceTableProblem({ ...example(), retailFen: 20_000 }, 6)).toEqual({ level: 4, reason: 'above_retail' });
  });

  it('finds a missing or malformed retail price before judging levels against it', () => {
    expect(priceTableProblem({ ...example(), retailFen: 0 }, 6)).toEqual({ level: 'retail', reason: 'not_positive' });
    expect(priceTableProblem({ ...example(), retailFen: 299.5 }, 6)).toEqual({
      level: 'retail',
      reason: 'not_integer',
    });
    const noRetail = { levelFen: example().levelFen } as unknown as PriceTable;
    expect(priceTableProblem(noRetail, 6)).toEqual({ level: 'retail', reason: 'missing' });
  });

  it('names the first offending level when several are wrong', () => {
    const table = example();
    table.levelFen[5] = 1; // below level 4
    table.levelFen[3] = 0; // not positive
    delete table.levelFen[6];
    expect(priceTableProblem(table, 6)).toEqual({ level: 3, reason: 'not_positive' });
  });

  it('ignores ranks beyond the level count', () => {
    expect(priceTableProblem(withLevel(7, 1), 6)).toBeNull();
  });

  it('refuses a level count outside 1..9', () => {
    expect(() => priceTableProblem(example(), 0)).toThrow(RangeError);
    expect(() => priceTableProblem(example(), 10)).toThrow(RangeError);
  });

  it('accepts every valid table', () => {
    fc.assert(
      fc.property(validTable, ({ n, table }) => priceTableProblem(table, n) === null),
      { numRuns: 300 },
    );
  });

  it('names the level that was broken in an otherwise valid table', () => {
    type Breakage = 'missing' | 'not_positive' | 'not_integer' | 'above_higher_level_order' | 'above_retail';
    const broken = validTable.chain(({ n, table }) =>
      fc.record({
        n: fc.constant(n),
        table: fc.constant(table),
        rank: fc.integer({ min: 1, max: n }),
        breakage: fc.constantFrom<Breakage>(
          'missing',
          'not_positive',
          'not_integer',
          'above_higher_level_order',
          'above_retail',
        ),
      }),
    );
    fc.assert(
      fc.property(broken, ({ n, table, rank, breakage }) => {
        const levelFen = { ...table.levelFen };
        const own = levelFen[rank] ?? 0;
        const higher = levelFen[rank - 1];
        // Each breakage keeps the higher levels valid, so `rank` must be the first problem found.
        if (breakage === 'missing') delete levelFen[rank];
        if (breakage === 'not_positive') levelFen[rank] = rank === 1 ? 0 : -own;
        if (breakage === 'not_integer') levelFen[rank] = own + 0.5;
        if (breakage === 'above_retail') levelFen[rank] = table.retailFen + 1;
        if (breakage === 'above_higher_level_order') {
          if (higher === undefined || higher < 2) return; // rank 1 has no higher level; nothing valid lies below 1
          levelFen[rank] = higher - 1;
        }
        expect(priceTableProblem({ ...table, levelFen }, n)).toEqual({ level: rank, reason: breakage });
      }),
      { numRuns: 300 },
    );
  });
});

describe('describePriceProblem', () => {
  it('names the level by name and rank in Chinese and English', () => {
    const order = { level: 3, reason: 'above_higher_level_order' } as const;
    const zh = describePriceProblem(order, 'zh', names);
    expect(zh).toContain('等级 3「省代」');
    expect(zh).toContain('低于等级 2「总代」');
    const en = describePriceProblem(order, 'en', names);
    expect(en).toContain('level 3 (省代)');
    expect(en).toContain('below the price of level 2 (总代)');
  });

  it('has a distinct sentence for every reason in both languages', () => {
    const reasons = ['missing', 'not_positive', 'not_integer', 'above_higher_level_order', 'above_retail'] as const;
    for (const lang of ['zh', 'en'] as const) {
      const sentences = reasons.map((reason) => describePriceProblem({ level: 5, reason }, lang, names));
      expect(new Set(sentences).size).toBe(reasons.length);
      for (const sentence of sentences) expect(sentence).toMatch(lang === 'zh' ? /等级 5「县代」/ : /level 5 \(县代\)/);
    }
    expect(describePriceProblem({ level: 6, reason: 'above_retail' }, 'zh', names)).toBe(
      '等级 6「天使」的价格高于零售价。',
    );
  });

  it('describes retail problems and falls back to the bare rank without a name', () => {
    expect(describePriceProblem({ level: 'retail', reason: 'not_positive' }, 'zh', names)).toBe('零售价必须大于 0。');
    expect(describePriceProblem({ level: 'retail', reason: 'missing' }, 'en', names)).toBe(
      'The retail price is missing.',
    );
    expect(describePriceProblem({ level: 8, reason: 'missing' }, 'zh', names)).toBe('等级 8没有设置价格。');
    expect(describePriceProblem({ level: 8, reason: 'missing' }, 'en', new Map())).toBe(
      'The price of level 8 is missing.',
    );
  });
});

describe('visiblePrices', () => {
  it('shows the public the retail price only', () => {
    expect(visiblePrices(example(), { role: 'public' })).toEqual({ retailFen: 29_900, levelFen: {} });
  });

  it('shows an agent of level k its own and lower levels, never a higher one', () => {
    expect(visiblePrices(example(), { role: 'agent', level: 4 })).toEqual({
      retailFen: 29_900,
      levelFen: { 4: 20_400, 5: 22_900, 6: 25_900 },
    });
    expect(visiblePrices(example(), { role: 'agent', level: 6 }).levelFen).toEqual({ 6: 25_900 });
  });

  it('shows the brand everything, as a copy', () => {
    const table = example();
    const seen = visiblePrices(table, { role: 'brand' });
    expect(seen).toEqual(table);
    seen.levelFen[1] = 1;
    expect(table.levelFen[1]).toBe(15_900);
  });

  it('an agent of any level sees exactly ranks k..N', () => {
    const viewed = validTable.chain(({ n, table }) =>
      fc.record({ n: fc.constant(n), table: fc.constant(table), k: fc.integer({ min: 1, max: n }) }),
    );
    fc.assert(
      fc.property(viewed, ({ n, table, k }) => {
        const seen = visiblePrices(table, { role: 'agent', level: k });
        const ranks = Object.keys(seen.levelFen).map(Number);
        expect(ranks.sort((a, b) => a - b)).toEqual(Array.from({ length: n - k + 1 }, (_, i) => k + i));
        for (const rank of ranks) expect(seen.levelFen[rank]).toBe(table.levelFen[rank]);
        expect(seen.retailFen).toBe(table.retailFen);
      }),
      { numRuns: 300 },
    );
  });
});
