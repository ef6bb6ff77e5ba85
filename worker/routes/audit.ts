import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { jsonResponse, PageQuery, pageOf, toPage } from '../schemas';

const Entry = z
  .object({
    id: z.string(),
    actorRole: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    at: z.number().int(),
  })
  .openapi('AuditEntry');

export const auditRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/audit',
    tags: ['audit'],
    summary: 'Who changed what and when (brand admin), newest first; filter by the changed object',
    request: { query: PageQuery.extend({ targetId: z.string().max(40).optional() }) },
    responses: { 200: jsonResponse(pageOf(Entry), 'A page of audit entries'), ...errorResponses },
  }),
  async (c) => {
    requireCaller(c, 'admin');
    const { cursor, limit, targetId } = c.req.valid('query');
    const rows = await c.var.db
      .select()
      .from(auditLog)
      .where(and(targetId ? eq(auditLog.targetId, targetId) : undefined, cursor ? lt(auditLog.id, cursor) : undefined))
      .orderBy(desc(auditLog.id))
      .limit(limit + 1);
    return c.json(
      toPage(rows, limit, (r) => r.id),
      200,
    );
  },
);
