import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChainAgent,
  cloudMargins,
  restockSettlementInput,
  type SettleInput,
  SettlementInputError,
  type Share,
  settle,
} from '../worker/domain/settlement';

// DESIGN.md's worked example, in fen: R = 299.00, P1..P6 = 159.00 … 259.00.
const R = 29_900;
const P: Record<number, number> = { 1: 15_900, 2: 16_900, 3: 18_400, 4: 20_400, 5: 22_900, 6: 25_900 };

const agent = (id: string, level: number, status: ChainAgent['status'] = 'active'): ChainAgent => ({
  id,
  level,
  status,
});
// F(6) → E(5) → D(4) → C(3) → B(2) → A(1) → brand
const fullChain = (): ChainAgent[] => [
  agent('F', 6),
  agent('E', 5),
  agent('D', 4),
  agent('C', 3),
  agent('B', 2),
  agent('A', 1),
];

// Shares as id → amount, the brand under 'brand', for readable expectations.
function amounts(shares: Share[]): Record<string, number> {
  return Object.fromEntries(shares.map((s) => [s.agentId ?? 'brand', s.amountFen]));
}
const total = (shares: Share[]) => shares.reduce((sum, s) => sum + s.amountFen, 0);

describe('settle: the worked example', () => {
  it('splits one unit sold through F over six levels: 40-30-25-20-15-10, brand 159', () => {
    const shares = settle({ chain: fullChain(), prices: P, unitFen: R, quantity: 1 });
    expect(amounts(shares)).toEqual({ F: 4000, E: 3000, D: 2500, C: 2000, B: 1500, A: 1000, brand: 15_900 });
    expect(total(shares)).toBe(29_900);
    // Each share is a purchase at the agent's own price and a resale one step down, as the compliance guard asks.
    expect(shares.map((s) => [s.agentId, s.level, s.buyUnitFen, s.sellUnitFen])).toEqual([
      ['F', 6, 25_900, 29_900],
      ['E', 5, 22_900, 25_900],
      ['D', 4, 20_400, 22_900],
      ['C', 3, 18_400, 20_400],
      ['B', 2, 16_900, 18_400],
      ['A', 1, 15_900, 16_900],
      [null, 0, 0, 15_900],
    ]);
  });

  it('with a chain of only C(3) above F: F 40, C 75, brand 184', () => {
    const shares = settle({ chain: [agent('F', 6), agent('C', 3)], prices: P, unitFen: R, quantity: 1 });
    expect(amounts(shares)).toEqual({ F: 4000, C: 7500, brand: 18_400 });
    expect(shares[1]).toEqual({ agentId: 'C', amountFen: 7500, level: 3, buyUnitFen: 18_400, sellUnitFen: 25_900 });
  });

  it('passes a suspended agent in the middle over: its margin goes to the next active supplier', () => {
    const chain = fullChain().map((a) => (a.id === 'D' ? { ...a, status: 'suspended' as const } : a));
    const shares = settle({ chain, prices: P, unitFen: R, quantity: 1 });
    expect(amounts(shares)).toEqual({ F: 4000, E: 3000, C: 4500, B: 1500, A: 1000, brand: 15_900 });
    expect(shares.find((s) => s.agentId === 'C')).toMatchObject({ buyUnitFen: 18_400, sellUnitFen: 22_900 });
  });

  it('passes revoked agents over too, up to the brand when nobody above is active', () => {
    const chain = fullChain().map((a) => (a.level <= 3 ? { ...a, status: 'revoked' as const } : a));
    expect(amounts(settle({ chain, prices: P, unitFen: R, quantity: 1 }))).toEqual({
      F: 4000,
      E: 3000,
      D: 2500,
      brand: 20_400,
    });
  });

  it('makes the next active agent the seller when a0 is suspended', () => {
    const chain = fullChain().map((a) => (a.id === 'F' ? { ...a, status: 'suspended' as const } : a));
    const shares = settle({ chain, prices: P, unitFen: R, quantity: 1 });
    expect(amounts(shares)).toEqual({ E: 7000, D: 2500, C: 2000, B: 1500, A: 1000, brand: 15_900 });
    expect(shares[0]).toMatchObject({ agentId: 'E', buyUnitFen: 22_900, sellUnitFen: 29_900 });
  });

  it('gives the brand everything when no agent of the chain is active, or there is none', () => {
    const chain = fullChain().map((a) => ({ ...a, status: 'suspended' as const }));
    expect(settle({ chain, prices: P, unitFen: R, quantity: 2 })).toEqual([
      { agentId: null, amountFen: 59_800, level: 0, buyUnitFen: 0, sellUnitFen: R },
    ]);
    expect(amounts(settle({ chain: [], prices: P, unitFen: R, quantity: 1 }))).toEqual({ brand: R });
  });

  it('multiplies by the quantity', () => {
    const shares = settle({ chain: fullChain(), prices: P, unitFen: R, quantity: 3 });
    expect(amounts(shares)).toEqual({ F: 12_000, E: 9000, D: 7500, C: 6000, B: 4500, A: 3000, brand: 47_700 });
    expect(total(shares)).toBe(3 * R);
  });

  it('leaves zero shares out (equal prices, or a sale at the seller’s own price) but always keeps the brand', () => {
    const flat = { ...P, 5: 20_400 }; // E pays what D pays: D earns nothing on the step from E
    const shares = settle({ chain: fullChain(), prices: flat, unitFen: R, quantity: 1 });
    expect(amounts(shares)).toEqual({ F: 4000, E: 5500, C: 2000, B: 1500, A: 1000, brand: 15_900 });
    expect(shares.map((s) => s.agentId)).toEqual(['F', 'E', 'C', 'B', 'A', null]);
    // The purchase record still links up: C sells at what E paid, since D bought and sold at the same price.
    expect(shares[2]).toMatchObject({ agentId: 'C', buyUnitFen: 18_400, sellUnitFen: 20_400 });
    // Sold at the seller's own price, the seller earns nothing and is left out; the brand stays.
    expect(amounts(settle({ chain: [agent('A', 1)], prices: P, unitFen: 15_900, quantity: 1 }))).toEqual({
      brand: 15_900,
    });
    expect(total(shares)).toBe(R);
  });
});

describe('settle: a restock in direct mode', () => {
  it('F(6) restocks 10 units: it pays P(6) and the margins run from E up', () => {
    const [, ...suppliers] = fullChain();
    const input = restockSettlementInput(6, suppliers, P, 10);
    expect(input).toEqual({ chain: suppliers, prices: P, unitFen: 25_900, quantity: 10 });
    const shares = settle(input);
    expect(amounts(shares)).toEqual({ E: 30_000, D: 25_000, C: 20_000, B: 15_000, A: 10_000, brand: 159_000 });
    expect(total(shares)).toBe(259_000);
  });

  it('a restock straight from the brand is all the brand’s', () => {
    expect(settle(restockSettlementInput(1, [], P, 4))).toEqual([
      { agentId: null, amountFen: 63_600, level: 0, buyUnitFen: 0, sellUnitFen: 15_900 },
    ]);
  });

  it('refuses a supplier that is not strictly above the buyer, or a buyer level without a price', () => {
    expect(() => restockSettlementInput(5, [agent('X', 5)], P, 1)).toThrow(SettlementInputError);
    expect(() => restockSettlementInput(7, [], P, 1)).toThrow(/level 7/);
  });
});

describe('settle: broken preconditions throw', () => {
  const ok = (): SettleInput => ({ chain: fullChain(), prices: P, unitFen: R, quantity: 1 });
  it.each([
    ['a unit price below the seller’s price', { unitFen: 25_899 }, /below seller F/],
    ['a quantity below 1', { quantity: 0 }, /quantity/],
    ['a fractional quantity', { quantity: 1.5 }, /quantity/],
    ['a fractional unit price', { unitFen: 29_900.5 }, /unit price/],
    ['levels not rising strictly', { chain: [agent('F', 6), agent('E', 6)] }, /ranks must fall/],
    ['levels going down', { chain: [agent('C', 3), agent('F', 6)] }, /ranks must fall/],
    ['a level without a price', { chain: [agent('F', 6), agent('Z', 0)] }, /invalid level/],
    ['a price that is not integer', { prices: { ...P, 3: 18_400.5 } }, /no valid price/],
    ['a higher level paying more than the level below', { prices: { ...P, 2: 18_500 } }, /above level 3 price/],
    ['an agent twice', { chain: [agent('F', 6), agent('F', 5)] }, /twice/],
  ] as const)('%s', (_, change, message) => {
    const input = { ...ok(), ...change };
    expect(() => settle(input)).toThrow(SettlementInputError);
    expect(() => settle(input)).toThrow(message);
  });

  it('checks the unit price against the active seller, not a skipped a0', () => {
    const chain = fullChain().map((a) => (a.id === 'F' ? { ...a, status: 'revoked' as const } : a));
    expect(() => settle({ chain, prices: P, unitFen: 22_899, quantity: 1 })).toThrow(/below seller E/);
    expect(amounts(settle({ chain, prices: P, unitFen: 22_900, quantity: 1 }))).not.toHaveProperty('E');
  });
});

describe('cloudMargins', () => {
  it('gives each agent of the worked example the same margin as the direct split', () => {
    const input = { chain: fullChain(), prices: P, unitFen: R, quantity: 1 };
    const cloud = cloudMargins(input);
    expect(cloud.agents.map((a) => [a.agentId, a.costFen, a.revenueFen, a.marginFen])).toEqual([
      ['F', 25_900, 29_900, 4000],
      ['E', 22_900, 25_900, 3000],
      ['D', 20_400, 22_900, 2500],
      ['C', 18_400, 20_400, 2000],
      ['B', 16_900, 18_400, 1500],
      ['A', 15_900, 16_900, 1000],
    ]);
    expect(cloud.brandRevenueFen).toBe(15_900);
  });
});

// ---- properties ----

const statusArb = fc.oneof(
  { arbitrary: fc.constant<ChainAgent['status']>('active'), weight: 3 },
  { arbitrary: fc.constant<ChainAgent['status']>('suspended'), weight: 1 },
  { arbitrary: fc.constant<ChainAgent['status']>('revoked'), weight: 1 },
);

// A valid price table for N levels (prices non-decreasing with the rank number, retail ≥ P(N)) and a chain made of a
// random subset of the ranks, lowest level first, with random statuses.
const scenarioArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
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
      ranks: fc.subarray(Array.from({ length: n }, (_, i) => i + 1)),
      statuses: fc.array(statusArb, { minLength: n, maxLength: n }),
      quantity: fc.integer({ min: 1, max: 1000 }),
    })
    .map(({ first, steps, retailAbove, ranks, statuses, quantity }) => {
      const prices: Record<number, number> = { 1: first };
      let price = first;
      steps.forEach((step, i) => {
        price += step;
        prices[i + 2] = price;
      });
      const chain = [...ranks]
        .sort((a, b) => b - a)
        .map((level, i): ChainAgent => ({ id: `a${i}`, level, status: statuses[i] ?? 'active' }));
      return { n, prices, retailFen: price + retailAbove, chain, quantity };
    }),
);

const priceOf = (prices: Record<number, number>, level: number) => prices[level] ?? Number.NaN;

// The rule as DESIGN.md words it, written out separately: what each active agent should get per unit.
function expectedUnitMargins(input: SettleInput): Map<string, { buy: number; sell: number }> {
  const expected = new Map<string, { buy: number; sell: number }>();
  let sell = input.unitFen;
  for (const a of input.chain.filter((c) => c.status === 'active')) {
    const buy = priceOf(input.prices, a.level);
    expected.set(a.id, { buy, sell });
    sell = buy;
  }
  return expected;
}

function checkSettlement(input: SettleInput) {
  const shares = settle(input);
  const q = input.quantity;
  expect(total(shares)).toBe(input.unitFen * q);
  for (const s of shares) {
    expect(Number.isSafeInteger(s.amountFen)).toBe(true);
    expect(s.amountFen).toBeGreaterThanOrEqual(0);
    expect(s.amountFen).toBe((s.sellUnitFen - s.buyUnitFen) * q);
  }
  // The brand comes last, once; agents are never listed twice.
  expect(shares.filter((s) => s.agentId === null)).toHaveLength(1);
  expect(shares.at(-1)?.agentId).toBeNull();
  expect(new Set(shares.map((s) => s.agentId)).size).toBe(shares.length);
  // The purchase record links up: the first sale is at U, and each tier up sells at what the tier below bought at.
  expect(shares[0]?.sellUnitFen).toBe(input.unitFen);
  for (let i = 1; i < shares.length; i++) expect(shares[i]?.sellUnitFen).toBe(shares[i - 1]?.buyUnitFen);

  const expected = expectedUnitMargins(input);
  for (const a of input.chain) {
    const share = shares.find((s) => s.agentId === a.id);
    const unit = expected.get(a.id);
    if (!unit) {
      expect(share).toBeUndefined(); // inactive agents get nothing
      continue;
    }
    expect(share?.amountFen ?? 0).toBe((unit.sell - unit.buy) * q);
    if (share) expect(share).toMatchObject({ level: a.level, buyUnitFen: unit.buy, sellUnitFen: unit.sell });
    else expect(unit.sell).toBe(unit.buy); // only a zero share is left out
  }
  const top = [...input.chain].reverse().find((a) => a.status === 'active');
  const brand = shares.at(-1);
  expect(brand?.amountFen).toBe((top ? priceOf(input.prices, top.level) : input.unitFen) * q);
  return shares;
}

describe('settlement properties', () => {
  it('a consumer sale: shares sum to R × q, none negative, inactive agents get nothing, each is (sell − buy) × q', () => {
    fc.assert(
      fc.property(scenarioArb, ({ prices, retailFen, chain, quantity }) => {
        checkSettlement({ chain, prices, unitFen: retailFen, quantity });
      }),
      { numRuns: 300 },
    );
  });

  it('both stock models give every agent the same margin on units that end with a consumer', () => {
    fc.assert(
      fc.property(scenarioArb, ({ prices, retailFen, chain, quantity }) => {
        const input = { chain, prices, unitFen: retailFen, quantity };
        const shares = settle(input);
        const cloud = cloudMargins(input);
        expect(cloud.agents.map((a) => a.agentId)).toEqual(chain.filter((a) => a.status === 'active').map((a) => a.id));
        for (const a of cloud.agents) {
          expect(a.marginFen).toBe(shares.find((s) => s.agentId === a.agentId)?.amountFen ?? 0);
          expect(a.costFen).toBe(priceOf(prices, a.level) * quantity);
        }
        expect(cloud.brandRevenueFen).toBe(shares.at(-1)?.amountFen);
        // Money is conserved in the cloud model too: the consumer's payment is all the margins plus the brand's sale.
        expect(cloud.agents.reduce((sum, a) => sum + a.marginFen, cloud.brandRevenueFen)).toBe(retailFen * quantity);
      }),
      { numRuns: 300 },
    );
  });

  it('a direct-mode restock: shares sum to P(buyer) × q and follow the same rule', () => {
    const restockArb = scenarioArb.chain((s) =>
      fc.record({ scenario: fc.constant(s), buyerLevel: fc.integer({ min: 1, max: s.n }) }),
    );
    fc.assert(
      fc.property(restockArb, ({ scenario, buyerLevel }) => {
        const { prices, chain, quantity } = scenario;
        const suppliers = chain.filter((a) => a.level < buyerLevel);
        const input = restockSettlementInput(buyerLevel, suppliers, prices, quantity);
        expect(input.unitFen).toBe(prices[buyerLevel]);
        checkSettlement(input);
        expect(settle(input).some((s) => s.agentId !== null && s.level >= buyerLevel)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
