import { sql } from 'drizzle-orm';
import type { Db } from '../env';

export const GUARD_FAILED = 'guards_ok';

// Batch item that aborts the batch unless the statement before it changed at least one row.
export function changedGuard(db: Db) {
  return db.run(sql`INSERT OR REPLACE INTO guards (id, ok) VALUES (1, changes())`);
}

export function isGuardFailure(err: unknown): boolean {
  return String((err as Error)?.message ?? err).includes(GUARD_FAILED);
}

export function isUniqueFailure(err: unknown, index: string): boolean {
  const text = String((err as Error)?.message ?? err);
  return text.includes('UNIQUE constraint failed') && text.includes(index);
}
