import { type ChainAgent, restockSettlementInput, settle } from './settlement';

export type StockModel = 'direct' | 'cloud';
export type OrderKind = 'consumer' | 'restock' | 'pickup';
export type PaymentMethod = 'online' | 'offline';
export const BRAND = 'brand';

// One row of the settlement record: party 'brand' or an agent id.
export interface PlannedShare {
  productId: string;
  partyId: string;
  level: number;
  buyUnitFen: number;
  sellUnitFen: number;
  qty: number;
  amountFen: number;
}

export interface LineInput {
  productId: string;
  qty: number;
  retailFen: number;
  prices: Record<number, number>;
}

// Who sells, whose stock moves, and how each line's money splits, for one order.
export interface OrderPlan {
  unitFen: (line: LineInput) => number;
  stockOwner: string;
  shares: PlannedShare[];
}

function toRows(productId: string, qty: number, shares: ReturnType<typeof settle>): PlannedShare[] {
  return shares.map((s) => ({
    productId,
    partyId: s.agentId ?? BRAND,
    level: s.level,
    buyUnitFen: s.buyUnitFen,
    sellUnitFen: s.sellUnitFen,
    qty,
    amountFen: s.amountFen,
  }));
}

// The first agent up the chain that may trade (suspended and revoked agents are passed over), or the brand.
export function firstActive(chain: readonly ChainAgent[]): ChainAgent | null {
  return chain.find((a) => a.status === 'active') ?? null;
}

// A consumer order through a0 (sellerChain = a0 first, then up). Direct: the brand ships from the warehouse and the
// chain shares the retail price. Cloud: a0 sells its own units and is credited the whole retail price.
export function planConsumer(model: StockModel, sellerChain: readonly ChainAgent[], lines: readonly LineInput[]) {
  const seller = sellerChain[0];
  if (!seller) throw new Error('consumer order without a seller');
  const shares = lines.flatMap((line) =>
    model === 'direct'
      ? toRows(
          line.productId,
          line.qty,
          settle({ chain: sellerChain, prices: line.prices, unitFen: line.retailFen, quantity: line.qty }),
        )
      : [cloudShare(line.productId, seller.id, seller.level, line.retailFen, line.qty)],
  );
  return { stockOwner: model === 'direct' ? BRAND : seller.id, shares, unitFen: (l: LineInput) => l.retailFen };
}

// An agent's restock at its own level's price. Direct: the brand ships and the chain above the buyer shares it.
// Cloud: units move from the first active supplier (or the warehouse), who is credited P(buyer) × q.
export function planRestock(
  model: StockModel,
  buyer: ChainAgent,
  above: readonly ChainAgent[],
  lines: readonly LineInput[],
) {
  const supplier = firstActive(above);
  const unit = (l: LineInput) => {
    const price = l.prices[buyer.level];
    if (price === undefined) throw new Error(`no price for level ${buyer.level}`);
    return price;
  };
  const shares = lines.flatMap((line) =>
    model === 'direct'
      ? toRows(line.productId, line.qty, settle(restockSettlementInput(buyer.level, above, line.prices, line.qty)))
      : [cloudShare(line.productId, supplier?.id ?? BRAND, supplier?.level ?? 0, unit(line), line.qty)],
  );
  return {
    stockOwner: model === 'direct' ? BRAND : (supplier?.id ?? BRAND),
    shares,
    unitFen: unit,
    supplierId: supplier?.id ?? BRAND,
  };
}

function cloudShare(productId: string, partyId: string, level: number, unitFen: number, qty: number): PlannedShare {
  return { productId, partyId, level, buyUnitFen: 0, sellUnitFen: unitFen, qty, amountFen: unitFen * qty };
}

// Online money is always collected by the brand. Offline, the buyer pays the party that confirms receipt: the brand
// in the direct model (it ships everything), the seller itself in the cloud model.
export function payeeOf(kind: OrderKind, model: StockModel, method: PaymentMethod, seller: string): string {
  if (kind === 'pickup' || method === 'online' || model === 'direct') return BRAND;
  return seller;
}

export function orderTotal(lines: readonly { qty: number }[], unit: (i: number) => number): number {
  return lines.reduce((sum, line, i) => sum + line.qty * unit(i), 0);
}

/**
 * A consumer order's payee, and whether its buyer may be told which agent serves it. A phone bound to another agent
 * than the shop's is named to a buyer who proved the phone (a signed-in member, or a guest's SMS code); an unproved
 * guest is not told whose the phone is, so the brand collects and no agent is named.
 */
export function consumerPayee(
  model: StockModel,
  method: PaymentMethod,
  sellerId: string,
  shopId: string | null,
  phoneProved: boolean,
): { payeeId: string; sellerShown: boolean } {
  const sellerShown = phoneProved || sellerId === shopId;
  return { payeeId: sellerShown ? payeeOf('consumer', model, method, sellerId) : BRAND, sellerShown };
}
