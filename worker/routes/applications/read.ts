import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNull, lt, type SQL } from 'drizzle-orm';
import { applications } from '../../../db/schema';
import { errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { requireCaller } from '../../middleware/session';
import { IdParam, jsonResponse, PageQuery, pageOf, toPage } from '../../schemas';
import { loadForDecision } from './access';
import { ApplicationView, toView } from './shapes';

// The applications addressed to the caller, the agent or the brand that decides them.
export const readRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/applications',
      tags: ['applications'],
      summary: 'Applications addressed to the caller (an agent, or the brand), newest first',
      request: { query: PageQuery.extend({ status: z.enum(['pending', 'approved', 'rejected']).optional() }) },
      responses: { 200: jsonResponse(pageOf(ApplicationView), 'A page of applications'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin', 'agent');
      const { cursor, limit, status } = c.req.valid('query');
      const filters: (SQL | undefined)[] = [
        caller.role === 'admin' ? isNull(applications.supplierId) : eq(applications.supplierId, caller.id),
        status ? eq(applications.status, status) : undefined,
        cursor ? lt(applications.id, cursor) : undefined,
      ];
      const rows = await c.var.db
        .select()
        .from(applications)
        .where(and(...filters))
        .orderBy(desc(applications.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows.map(toView), limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/applications/{id}',
      tags: ['applications'],
      summary: 'One application, for the party that decides it',
      request: { params: IdParam },
      responses: { 200: jsonResponse(ApplicationView, 'Application'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin', 'agent');
      return c.json(toView(await loadForDecision(c.var.db, caller, c.req.valid('param').id)), 200);
    },
  );
