import { createRoute, z } from '@hono/zod-openapi';
import { listNotices, supplyOf } from '../../db/inspections';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { jsonResponse, PageQuery, pageOf, toPage } from '../schemas';

const Notice = z
  .object({
    id: z.string(),
    kind: z.enum(['warning', 'fine', 'supply_stopped', 'supply_resumed', 'revoked']),
    message: z.string(),
    amountFen: z.number().int().nullable().openapi({ description: 'The fine, for a fine' }),
    inspectionId: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi('AgentNotice');

const Notices = pageOf(Notice)
  .extend({
    supplyStopped: z.boolean().openapi({ description: 'The brand has stopped supplying this agent (停货)' }),
    supplyStoppedAt: z.number().int().nullable(),
  })
  .openapi('AgentNotices');

export const noticeRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/agent/notices',
    tags: ['policing'],
    summary: 'What the brand told the signed-in agent (warnings, fines, supply stopped), newest first, and its supply',
    request: { query: PageQuery },
    responses: { 200: jsonResponse(Notices, 'A page of notices'), ...errorResponses },
  }),
  async (c) => {
    const caller = requireCaller(c, 'agent');
    const { cursor, limit } = c.req.valid('query');
    const db = c.var.db;
    const [rows, [agent]] = await db.batch([listNotices(db, caller.id, cursor, limit + 1), supplyOf(db, caller.id)]);
    const stoppedAt = agent?.supplyStoppedAt ?? null;
    return c.json(
      { ...toPage(rows, limit, (r) => r.id), supplyStopped: stoppedAt !== null, supplyStoppedAt: stoppedAt },
      200,
    );
  },
);
