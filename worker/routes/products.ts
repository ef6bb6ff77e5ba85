import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, gt, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { changedGuard, isGuardFailure, isUniqueFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import { audit } from '../../db/network';
import { lacksLevelPrice, pricedForShop } from '../../db/productFilters';
import { agents, levels, productPrices, products } from '../../db/schema';
import { forgetShopCategories } from '../../db/shopProducts';
import {
  describePriceProblem,
  describeRetailBelow,
  levelAboveRetail,
  type PriceViewer,
  priceTableProblem,
  visiblePrices,
} from '../domain/pricing';
import type { AppEnv, Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { formatFen } from '../lib/money';
import { requireCaller } from '../middleware/session';
import { jsonBody, jsonResponse, PageQuery, pageOf, TextBlock, TextLine, toPage } from '../schemas';

// Amounts are only bounded here: the price-table check names the level of a zero, negative or fractional price.
const PriceFen = z.number().max(1_000_000_000).openapi({ description: 'Amount in fen (分), a whole number above 0' });
const Prices = z
  .record(z.string().regex(/^[1-9]$/), PriceFen)
  .openapi({ description: 'Level rank → price in fen, for every level 1..N', example: { '1': 15900, '2': 16900 } });
export const ImageUrl = z
  .string()
  .max(500)
  .regex(/^(https:\/\/|\/(?![/\\]))[^\s"'<>\\]+$/)
  .openapi({ description: 'https:// URL or a path on this site', example: '/images/p1.jpg' });

const editable = {
  name: TextLine(60),
  description: TextBlock(2000),
  images: z.array(ImageUrl).max(9),
  category: z.string().trim().max(20).openapi({ description: "The brand's category for the shop filter; '' for none" }),
  retailFen: PriceFen,
  prices: Prices,
  onSale: z.boolean(),
};

const NewProduct = z
  .object({
    ...editable,
    sku: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    description: editable.description.default(''),
    images: editable.images.default([]),
    category: editable.category.default(''),
  })
  .strict()
  .openapi('NewProduct');

const ProductPatch = z
  .object(editable)
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'blank' })
  .openapi('ProductPatch');

const Product = z
  .object({
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    images: z.array(z.string()),
    category: z.string(),
    retailFen: z.number().int(),
    onSale: z.boolean(),
    prices: z.record(z.string(), z.number().int()).optional().openapi({
      description:
        'Level rank → price: every level for the brand, the own and lower levels for an agent, absent otherwise',
    }),
    myPriceFen: z
      .number()
      .int()
      .nullable()
      .optional()
      .openapi({ description: 'An agent’s own level price; null while the brand has not priced that level' }),
  })
  .openapi('Product');

const IdParam = z.object({
  id: z
    .string()
    .max(40)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'prd_01jx0000000000000000000000' }),
});

// Runs before the body is validated, so a caller without the role learns nothing about the schema.
export const brandOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireCaller(c, 'admin');
  await next();
};

const productColumns = {
  id: products.id,
  sku: products.sku,
  name: products.name,
  description: products.description,
  images: products.images,
  category: products.category,
  retailFen: products.retailFen,
  onSale: products.onSale,
};
type ProductRow = { [K in keyof typeof productColumns]: (typeof products.$inferSelect)[K] };
type PriceRow = { productId: string; level: number; priceFen: number };

function present(row: ProductRow, priceRows: PriceRow[], viewer: PriceViewer): z.infer<typeof Product> {
  if (viewer.role === 'public') return row;
  const levelFen = Object.fromEntries(
    priceRows.filter((p) => p.productId === row.id).map((p) => [p.level, p.priceFen]),
  );
  const shown = visiblePrices({ retailFen: row.retailFen, levelFen }, viewer).levelFen;
  const prices = Object.fromEntries(Object.entries(shown));
  return viewer.role === 'agent' ? { ...row, prices, myPriceFen: shown[viewer.level] ?? null } : { ...row, prices };
}

// One round trip: a page of products and the price rows the caller may see for exactly those products.
// An agent's filter is in SQL, so a higher level's price is never even read.
async function readProducts(c: Context<AppEnv>, where: SQL | undefined, limit: number) {
  const db = c.var.db;
  const caller = c.var.caller;
  const scope = caller?.role === 'admin' ? where : and(where, eq(products.onSale, true));
  const page = db
    .select(productColumns)
    .from(products)
    .where(scope)
    .orderBy(asc(products.id))
    .limit(limit + 1);
  const pricesOf = (levelScope: SQL | undefined) =>
    db
      .select({ productId: productPrices.productId, level: productPrices.level, priceFen: productPrices.priceFen })
      .from(productPrices)
      .where(
        and(
          inArray(
            productPrices.productId,
            db.select({ id: products.id }).from(products).where(scope).orderBy(asc(products.id)).limit(limit),
          ),
          lte(productPrices.level, sql`(SELECT max(rank) FROM levels)`),
          levelScope,
        ),
      );
  if (caller?.role === 'admin') {
    const [rows, prices] = await db.batch([page, pricesOf(undefined)]);
    return { rows, prices, viewer: { role: 'brand' } as PriceViewer };
  }
  if (caller?.role === 'agent') {
    const ownLevel = sql`(SELECT level FROM agents WHERE id = ${caller.id} AND status <> 'revoked')`;
    const [rows, prices, [me]] = await db.batch([
      page,
      pricesOf(gte(productPrices.level, ownLevel)),
      db.select({ level: agents.level, status: agents.status }).from(agents).where(eq(agents.id, caller.id)).limit(1),
    ]);
    const viewer: PriceViewer = me && me.status !== 'revoked' ? { role: 'agent', level: me.level } : { role: 'public' };
    return { rows, prices, viewer };
  }
  return { rows: await page, prices: [], viewer: { role: 'public' } as PriceViewer };
}

const ProductsQuery = PageQuery.extend({
  shop: z
    .string()
    .regex(/^[0-9a-z]{8}$/)
    .optional()
    .openapi({ description: 'An agent’s shop code: only the products priced for that agent’s level' }),
  missingPrices: z
    .enum(['1'])
    .optional()
    .openapi({ description: 'Brand admin: only the products without a price for some level (after a level change)' }),
});

const ProductQuery = z.object({
  shop: z
    .string()
    .regex(/^[0-9a-z]{8}$/)
    .optional()
    .openapi({ description: 'An agent’s shop code: 404 unless the product is priced for that agent’s level' }),
});

function loadLevels(db: Db) {
  return db.select({ rank: levels.rank, name: levels.name }).from(levels).orderBy(asc(levels.rank));
}

// Enforces 0 < P(1) ≤ … ≤ P(N) ≤ R against the current level table, naming the offending level.
function assertPriceTable(
  lang: 'zh' | 'en',
  retailFen: number,
  levelFen: Record<number, number>,
  levelRows: { rank: number; name: string }[],
  retailOnly = false,
) {
  const top = levelRows.at(-1)?.rank ?? 0;
  if (top < 1) throw new AppError('LEVEL_CONFLICT', { field: 'prices', params: { detail: noLevels(lang) } });
  const problem = priceTableProblem({ retailFen, levelFen }, top);
  if (!problem) return;
  const names = new Map(levelRows.map((l) => [l.rank, l.name]));
  // A retail price below the level prices is the retail price's error, shown on its own field: when it alone changed,
  // or when even the highest level (the lowest price) costs more than it.
  const blameRetail = problem.reason === 'above_retail' && (retailOnly || problem.level === 1);
  const above = blameRetail ? levelAboveRetail({ retailFen, levelFen }, top) : null;
  if (above !== null) {
    throw new AppError('PRICE_INVALID', {
      field: 'retailFen',
      params: { detail: describeRetailBelow(above, formatFen(levelFen[above] ?? 0), lang, names) },
    });
  }
  throw new AppError('PRICE_INVALID', {
    field: problem.level === 'retail' ? 'retailFen' : `prices.${problem.level}`,
    params: { detail: describePriceProblem(problem, lang, names) },
  });
}

// A price for a rank the brand does not have is refused rather than stored unseen.
function assertKnownRanks(prices: Record<string, number>, levelRows: { rank: number }[]) {
  const top = levelRows.at(-1)?.rank ?? 0;
  const extra = Object.keys(prices).find((rank) => Number(rank) > top);
  if (extra) throw new AppError('UNKNOWN_LEVEL', { field: `prices.${extra}`, params: { level: extra } });
}

function priceRowsOf(productId: string, prices: Record<string, number>) {
  return Object.entries(prices).map(([rank, priceFen]) => ({ productId, level: Number(rank), priceFen }));
}

export const productRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/products',
      tags: ['products'],
      summary: 'Create a product with its retail price and a price for every level (brand admin)',
      middleware: [brandOnly] as const,
      request: jsonBody(NewProduct),
      responses: { 201: jsonResponse(Product, 'The product'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const body = c.req.valid('json');
      const db = c.var.db;
      const levelRows = await loadLevels(db);
      assertKnownRanks(body.prices, levelRows);
      assertPriceTable(c.var.lang, body.retailFen, body.prices, levelRows);
      const now = Date.now();
      const { prices: table, ...fields } = body;
      const row = { ...fields, id: newId('prd', now) };
      const prices = priceRowsOf(row.id, table);
      try {
        await db.batch([
          db.insert(products).values({ ...row, createdAt: now, updatedAt: now }),
          db.insert(productPrices).values(prices),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'product.create',
            targetType: 'product',
            targetId: row.id,
            detail: { sku: row.sku, name: row.name, retailFen: row.retailFen, prices: table, onSale: row.onSale },
            at: now,
          }),
        ]);
      } catch (err) {
        if (isUniqueFailure(err, 'products.sku')) throw new AppError('DUPLICATE_SKU', { field: 'sku' });
        throw err;
      }
      forgetShopCategories();
      return c.json(present(row, prices, { role: 'brand' }), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/products/{id}',
      tags: ['products'],
      summary: 'Change a product (brand admin); a new price table replaces the old one whole',
      middleware: [brandOnly] as const,
      request: { params: IdParam, ...jsonBody(ProductPatch) },
      responses: { 200: jsonResponse(Product, 'The product after the change'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      const db = c.var.db;
      const [[current], stored, levelRows] = await db.batch([
        db.select().from(products).where(eq(products.id, id)).limit(1),
        db
          .select({ productId: productPrices.productId, level: productPrices.level, priceFen: productPrices.priceFen })
          .from(productPrices)
          .where(eq(productPrices.productId, id)),
        loadLevels(db),
      ]);
      if (!current) throw new AppError('NOT_FOUND', { params: { what: 'product' } });
      const prices = patch.prices ? priceRowsOf(id, patch.prices) : stored;
      if (patch.prices) assertKnownRanks(patch.prices, levelRows);
      if (patch.prices || patch.retailFen !== undefined) {
        const levelFen = Object.fromEntries(prices.map((p) => [p.level, p.priceFen]));
        assertPriceTable(
          c.var.lang,
          patch.retailFen ?? current.retailFen,
          levelFen,
          levelRows,
          !patch.prices && patch.retailFen !== undefined,
        );
      }
      const { prices: _p, ...fields } = patch;
      // Strictly increasing, so the conditional update below detects any write since our read.
      const now = Math.max(Date.now(), current.updatedAt + 1);
      try {
        await db.batch([
          db
            .update(products)
            .set({ ...fields, updatedAt: now })
            .where(and(eq(products.id, id), eq(products.updatedAt, current.updatedAt))),
          changedGuard(db),
          ...(patch.prices
            ? [db.delete(productPrices).where(eq(productPrices.productId, id)), db.insert(productPrices).values(prices)]
            : []),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'product.update',
            targetType: 'product',
            targetId: id,
            detail: patch,
            at: now,
          }),
        ]);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
        throw err;
      }
      forgetShopCategories();
      const { createdAt: _c, updatedAt: _u, ...row } = { ...current, ...fields };
      return c.json(present(row, prices, { role: 'brand' }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/products',
      tags: ['products'],
      summary: 'Products: retail prices for everyone, level prices for agents (own and lower levels) and the brand',
      request: { query: ProductsQuery },
      responses: { 200: jsonResponse(pageOf(Product), 'A page of products'), ...errorResponses },
    }),
    async (c) => {
      const { cursor, limit, shop, missingPrices } = c.req.valid('query');
      if (missingPrices) requireCaller(c, 'admin');
      const where = and(
        cursor ? gt(products.id, cursor) : undefined,
        shop ? pricedForShop(shop) : undefined,
        missingPrices ? lacksLevelPrice : undefined,
      );
      const { rows, prices, viewer } = await readProducts(c, where, limit);
      const page = toPage(rows, limit, (r) => r.id);
      return c.json({ ...page, items: page.items.map((r) => present(r, prices, viewer)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/products/{id}',
      tags: ['products'],
      summary: 'One product, with the prices the caller may see; off sale it exists only for the brand',
      request: { params: IdParam, query: ProductQuery },
      responses: { 200: jsonResponse(Product, 'The product'), ...errorResponses },
    }),
    async (c) => {
      const { shop } = c.req.valid('query');
      const where = and(eq(products.id, c.req.valid('param').id), shop ? pricedForShop(shop) : undefined);
      const { rows, prices, viewer } = await readProducts(c, where, 1);
      const [row] = rows;
      if (!row) throw new AppError('NOT_FOUND', { params: { what: 'product' } });
      return c.json(present(row, prices, viewer), 200);
    },
  );

function noLevels(lang: 'zh' | 'en'): string {
  return lang === 'en' ? 'Set up the agent levels before pricing products' : '请先设置代理等级，再为商品定价';
}
