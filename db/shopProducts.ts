import { and, asc, eq, gt, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { pricedForShop } from './productFilters';
import { agents, brand, products, stock } from './schema';

export interface ShopFilter {
  after?: string;
  category?: string;
  q?: string;
}

/**
 * A page of the products a shop offers (on sale, shop active), each with whether it is sold out: in the cloud model
 * an order through the agent takes the agent's own stock, so a product it holds none of cannot be ordered there.
 * One primary-key stock lookup per listed product; category pages run on products_category (on_sale, category, id).
 * A name search reads products in id order until the page fills: the catalogue of one brand is small.
 */
export function shopProductsQuery(db: Db, code: string, filter: ShopFilter, limit: number) {
  const agentId = sql`(SELECT ${agents.id} FROM ${agents} WHERE ${agents.code} = ${code})`;
  const shopActive = sql`EXISTS (SELECT 1 FROM ${agents} WHERE ${agents.code} = ${code} AND ${agents.status} = 'active')`;
  // A product without a price for the agent's level is not offered there (db/productFilters.ts).
  const conditions: (SQL | undefined)[] = [eq(products.onSale, true), shopActive, pricedForShop(code)];
  if (filter.after) conditions.push(gt(products.id, filter.after));
  if (filter.category) conditions.push(eq(products.category, filter.category));
  // instr, not LIKE: the shopper's % and _ are plain characters.
  if (filter.q) conditions.push(sql`instr(lower(${products.name}), lower(${filter.q})) > 0`);
  return db
    .select({
      id: products.id,
      name: products.name,
      images: products.images,
      retailFen: products.retailFen,
      category: products.category,
      soldOut: sql<number>`CASE WHEN (SELECT ${brand.stockModel} FROM ${brand} WHERE ${brand.id} = 1) = 'cloud'
        THEN coalesce(${stock.qty}, 0) <= 0 ELSE 0 END`.as('sold_out'),
    })
    .from(products)
    .leftJoin(stock, and(eq(stock.ownerId, agentId), eq(stock.productId, products.id)))
    .where(and(...conditions))
    .orderBy(asc(products.id))
    .limit(limit + 1);
}

export type ShopProductRow = Awaited<ReturnType<typeof shopProductsQuery>>[number];

export interface ShopProduct {
  id: string;
  name: string;
  image: string | null;
  retailFen: number;
  category: string;
  soldOut: boolean;
}

export function toShopProduct(row: ShopProductRow): ShopProduct {
  return {
    id: row.id,
    name: row.name,
    image: row.images[0] ?? null,
    retailFen: row.retailFen,
    category: row.category,
    soldOut: Boolean(row.soldOut),
  };
}

// The shop's category chips: the distinct categories of products on sale, read at most once a minute per isolate
// (a product change in this isolate drops the copy), so the shop link's own reads stay bounded.
const TTL_MS = 60_000;
const MAX_CATEGORIES = 20;
let cached: { at: number; list: string[] } | null = null;

export async function shopCategories(db: Db, now = Date.now()): Promise<string[]> {
  if (cached && now - cached.at < TTL_MS) return cached.list;
  const rows = await db
    .selectDistinct({ category: products.category })
    .from(products)
    .where(and(eq(products.onSale, true), ne(products.category, ''), isNotNull(products.category)))
    .orderBy(asc(products.category))
    .limit(MAX_CATEGORIES);
  cached = { at: now, list: rows.map((r) => r.category) };
  return cached.list;
}

export function forgetShopCategories(): void {
  cached = null;
}
