import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// 素材库: Moments copy and pictures the brand posts for its agents to copy and save. The list reads sort_key
// descending: an unpinned material's key is its id (newest first), a pinned one's is 'pin_' + pin time + id, so pinned
// ones come first, the last pinned on top (db/materials.ts sortKeyOf).
export const materials = sqliteTable(
  'materials',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    images: text('images', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAt: integer('created_at').notNull(),
    sortKey: text('sort_key').notNull().default(''),
    pinnedAt: integer('pinned_at'),
    updatedAt: integer('updated_at'),
  },
  (t) => [
    check('materials_title', sql`length(${t.title}) BETWEEN 1 AND 60`),
    uniqueIndex('materials_sort_key').on(t.sortKey),
  ],
);
