// Difference settlement (差价结算): how the money of one order line splits along its seller chain. All amounts are
// integer fen; every function here is pure so the same inputs always give the same ledger credits.

export interface ChainAgent {
  id: string;
  level: number;
  status: 'active' | 'suspended' | 'revoked';
}

// Per the compliance guard a share is never a commission: it records the purchase at the agent's own price
// (buyUnitFen) and the resale one step down (sellUnitFen), so amountFen = (sellUnitFen − buyUnitFen) × quantity.
// The brand "buys" at 0 and sells to the top active agent at P(a_top) (or to the buyer at U when no agent is active).
export interface Share {
  agentId: string | null; // null = the brand
  amountFen: number;
  level: number | 0; // 0 for the brand
  buyUnitFen: number;
  sellUnitFen: number;
}

export interface SettleInput {
  chain: readonly ChainAgent[]; // a0 (the agent it is sold through) first, then its supplier, … up to the top
  prices: Readonly<Record<number, number>>; // rank → P(rank) in fen
  unitFen: number; // U: R for a consumer order, P(buyer) for a direct-mode restock
  quantity: number;
}

// A broken precondition is a bug in the caller (the route should have refused the order), never a user error.
export class SettlementInputError extends Error {
  override name = 'SettlementInputError';
}

interface PricedAgent {
  agent: ChainAgent;
  priceFen: number;
}

function fail(message: string): never {
  throw new SettlementInputError(message);
}

// Checks the preconditions and returns the active agents, seller first, each with its price.
function activeChain(input: SettleInput): PricedAgent[] {
  const { chain, prices, unitFen, quantity } = input;
  if (!Number.isSafeInteger(quantity) || quantity < 1) fail(`quantity must be a whole number ≥ 1, got ${quantity}`);
  if (!Number.isSafeInteger(unitFen) || unitFen < 1) {
    fail(`unit price must be a whole number of fen > 0, got ${unitFen}`);
  }
  if (!Number.isSafeInteger(unitFen * quantity)) fail(`order total ${unitFen} × ${quantity} fen is too large`);
  const seen = new Set<string>();
  const active: PricedAgent[] = [];
  let below: PricedAgent | undefined;
  for (const agent of chain) {
    if (seen.has(agent.id)) fail(`agent ${agent.id} appears twice in the chain`);
    seen.add(agent.id);
    if (!Number.isSafeInteger(agent.level) || agent.level < 1) {
      fail(`agent ${agent.id} has invalid level ${agent.level}`);
    }
    const priceFen = prices[agent.level];
    if (priceFen === undefined || !Number.isSafeInteger(priceFen) || priceFen < 1) {
      fail(`level ${agent.level} (agent ${agent.id}) has no valid price: ${priceFen}`);
    }
    if (below) {
      // Suppliers are always of a strictly higher level (smaller rank), and pay no more than the level below.
      if (agent.level >= below.agent.level) {
        fail(
          `chain ranks must fall going up: ${agent.id} (level ${agent.level}) supplies ${below.agent.id} (level ${below.agent.level})`,
        );
      }
      if (priceFen > below.priceFen) {
        fail(
          `level ${agent.level} price ${priceFen} fen is above level ${below.agent.level} price ${below.priceFen} fen`,
        );
      }
    }
    below = { agent, priceFen };
    if (agent.status === 'active') active.push(below);
  }
  const seller = active[0];
  if (seller && unitFen < seller.priceFen) {
    fail(
      `unit price ${unitFen} fen is below seller ${seller.agent.id}'s level ${seller.agent.level} price ${seller.priceFen} fen`,
    );
  }
  return active;
}

// Splits U × q along the chain. Suspended and revoked agents are skipped: the next active agent up buys at its own
// price from where they would have, so their margin goes up the chain; if a0 is inactive the next active agent sells.
// Result order: active agents seller first, then the brand last.
// Zero-amount agent shares (equal prices on adjacent levels, or U = P(seller)) are left out: they would be ledger
// entries that move nothing. The purchase record stays continuous anyway, since each share's buyUnitFen equals the
// next share's sellUnitFen. The brand's share is always present, so every order has at least one line to book.
export function settle(input: SettleInput): Share[] {
  const active = activeChain(input);
  const shares: Share[] = [];
  let sellUnitFen = input.unitFen;
  for (const { agent, priceFen } of active) {
    const amountFen = (sellUnitFen - priceFen) * input.quantity;
    if (amountFen > 0) {
      shares.push({ agentId: agent.id, amountFen, level: agent.level, buyUnitFen: priceFen, sellUnitFen });
    }
    sellUnitFen = priceFen;
  }
  shares.push({ agentId: null, amountFen: sellUnitFen * input.quantity, level: 0, buyUnitFen: 0, sellUnitFen });
  return shares;
}

// A direct-mode restock is an order like any other: the buyer pays its own level price U = P(buyer), and the sale runs
// through its supplier (a0) up to the brand. The buyer itself earns nothing on its own purchase.
export function restockSettlementInput(
  buyerLevel: number,
  supplierChain: readonly ChainAgent[],
  prices: Readonly<Record<number, number>>,
  quantity: number,
): SettleInput {
  const unitFen = prices[buyerLevel];
  if (unitFen === undefined) throw new SettlementInputError(`buyer level ${buyerLevel} has no price`);
  const supplier = supplierChain[0];
  if (supplier && supplier.level >= buyerLevel) {
    throw new SettlementInputError(
      `supplier ${supplier.id} (level ${supplier.level}) is not strictly above the buyer's level ${buyerLevel}`,
    );
  }
  return { chain: supplierChain, prices, unitFen, quantity };
}

export interface CloudMargin {
  agentId: string;
  level: number;
  costFen: number; // what it paid its supplier for the q units
  revenueFen: number; // what it got selling them on
  marginFen: number; // revenue − cost
}

export interface CloudOutcome {
  agents: CloudMargin[]; // every active agent of the chain, a0 first, zero margins included
  brandRevenueFen: number;
}

// The cloud-stock (云仓, 逐级拿货) view of the same sale, computed as real trades rather than differences: the units
// move down from the brand through every active agent, each buying at its own level price, and a0 sells them to the
// buyer at U. Kept independent of settle() so a test can show both stock models give each agent the same margin.
export function cloudMargins(input: SettleInput): CloudOutcome {
  const active = activeChain(input);
  const q = input.quantity;
  const agents: CloudMargin[] = active.map(({ agent }) => ({
    agentId: agent.id,
    level: agent.level,
    costFen: 0,
    revenueFen: 0,
    marginFen: 0,
  }));
  let brandRevenueFen = 0;
  // Trade i: the holder above (agent i + 1, or the brand) sells q units to agent i at P(agent i).
  for (let i = active.length - 1; i >= 0; i--) {
    const buyer = agents[i];
    const priced = active[i];
    if (!buyer || !priced) continue;
    const totalFen = priced.priceFen * q;
    buyer.costFen += totalFen;
    const seller = agents[i + 1];
    if (seller) seller.revenueFen += totalFen;
    else brandRevenueFen += totalFen;
  }
  const a0 = agents[0];
  if (a0) a0.revenueFen += input.unitFen * q;
  else brandRevenueFen += input.unitFen * q; // no active agent: the brand sells straight to the buyer
  for (const agent of agents) agent.marginFen = agent.revenueFen - agent.costFen;
  return { agents, brandRevenueFen };
}
