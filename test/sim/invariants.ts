import { env } from 'cloudflare:test';
import { checkDatabase, type Violation } from '../../bench/lib/invariants.mjs';
import { archiveMonthsNow, checkArchive, syncShadow, wholeHistory } from './archive-view';
import type { Model } from './model';
import { checkWechat } from './wechat-invariants';

// The invariants live in bench/lib/invariants.mjs, so the soak checks its local database with the very same SQL.
// The fake WeChat Pay's records against the ledger's gateway postings are the simulation's own (test/sim/wechat-invariants.ts).
// Both read the whole history: D1 and the months archived to R2 (test/sim/archive-view.ts), whose own checks follow.
export async function checkInvariants(m: Model): Promise<Violation[]> {
  const months = await archiveMonthsNow();
  await syncShadow(months);
  return [
    ...(await checkDatabase(env.DB, { injected: m.injected, codes: m.codes, incentives: m.incentives }, wholeHistory)),
    ...(await checkWechat(m)),
    ...(await checkArchive(
      months,
      [...m.archived, ...m.orders].map((o) => o.id),
    )),
  ];
}

export type { Violation };
