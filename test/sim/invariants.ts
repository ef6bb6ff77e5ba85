import { env } from 'cloudflare:test';
import { checkDatabase, type Violation } from '../../bench/lib/invariants.mjs';
import type { Model } from './model';

// The invariants live in bench/lib/invariants.mjs, so the soak checks its local database with the very same SQL.
export function checkInvariants(m: Model): Promise<Violation[]> {
  return checkDatabase(env.DB, { injected: m.injected, codes: m.codes, incentives: m.incentives });
}

export type { Violation };
