import { and, eq, gt } from 'drizzle-orm';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { sha256Hex } from '../../../db/ids';
import { kvCache } from '../../../db/schema';
import type { AppEnv } from '../../env';

// The phone a guest proved with an SMS code (POST /api/orders/lookup): an HttpOnly cookie scoped to /api/orders whose
// token's hash keys the phone in kv_cache for 30 minutes.
export const TRACK_COOKIE = 'agentry_track';

export async function trackingKey(token: string): Promise<string> {
  return `track:${await sha256Hex(token)}`;
}

export async function trackedPhoneOrNull(c: Context<AppEnv>): Promise<{ phone: string; expiresAt: number } | null> {
  const token = getCookie(c, TRACK_COOKIE);
  if (!token || token.length > 128) return null;
  const [row] = await c.var.db
    .select({ phone: kvCache.value, expiresAt: kvCache.expiresAt })
    .from(kvCache)
    .where(and(eq(kvCache.key, await trackingKey(token)), gt(kvCache.expiresAt, Date.now())))
    .limit(1);
  return row ?? null;
}
