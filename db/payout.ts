import { eq } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { type PayoutAccount, payoutAccounts } from './schema';

export function payoutAccountOf(db: Db, agentId: string) {
  return db
    .select({
      kind: payoutAccounts.kind,
      name: payoutAccounts.name,
      account: payoutAccounts.account,
      bank: payoutAccounts.bank,
    })
    .from(payoutAccounts)
    .where(eq(payoutAccounts.agentId, agentId))
    .limit(1);
}

/** Sets the agent's payout account (one row per agent, replaced on change). */
export function savePayoutAccount(db: Db, agentId: string, value: PayoutAccount, now: number) {
  const row = { ...value, updatedAt: now };
  return db
    .insert(payoutAccounts)
    .values({ agentId, ...row })
    .onConflictDoUpdate({ target: payoutAccounts.agentId, set: row });
}
