import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// 素材库: Moments copy and pictures the brand posts for its agents to copy and save. The id orders them (newest first).
export const materials = sqliteTable(
  'materials',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    images: text('images', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [check('materials_title', sql`length(${t.title}) BETWEEN 1 AND 60`)],
);
