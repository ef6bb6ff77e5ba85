import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { type SmsPurpose, smsCodes } from './schema';

// Data access for SMS codes: one live row per phone and purpose.

/** A new code replaces the phone's last one for this purpose (and its spent tries). */
export function upsertCode(
  db: Db,
  row: { id: string; phone: string; purpose: SmsPurpose; hash: string; expiresAt: number; now: number },
) {
  const values = { id: row.id, hash: row.hash, expiresAt: row.expiresAt, tries: 0, createdAt: row.now };
  return db
    .insert(smsCodes)
    .values({ ...values, phone: row.phone, purpose: row.purpose })
    .onConflictDoUpdate({ target: [smsCodes.phone, smsCodes.purpose], set: values });
}

/**
 * Spends one attempt on the live code before it is compared, so parallel guesses cannot share one attempt; returns
 * the code's id and hash, or nothing when there is no live code (none, expired, or its five attempts spent).
 */
export function spendTry(db: Db, phone: string, purpose: SmsPurpose, now: number, maxTries: number) {
  return db
    .update(smsCodes)
    .set({ tries: sql`${smsCodes.tries} + 1` })
    .where(
      and(
        eq(smsCodes.phone, phone),
        eq(smsCodes.purpose, purpose),
        gt(smsCodes.expiresAt, now),
        lt(smsCodes.tries, maxTries),
      ),
    )
    .returning({ id: smsCodes.id, hash: smsCodes.hash });
}

/** Uses the code up, in the batch of the operation it proves (followed by a changedGuard: once only). */
export function consumeCode(db: Db, code: { id: string; hash: string }) {
  return db.delete(smsCodes).where(and(eq(smsCodes.id, code.id), eq(smsCodes.hash, code.hash)));
}

export async function codeExists(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: smsCodes.id }).from(smsCodes).where(eq(smsCodes.id, id)).limit(1);
  return Boolean(row);
}

export function deleteExpiredCodes(db: Db, now: number) {
  return db.delete(smsCodes).where(lt(smsCodes.expiresAt, now));
}
