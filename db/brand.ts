import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { brand, levels } from './schema';

export function brandRowQuery(db: Db) {
  return db.select().from(brand).where(eq(brand.id, 1)).limit(1);
}

export function levelsQuery(db: Db) {
  return db.select().from(levels).orderBy(asc(levels.rank));
}

// Agents' own units (owner 'brand' is the warehouse). Only a change of stock model reads this, never a hot path.
export function cloudStockHeldQuery(db: Db) {
  return db.all<{ agents: number; units: number }>(
    sql`SELECT count(DISTINCT owner_id) AS agents, coalesce(sum(qty), 0) AS units FROM stock WHERE owner_id <> 'brand' AND qty > 0`,
  );
}

// For a conditional update: true while no agent holds cloud stock.
export const noCloudStockHeld = sql`NOT EXISTS (SELECT 1 FROM stock WHERE owner_id <> 'brand' AND qty > 0)`;
