import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { agents } from '../../db/schema';
import { shopProductsQuery, toShopProduct } from '../../db/shopProducts';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { jsonResponse, PageQuery, pageOf, toPage } from '../schemas';

const ShopProduct = z
  .object({
    id: z.string(),
    name: z.string(),
    image: z.string().nullable(),
    retailFen: z.number().int(),
    category: z.string(),
    soldOut: z.boolean().openapi({ description: 'Cloud model: the agent holds none, so the shop cannot take it' }),
  })
  .openapi('ShopProduct');

const ShopQuery = PageQuery.extend({
  category: z.string().trim().max(20).optional().openapi({ description: 'Only this category' }),
  q: z.string().trim().max(30).optional().openapi({ description: 'Words in the product name' }),
});

const CodeParam = z.object({
  code: z
    .string()
    .regex(/^[0-9a-z]{8}$/)
    .openapi({ param: { name: 'code', in: 'path' }, example: '0hnf9rf2' }),
});

// The shop link's list beyond its first view, and its search and category filter: public, retail prices only,
// as the shop page itself shows (worker/routes/shop.ts).
export const shopProductRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/shops/{code}/products',
    tags: ['products'],
    summary: "A page of a shop's products with sold-out marks, filtered by category or name (public)",
    request: { params: CodeParam, query: ShopQuery },
    responses: { 200: jsonResponse(pageOf(ShopProduct), 'A page of the shop’s products'), ...errorResponses },
  }),
  async (c) => {
    const { code } = c.req.valid('param');
    const { cursor, limit, category, q } = c.req.valid('query');
    const rows = await shopProductsQuery(
      c.var.db,
      code,
      { after: cursor, category: category || undefined, q: q || undefined },
      limit,
    );
    if (rows.length === 0 && !cursor && !category && !q) {
      // An empty first page: say whether the shop itself is missing or closed rather than list nothing.
      const [shop] = await c.var.db
        .select({ status: agents.status })
        .from(agents)
        .where(eq(agents.code, code))
        .limit(1);
      if (!shop) throw new AppError('NOT_FOUND', { params: { what: 'shop' } });
      if (shop.status !== 'active') throw new AppError('SHOP_CLOSED');
    }
    const page = toPage(rows, limit, (r) => r.id);
    return c.json({ ...page, items: page.items.map(toShopProduct) }, 200);
  },
);
