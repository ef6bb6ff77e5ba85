import { type Ctx, stockQty } from '../ctx';
import type { SimProduct } from '../model';

// The lines of an order the simulation draws, and whether the units are there to fill them.

export interface Line {
  productId: string;
  qty: number;
}

export function drawLines(ctx: Ctx, maxQty: number): Line[] {
  const count = ctx.m.products.length > 1 && ctx.rng.chance(0.25) ? 2 : 1;
  const picked: SimProduct[] = [];
  while (picked.length < count) {
    const p = ctx.rng.pick(ctx.m.products);
    if (p && !picked.includes(p)) picked.push(p);
  }
  return picked.map((p) => ({ productId: p.id, qty: ctx.rng.between(1, maxQty) }));
}

export async function enough(owner: string, lines: Line[]): Promise<boolean> {
  for (const l of lines) if ((await stockQty(owner, l.productId)) < l.qty) return false;
  return true;
}

export async function stockNote(ctx: Ctx, owner: string, lines: Line[]): Promise<string> {
  const have = await Promise.all(lines.map((l) => stockQty(owner, l.productId)));
  return `(${ctx.name(owner)} holds ${have.join('+')})`;
}
