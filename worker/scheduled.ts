import { lt } from 'drizzle-orm';
import { createDb } from '../db/client';
import { advanceStaleBatches } from '../db/codes';
import { newMeter } from '../db/metered';
import { kvCache, rateLimits, sessions } from '../db/schema';
import { deleteExpiredCodes } from '../db/smsCodes';
import { completeShippedOrders } from './autoComplete';
import { expireUnpaidOrders } from './expiry';
import { releaseDueShares } from './release';

// On the cron trigger: unpaid orders past their deadline are cancelled and their units return, shipped orders
// complete the brand's number of days after shipment, shares whose freeze
// period ended become available, code batches a closed browser left half written advance, and housekeeping of
// rate-limit windows, sessions, SMS codes and cached values that have ended. Independent jobs: one failing does not
// hold back the others.
export async function runScheduled(env: Env, now: number): Promise<void> {
  const db = createDb(env.DB, newMeter());
  const results = await Promise.allSettled([
    expireUnpaidOrders(db, now),
    completeShippedOrders(db, now),
    releaseDueShares(db, now),
    advanceStaleBatches(db, now),
    db.batch([
      db.delete(rateLimits).where(lt(rateLimits.windowStart, now - 86_400_000)),
      db.delete(sessions).where(lt(sessions.expiresAt, now)),
      deleteExpiredCodes(db, now),
      // Ended guest lookups, simulated texts and WeChat tokens (those are fetched again when needed).
      db.delete(kvCache).where(lt(kvCache.expiresAt, now)),
    ]),
  ]);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}
