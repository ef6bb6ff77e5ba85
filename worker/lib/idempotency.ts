import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { isUniqueFailure } from '../../db/guard';
import { sha256Hex } from '../../db/ids';
import { idempotency } from '../../db/schema';
import type { AppEnv, Db } from '../env';
import { AppError } from '../errors';

export interface Idem {
  key: string;
  hash: string;
}

// The key is scoped by operation and caller, so two signed-in callers never collide on each other's keys. A guest has
// no identity but the key itself: its address changes (Wi-Fi to 4G) between a lost answer and the retry, so the key is
// not scoped by address; the same key with the same body replays, with another body it is refused.
export async function idempotencyOf(c: Context<AppEnv>, scope: string, request: unknown): Promise<Idem | null> {
  const header = c.req.header('idempotency-key');
  if (header === undefined) return null;
  if (!/^[A-Za-z0-9_\-:.]{1,64}$/.test(header)) {
    throw new AppError('VALIDATION_FAILED', {
      field: 'Idempotency-Key',
      params: { detail: 'Idempotency-Key: 1–64 [A-Za-z0-9_-:.]' },
    });
  }
  const caller = c.var.caller ? `${c.var.caller.role}:${c.var.caller.id}` : 'guest';
  return { key: `${scope}:${caller}:${header}`, hash: await sha256Hex(JSON.stringify(request)) };
}

// Looked up when a request carries no key, so a batch keeps one shape: it matches no row.
export const NO_KEY: Idem = { key: '', hash: '' };

export function storedLookup(db: Db, idem: Idem) {
  return db.select().from(idempotency).where(eq(idempotency.key, idem.key)).limit(1);
}

export function storeAnswer(db: Db, idem: Idem, status: number, body: unknown, now: number) {
  return db
    .insert(idempotency)
    .values({ key: idem.key, requestHash: idem.hash, status, body: JSON.stringify(body), createdAt: now });
}

export type Stored = typeof idempotency.$inferSelect;

// A stored answer for the same request is replayed; the same key with another request is refused.
export function replayOf(idem: Idem | null, stored: Stored | undefined): { status: number; body: unknown } | null {
  if (!idem || !stored) return null;
  if (stored.requestHash !== idem.hash) throw new AppError('IDEMPOTENCY_CONFLICT');
  return { status: stored.status, body: JSON.parse(stored.body) };
}

export function isIdempotencyRace(err: unknown): boolean {
  return isUniqueFailure(err, 'idempotency.key');
}
