import { type SQL, sql } from 'drizzle-orm';
import { agents, levels, productPrices, products } from './schema';

// A shop shows (and can sell) only products priced for its agent's level.
export function pricedForShop(code: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${productPrices} WHERE ${productPrices.productId} = ${products.id} AND ${productPrices.level} = (SELECT level FROM ${agents} WHERE ${agents.code} = ${code}))`;
}

// Levels are ranks 1..N without gaps, so a product priced for every level has N price rows at ranks ≤ N.
export const lacksLevelPrice = sql`(SELECT count(*) FROM ${productPrices} WHERE ${productPrices.productId} = ${products.id} AND ${productPrices.level} <= (SELECT max(rank) FROM ${levels})) < (SELECT count(*) FROM ${levels})`;
