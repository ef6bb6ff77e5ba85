import { lt } from 'drizzle-orm';
import { createDb } from '../db/client';
import { advanceStaleBatches } from '../db/codes';
import { newMeter } from '../db/metered';
import { kvCache, rateLimits, sessions } from '../db/schema';
import { deleteExpiredCodes } from '../db/smsCodes';
import { budgetOf, runArchive } from './archive/job';
import { completeShippedOrders } from './autoComplete';
import type { AppEnv } from './env';
import { expireUnpaidOrders } from './expiry';
import { followDuePayouts, payoutGateway } from './payouts';
import { reconcileYesterdayIfDue } from './reconcile';
import { releaseDueShares } from './release';
import { followOpenRefunds } from './routes/orders/gatewayRefunds';

// On the cron trigger: unpaid orders past their deadline are cancelled and their units return, shipped orders
// complete the brand's number of days after shipment, shares whose freeze
// period ended become available, code batches a closed browser left half written advance, and housekeeping of
// rate-limit windows, sessions, SMS codes and cached values that have ended. Withdrawals paid by transfer and refunds
// WeChat Pay has not settled are followed, the previous day is reconciled with WeChat Pay's bills, and closed months
// older than the brand's setting move to the R2 archive (a bounded number of chunks a run). Independent
// jobs: one failing does not hold back the others.
export async function runScheduled(env: Env, now: number): Promise<void> {
  const db = createDb(env.DB, newMeter());
  const gateway = payoutGateway(env);
  const results = await Promise.allSettled([
    expireUnpaidOrders(db, now),
    completeShippedOrders(db, now),
    releaseDueShares(db, now),
    advanceStaleBatches(db, now),
    // Transfers on their way to agents, and once a day (after WeChat Pay cut the bills) yesterday's reconciliation.
    followDuePayouts(db, gateway, now),
    reconcileYesterdayIfDue(db, gateway, now),
    // Refunds WeChat Pay has not confirmed: resent (same out_refund_no) or queried.
    followOpenRefunds(env as AppEnv['Bindings'], db),
    runArchive(db, env.ARCHIVE, budgetOf(env as AppEnv['Bindings']), now),
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
