// mulberry32: a tiny seeded generator, so one seed always draws the same sequence. The simulation never calls
// Math.random: every choice it makes comes from here and can be replayed.
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** 0 ≤ n < bound */
  int(bound: number): number {
    return bound <= 1 ? 0 : this.u32() % bound;
  }

  /** lo ≤ n ≤ hi */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.int(items.length)];
  }

  /** A name drawn in proportion to its weight; undefined when every weight is 0. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T | undefined {
    const total = entries.reduce((s, [, w]) => s + Math.max(0, w), 0);
    if (total <= 0) return undefined;
    let r = (this.u32() / 2 ** 32) * total;
    for (const [item, w] of entries) {
      if (w <= 0) continue;
      r -= w;
      if (r < 0) return item;
    }
    return entries.findLast(([, w]) => w > 0)?.[0];
  }
}
