import { sql } from 'drizzle-orm';
import { rateLimits } from '../../db/schema';
import type { Db } from '../env';
import { AppError } from '../errors';

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

// Fixed-window counter in D1: one upsert, returned count. Built as a batch item so a public lookup can
// count and read in a single round trip.
export function countHit(db: Db, limit: Limit, now = Date.now()) {
  const windowStart = Math.floor(now / (limit.windowSeconds * 1000)) * limit.windowSeconds * 1000;
  return db
    .insert(rateLimits)
    .values({ key: limit.key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
}

export function assertWithinLimit(limit: Limit, count: number | undefined, now = Date.now()): void {
  if ((count ?? 0) <= limit.max) return;
  const windowMs = limit.windowSeconds * 1000;
  throw rateLimited(Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000)));
}

// 429 with the seconds until the caller may try again.
export function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', {
    params: { seconds: retryAfterSeconds },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

export async function enforceLimit(db: Db, limit: Limit): Promise<void> {
  const now = Date.now();
  const [row] = await countHit(db, limit, now);
  assertWithinLimit(limit, row?.count, now);
}

export function clientIp(headers: Headers): string {
  return headers.get('cf-connecting-ip') ?? 'local';
}
