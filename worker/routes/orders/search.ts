import { createRoute, z } from '@hono/zod-openapi';
import {
  agentsNamedQuery,
  matchAgent,
  matchConsignee,
  matchIdPrefix,
  matchNumber,
  matchPhone,
  searchBranch,
  statusCountsQuery,
} from '../../../db/orderSearch';
import { orderStatuses } from '../../../db/schema';
import { planOrderSearch, prefixEnd } from '../../domain/orderSearch';
import { errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { brandOnly } from '../../middleware/session';
import { jsonResponse, PageQuery, pageOf, toPage } from '../../schemas';
import { OrderSummary } from './summary';

const SearchQuery = PageQuery.extend({
  q: z.string().min(1, 'blank').max(60).openapi({
    description: 'An order number, an order id or its start, a consignee’s phone, a consignee’s or an agent’s name',
  }),
  status: z.enum(orderStatuses).optional(),
});

const StatusCounts = z
  .object({
    total: z.number().int(),
    counts: z.record(z.enum(orderStatuses), z.number().int()),
  })
  .openapi('OrderStatusCounts');

export const searchRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/orders/search',
      tags: ['orders'],
      summary: 'Brand: orders by id (or its start), consignee phone, consignee name or agent name, newest first',
      description:
        'Every way of matching reads one index range, at most limit + 1 rows each (agent names: up to 5 agents), so a search costs the same on any number of orders.',
      middleware: [brandOnly],
      request: { query: SearchQuery },
      responses: { 200: jsonResponse(pageOf(OrderSummary), 'A page of matching orders'), ...errorResponses },
    }),
    async (c) => {
      const db = c.var.db;
      const q = c.req.valid('query');
      const plan = planOrderSearch(q.q);
      const page = { status: q.status, cursor: q.cursor, take: q.limit + 1 };
      const agentIds = plan.name ? (await agentsNamedQuery(db, plan.name)).map((a) => a.id) : [];
      const matches = [
        plan.idPrefix ? matchIdPrefix(plan.idPrefix, prefixEnd(plan.idPrefix)) : undefined,
        plan.number ? matchNumber(plan.number) : undefined,
        plan.phone ? matchPhone(plan.phone) : undefined,
        plan.name ? matchConsignee(plan.name) : undefined,
        ...agentIds.map(matchAgent),
      ].filter((m) => m !== undefined);
      const [first, ...rest] = matches.map((m) => searchBranch(db, m, page));
      if (!first) return c.json({ items: [], nextCursor: null }, 200);
      const found = (await db.batch([first, ...rest])).flat();
      // An order found two ways (its agent's and its consignee's name) is listed once.
      const byId = new Map(found.map((o) => [o.id, o]));
      const rows = [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
      return c.json(
        toPage(rows, q.limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/orders/status-counts',
      tags: ['orders'],
      summary: 'Brand: how many orders are in each status (for the console’s tabs)',
      description: 'Read from counters that triggers on the orders table keep in the same statement as each write.',
      middleware: [brandOnly],
      responses: { 200: jsonResponse(StatusCounts, 'Orders per status'), ...errorResponses },
    }),
    async (c) => {
      const rows = await statusCountsQuery(c.var.db);
      const counts = Object.fromEntries(orderStatuses.map((s) => [s, 0])) as Record<
        (typeof orderStatuses)[number],
        number
      >;
      for (const r of rows) if (r.status in counts) counts[r.status as keyof typeof counts] = r.n;
      return c.json({ total: Object.values(counts).reduce((a, b) => a + b, 0), counts }, 200);
    },
  );
