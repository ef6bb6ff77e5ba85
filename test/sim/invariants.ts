import { env } from 'cloudflare:test';
import { checkDatabase, type Violation } from '../../bench/lib/invariants.mjs';
import type { Model } from './model';
import { checkWechat } from './wechat-invariants';

// The invariants live in bench/lib/invariants.mjs, so the soak checks its local database with the very same SQL.
// The fake WeChat Pay's records against the ledger's gateway postings are the simulation's own (test/sim/wechat-invariants.ts).
export async function checkInvariants(m: Model): Promise<Violation[]> {
  return [
    ...(await checkDatabase(env.DB, { injected: m.injected, codes: m.codes, incentives: m.incentives })),
    ...(await checkWechat(m)),
  ];
}

export type { Violation };
