import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, gt, gte, sql } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { audit, BRAND_OWNER } from '../../db/network';
import { agents, products, stock } from '../../db/schema';
import type { Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { resolveVisibleAgent } from '../lib/access';
import { requireCaller } from '../middleware/session';
import { AgentIdParam, jsonBody, jsonResponse, PageQuery, pageOf, Reason, toPage } from '../schemas';
import { brandOnly } from './products';

const StockItem = z
  .object({ productId: z.string(), sku: z.string(), name: z.string(), qty: z.number().int() })
  .openapi('StockItem');

const StockQuery = PageQuery.extend({
  owner: z
    .string()
    .max(40)
    .optional()
    .openapi({ description: 'An agent id for its cloud stock (云仓); without it, the brand’s warehouse' }),
});

const Adjustment = z
  .object({
    productId: z.string().max(40),
    delta: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((d) => d !== 0)
      .openapi({ description: 'Units to add (positive) or remove (negative), never zero' }),
    reason: Reason,
  })
  .strict()
  .openapi('StockAdjustment');

function stockOf(db: Db, ownerId: string, cursor: string | undefined, limit: number) {
  return db
    .select({ productId: stock.productId, sku: products.sku, name: products.name, qty: stock.qty })
    .from(stock)
    .innerJoin(products, eq(products.id, stock.productId))
    .where(and(eq(stock.ownerId, ownerId), cursor ? gt(stock.productId, cursor) : undefined))
    .orderBy(asc(stock.productId))
    .limit(limit + 1);
}

export const stockRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/stock',
      tags: ['stock'],
      summary: 'The warehouse stock, or any agent’s cloud stock with ?owner= (brand admin)',
      request: { query: StockQuery },
      responses: { 200: jsonResponse(pageOf(StockItem), 'A page of stock'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const { cursor, limit, owner } = c.req.valid('query');
      const db = c.var.db;
      if (!owner || owner === BRAND_OWNER) {
        return c.json(
          toPage(await stockOf(db, BRAND_OWNER, cursor, limit), limit, (r) => r.productId),
          200,
        );
      }
      const [[agent], rows] = await db.batch([
        db.select({ id: agents.id }).from(agents).where(eq(agents.id, owner)).limit(1),
        stockOf(db, owner, cursor, limit),
      ]);
      if (!agent) throw new AppError('NOT_FOUND', { field: 'owner', params: { what: 'agent' } });
      return c.json(
        toPage(rows, limit, (r) => r.productId),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}/stock',
      tags: ['stock'],
      summary: 'An agent’s cloud stock (云仓): the agent itself, its uplines and the brand',
      request: { params: AgentIdParam, query: PageQuery },
      responses: { 200: jsonResponse(pageOf(StockItem), 'A page of stock'), ...errorResponses },
    }),
    async (c) => {
      const { agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
      const { cursor, limit } = c.req.valid('query');
      return c.json(
        toPage(await stockOf(c.var.db, agentId, cursor, limit), limit, (r) => r.productId),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/stock/adjust',
      tags: ['stock'],
      summary: 'Add units to or remove units from the warehouse (brand admin); never below zero',
      middleware: [brandOnly] as const,
      request: jsonBody(Adjustment),
      responses: {
        200: jsonResponse(StockItem, 'The warehouse stock of the product after the change'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { productId, delta, reason } = c.req.valid('json');
      const db = c.var.db;
      const [product] = await db
        .select({ sku: products.sku, name: products.name })
        .from(products)
        .where(eq(products.id, productId))
        .limit(1);
      if (!product) throw new AppError('NOT_FOUND', { field: 'productId', params: { what: 'product' } });
      const now = Date.now();
      const entry = audit(db, {
        actorRole: caller.role,
        actorId: caller.id,
        action: 'stock.adjust',
        targetType: 'product',
        targetId: productId,
        detail: { owner: BRAND_OWNER, delta, reason },
        at: now,
      });
      const warehouseRow = and(eq(stock.ownerId, BRAND_OWNER), eq(stock.productId, productId));
      let qty: number | undefined;
      if (delta > 0) {
        const [rows] = await db.batch([
          db
            .insert(stock)
            .values({ ownerId: BRAND_OWNER, productId, qty: delta })
            .onConflictDoUpdate({
              target: [stock.ownerId, stock.productId],
              set: { qty: sql`${stock.qty} + ${delta}` },
            })
            .returning({ qty: stock.qty }),
          entry,
        ]);
        qty = rows[0]?.qty;
      } else {
        try {
          // Conditional: a decrease larger than the stock (or of a product never stocked) changes no row,
          // and the guard then aborts the batch, audit entry included.
          const [rows] = await db.batch([
            db
              .update(stock)
              .set({ qty: sql`${stock.qty} + ${delta}` })
              .where(and(warehouseRow, gte(stock.qty, -delta)))
              .returning({ qty: stock.qty }),
            changedGuard(db),
            entry,
          ]);
          qty = rows[0]?.qty;
        } catch (err) {
          if (!isGuardFailure(err)) throw err;
          const [left] = await db.select({ qty: stock.qty }).from(stock).where(warehouseRow).limit(1);
          throw new AppError('STOCK_INSUFFICIENT', {
            field: 'delta',
            params: { name: product.name, owner: c.var.lang === 'en' ? 'warehouse' : '仓库', left: left?.qty ?? 0 },
          });
        }
      }
      return c.json({ productId, sku: product.sku, name: product.name, qty: qty ?? 0 }, 200);
    },
  );
