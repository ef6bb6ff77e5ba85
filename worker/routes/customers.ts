import { createRoute, z } from '@hono/zod-openapi';
import { customersPage } from '../../db/customers';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { jsonResponse, PageQuery, pageOf, toPage } from '../schemas';

const Customer = z
  .object({
    id: z.string(),
    name: z.string(),
    phone: z.string().openapi({ description: 'For the agent to call its own customer' }),
    boundAt: z.number().int().nullable(),
    lastOrderAt: z.number().int().nullable(),
    orderCount: z.number().int().openapi({ description: 'Paid orders (paid, shipped, completed or refunded)' }),
  })
  .openapi('Customer');

export const customerRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/customers',
    tags: ['members'],
    summary: 'Agent: my customers (members bound to me) with their paid order count and last order date',
    request: { query: PageQuery },
    responses: { 200: jsonResponse(pageOf(Customer), 'A page of customers'), ...errorResponses },
  }),
  async (c) => {
    // Only the agent itself: its customers are not its upline's to see.
    const caller = requireCaller(c, 'agent');
    const q = c.req.valid('query');
    const rows = await customersPage(c.var.db, caller.id, q.cursor, q.limit + 1);
    return c.json(
      toPage(rows, q.limit, (r) => r.id),
      200,
    );
  },
);
