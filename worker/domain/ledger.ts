// Accounts are strings: one place builds them so a typo cannot open a new account.
export const account = {
  // Shares waiting for completion plus the freeze period.
  pending: (agentId: string) => `agent:${agentId}:pending`,
  // Withdrawable; negative after a clawback (a debt that new earnings repay first).
  available: (agentId: string) => `agent:${agentId}:available`,
  // Held while a withdrawal waits for the brand.
  withdrawing: (agentId: string) => `agent:${agentId}:withdrawing`,
  // Paid to the agent directly (offline); recorded, never held or withdrawable.
  offline: (agentId: string) => `agent:${agentId}:offline`,
  brandRevenue: 'brand:revenue',
  // Fines the brand imposed on agents for policing cases (稽查罚款).
  fines: 'brand:fines',
  // Collected for an order cancelled before the payment arrived: owed back to the payer.
  refundsDue: 'brand:refunds_due',
  // Sent back to the payer through WeChat Pay and not yet confirmed by it (a refund in flight).
  refundsInFlight: 'brand:refunds_in_flight',
  // Money the brand collected and has not yet credited to anyone.
  clearing: 'brand:clearing',
  // The outside world: payers (online and offline), payouts, fines.
  gateway: 'external:gateway',
  offlinePayer: 'external:offline',
  payouts: 'external:payouts',
} as const;

// Money moving from one account to another; db/ledger.ts books it as two entries.
export interface Transfer {
  from: string;
  to: string;
  amountFen: number;
}
