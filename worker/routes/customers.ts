import { createRoute, z } from '@hono/zod-openapi';
import { type CustomerSearch, customerOf, customerOrdersPage, customersPage } from '../../db/customers';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { IdParam, jsonResponse, PageQuery, pageOf, TextLine, toPage } from '../schemas';
import { OrderSummary } from './orders/summary';

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

const CustomerQuery = PageQuery.extend({
  q: TextLine(40).optional().openapi({ description: 'The start of the customer’s phone (3 or more digits) or name' }),
});

// Digits (spaces allowed, as phones are often typed in groups) search phones; anything else searches names.
function searchOf(q: string | undefined): CustomerSearch {
  if (!q) return undefined;
  const digits = q.replace(/\s+/g, '');
  return /^\d{3,11}$/.test(digits) ? { phone: digits } : { name: q };
}

export const customerRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/customers',
      tags: ['members'],
      summary: 'Agent: my customers (members bound to me) with their paid order count and last order date',
      request: { query: CustomerQuery },
      responses: { 200: jsonResponse(pageOf(Customer), 'A page of customers'), ...errorResponses },
    }),
    async (c) => {
      // Only the agent itself: its customers are not its upline's to see.
      const caller = requireCaller(c, 'agent');
      const q = c.req.valid('query');
      const rows = await customersPage(c.var.db, caller.id, q.cursor, q.limit + 1, searchOf(q.q));
      return c.json(
        toPage(rows, q.limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/customers/{id}/orders',
      tags: ['members'],
      summary: 'Agent: one of my customers with the orders it placed through me, newest first',
      request: { params: IdParam, query: PageQuery },
      responses: {
        200: jsonResponse(
          pageOf(OrderSummary).extend({ customer: z.object({ id: z.string(), name: z.string(), phone: z.string() }) }),
          'The customer and a page of its orders',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const db = c.var.db;
      const [[customer], rows] = await db.batch([
        customerOf(db, caller.id, id),
        customerOrdersPage(db, caller.id, id, q.cursor, q.limit + 1),
      ]);
      // Another agent's customer (or a member no longer bound to the caller) answers as if it did not exist.
      if (!customer) throw new AppError('NOT_FOUND', { params: { what: 'customer' } });
      return c.json({ customer, ...toPage(rows, q.limit, (r) => r.id) }, 200);
    },
  );
