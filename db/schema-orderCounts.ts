import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Orders per status for the brand console's tabs. Triggers on `orders` (migration 0006) keep it in the same
// statement as every order write, so no route has to remember it and no count scans the orders.
export const orderStatusCounts = sqliteTable(
  'order_status_counts',
  {
    status: text('status').primaryKey(),
    n: integer('n').notNull(),
  },
  (t) => [check('order_status_counts_n', sql`${t.n} >= 0`)],
);
