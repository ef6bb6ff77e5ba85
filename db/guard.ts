import { sql } from 'drizzle-orm';
import type { Db } from '../worker/env';

export const GUARD_FAILED = 'guards_ok';

// Batch item that aborts the batch unless the statement before it changed at least one row.
export function changedGuard(db: Db) {
  return db.run(sql`INSERT OR REPLACE INTO guards (id, ok) VALUES (1, changes())`);
}

// drizzle wraps D1's error; the constraint's name is in the cause.
function errorText(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    parts.push(String((current as Error).message ?? current));
    current = (current as Error).cause;
  }
  return parts.join(' | ');
}

export function isGuardFailure(err: unknown): boolean {
  return errorText(err).includes(GUARD_FAILED);
}

export function isUniqueFailure(err: unknown, column: string): boolean {
  const text = errorText(err);
  return text.includes('UNIQUE constraint failed') && text.includes(column);
}
