import { account, type Transfer } from './ledger';

// Compact settlement (issue 12). The payment is one balanced transaction: the payer's account gives the amount paid,
// each party's account takes its shares (the brand's revenue, each agent's wallet account `available`), one entry per
// account, so a six-level consumer order writes 8 entries. An agent's shares stay held until their release (the
// share rows' status and the agent's held counter): withdrawable = wallet balance − held. The release writes no
// entries; a refund is one reversing transaction (and, before the release, the counters go down by the same amount).

const BRAND = 'brand';

export interface Posting {
  account: string;
  amountFen: number;
}

export interface ShareMoney {
  partyId: string;
  amountFen: number;
  buyUnitFen: number;
  sellUnitFen: number;
  refundedQty: number;
}

// What a share still holds: its amount less the refunded units' part.
export function heldFen(share: ShareMoney): number {
  return share.amountFen - share.refundedQty * (share.sellUnitFen - share.buyUnitFen);
}

// The account a party's shares are credited to and reversed from.
export function partyAccount(partyId: string): string {
  return partyId === BRAND ? account.brandRevenue : account.available(partyId);
}

export function payerAccount(method: 'online' | 'offline'): string {
  return method === 'online' ? account.gateway : account.offlinePayer;
}

// Postings merged per account, zero sums left out: one entry per account a transaction touches.
export function mergePostings(postings: readonly Posting[]): Posting[] {
  const byAccount = new Map<string, number>();
  for (const p of postings) byAccount.set(p.account, (byAccount.get(p.account) ?? 0) + p.amountFen);
  return [...byAccount].filter(([, fen]) => fen !== 0).map(([acct, amountFen]) => ({ account: acct, amountFen }));
}

export function transferPostings(transfers: readonly Transfer[]): Posting[] {
  return transfers.flatMap((t) => [
    { account: t.from, amountFen: -t.amountFen },
    { account: t.to, amountFen: t.amountFen },
  ]);
}

// Per agent, the sum of the amounts times sign (+1 when held, −1 when released or refunded); the brand holds nothing.
export function heldDeltas(shares: readonly { partyId: string; fen: number }[], sign: 1 | -1): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of shares) {
    if (s.partyId === BRAND || s.fen === 0) continue;
    out.set(s.partyId, (out.get(s.partyId) ?? 0) + sign * s.fen);
  }
  return out;
}

// Booking a payment. Paid straight to an agent (offline, cloud), the money never passes through the brand: it is
// recorded in the agent's offline account. Otherwise the payer gives the amount and each party takes its shares.
export function paymentPostings(
  order: { paymentMethod: 'online' | 'offline'; payeeId: string; amountFen: number },
  shares: readonly { partyId: string; amountFen: number }[],
): Posting[] {
  if (order.payeeId !== BRAND) {
    return mergePostings([
      { account: account.offlinePayer, amountFen: -order.amountFen },
      { account: account.offline(order.payeeId), amountFen: order.amountFen },
    ]);
  }
  const credited = shares.reduce((sum, s) => sum + s.amountFen, 0);
  if (credited !== order.amountFen) throw new Error(`shares ${credited} ≠ paid ${order.amountFen}`);
  return mergePostings([
    { account: payerAccount(order.paymentMethod), amountFen: -order.amountFen },
    ...shares.map((s) => ({ account: partyAccount(s.partyId), amountFen: s.amountFen })),
  ]);
}

export interface RefundedLine {
  units: number;
  unitFen: number;
  shares: readonly { partyId: string; status: string; buyUnitFen: number; sellUnitFen: number }[];
}

// Refunding units of some lines: each share gives back (sell − buy) × units from its party's account, held or
// released alike (a released share may take the wallet below zero: the debt stays visible), and the money goes back
// to the payer: through WeChat Pay (in flight until it confirms) or to the offline payer. Held shares also leave their
// agents' counters. Returns the reversing postings and the counter changes.
export function refundMoves(
  order: { paymentMethod: 'online' | 'offline'; payeeId: string },
  lines: readonly RefundedLine[],
): { postings: Posting[]; held: Map<string, number> } {
  const refund = lines.reduce((sum, l) => sum + l.units * l.unitFen, 0);
  if (order.payeeId !== BRAND) {
    return {
      postings: mergePostings([
        { account: account.offline(order.payeeId), amountFen: -refund },
        { account: account.offlinePayer, amountFen: refund },
      ]),
      held: new Map(),
    };
  }
  const parts = lines.flatMap((l) => l.shares.map((s) => ({ ...s, fen: (s.sellUnitFen - s.buyUnitFen) * l.units })));
  const sink = order.paymentMethod === 'online' ? account.refundsInFlight : account.offlinePayer;
  return {
    postings: mergePostings([
      ...parts.map((p) => ({ account: partyAccount(p.partyId), amountFen: -p.fen })),
      { account: sink, amountFen: refund },
    ]),
    held: heldDeltas(
      parts.filter((p) => p.status === 'pending'),
      -1,
    ),
  };
}
