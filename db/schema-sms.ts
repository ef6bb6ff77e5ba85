import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// One live SMS code per phone and purpose: a new code replaces the last one. The code itself is never stored, only
// SHA-256 of a per-code salt and the code (`salt:hex`). Times are integer milliseconds.
export const smsPurposes = ['signup', 'reset', 'orders'] as const;
export type SmsPurpose = (typeof smsPurposes)[number];

export const smsCodes = sqliteTable(
  'sms_codes',
  {
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    purpose: text('purpose', { enum: smsPurposes }).notNull(),
    hash: text('hash').notNull(),
    expiresAt: integer('expires_at').notNull(),
    // Attempts spent, right or wrong; at 5 the code is dead.
    tries: integer('tries').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('sms_codes_phone_purpose').on(t.phone, t.purpose),
    index('sms_codes_expires').on(t.expiresAt),
    check('sms_codes_purpose', sql`${t.purpose} IN ('signup', 'reset', 'orders')`),
    check('sms_codes_tries', sql`${t.tries} BETWEEN 0 AND 5`),
  ],
);
