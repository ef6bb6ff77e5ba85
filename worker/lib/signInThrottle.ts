import { and, eq, inArray, sql } from 'drizzle-orm';
import { rateLimits } from '../../db/schema';
import { SIGN_IN, signInVerdict } from '../domain/signInThrottle';
import type { Db } from '../env';
import { assertWithinLimit, countHit, type Limit, rateLimited } from './rateLimit';

// Cloudflare always sets CF-Connecting-IP; a request without it (local tools) is one address per account of its own
// rather than one bucket shared by every such client, so it only ever throttles the account it names.
const NO_ADDRESS = 'no-address';

function windowStart(now: number, seconds: number): number {
  return Math.floor(now / (seconds * 1000)) * seconds * 1000;
}

export function signInKeys(account: string, address: string | null) {
  const at = address ?? NO_ADDRESS;
  return {
    // The address first: a username may hold colons, an IP address never holds the role word that starts the account.
    tries: `signin:tries:${at}:${account}`,
    accountFailures: `signin:fail:${account}`,
    addressFailures: `signin:addr-fail:${at}:${account}`,
    slowdown: `signin:slow:${account}`,
  };
}

// Counts this try and reads the account's failures in one round trip, then refuses it (429) if the rule says so.
export async function admitSignIn(db: Db, account: string, address: string | null, now = Date.now()): Promise<void> {
  const keys = signInKeys(account, address);
  const start = windowStart(now, SIGN_IN.windowSeconds);
  const tries: Limit = { key: keys.tries, max: SIGN_IN.perAddressTries, windowSeconds: SIGN_IN.windowSeconds };
  const [tried, failures] = await db.batch([
    countHit(db, tries, now),
    db
      .select({ key: rateLimits.key, count: rateLimits.count })
      .from(rateLimits)
      .where(
        and(inArray(rateLimits.key, [keys.accountFailures, keys.addressFailures]), eq(rateLimits.windowStart, start)),
      ),
  ]);
  const failuresOf = (key: string) => failures.find((row) => row.key === key)?.count ?? 0;
  const verdict = signInVerdict({
    addressTries: tried[0]?.count ?? 0,
    accountFailures: failuresOf(keys.accountFailures),
    addressFailures: failuresOf(keys.addressFailures),
  });
  if (verdict.kind === 'wait') {
    const windowMs = SIGN_IN.windowSeconds * 1000;
    throw rateLimited(Math.max(1, Math.ceil((start + windowMs - now) / 1000)));
  }
  if (verdict.kind === 'slowdown') {
    const slow: Limit = { key: keys.slowdown, max: SIGN_IN.slowdownTries, windowSeconds: SIGN_IN.slowdownSeconds };
    const [row] = await countHit(db, slow, now);
    assertWithinLimit(slow, row?.count, now);
  }
}

export function recordSignInFailure(db: Db, account: string, address: string | null, now = Date.now()) {
  const keys = signInKeys(account, address);
  const start = windowStart(now, SIGN_IN.windowSeconds);
  const bump = (key: string) =>
    db
      .insert(rateLimits)
      .values({ key, windowStart: start, count: 1 })
      .onConflictDoUpdate({
        target: [rateLimits.key, rateLimits.windowStart],
        set: { count: sql`${rateLimits.count} + 1` },
      });
  return db.batch([bump(keys.accountFailures), bump(keys.addressFailures)]);
}

// A success forgets this address's tries on the account, so an owner who signs in often is never throttled by it.
export function forgetSignInTries(db: Db, account: string, address: string | null) {
  return db.delete(rateLimits).where(eq(rateLimits.key, signInKeys(account, address).tries));
}
