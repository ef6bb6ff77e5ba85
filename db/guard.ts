import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { guards } from './schema';

export const GUARD_FAILED = 'guards_ok';

// Batch item that aborts the batch unless the statement before it changed at least one row.
export function changedGuard(db: Db) {
  return db.run(sql`INSERT OR REPLACE INTO guards (id, ok) VALUES (1, changes())`);
}

// Batch item that aborts the batch unless `actual` (a one-value query) is `expected` now: a decision made from a value
// read before the batch holds only while nobody has changed that value since.
export function equalsGuard(db: Db, actual: SQL, expected: number) {
  // A builder, not db.run: drizzle's D1 batch cannot bind the parameters of a raw statement.
  const ok = sql<number>`coalesce((${actual}) = ${expected}, 0)`;
  return db
    .insert(guards)
    .values({ id: 1, ok })
    .onConflictDoUpdate({ target: guards.id, set: { ok: sql`excluded.ok` } });
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
