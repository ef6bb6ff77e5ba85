import { lt } from 'drizzle-orm';
import { createDb } from '../db/client';
import { newMeter } from '../db/metered';
import { rateLimits, sessions } from '../db/schema';

// Housekeeping on the cron trigger: rate-limit windows and sessions that have ended.
export async function runScheduled(env: Env, now: number): Promise<void> {
  const db = createDb(env.DB, newMeter());
  await db.batch([
    db.delete(rateLimits).where(lt(rateLimits.windowStart, now - 86_400_000)),
    db.delete(sessions).where(lt(sessions.expiresAt, now)),
  ]);
}
