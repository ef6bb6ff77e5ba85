import { createRoute, z } from '@hono/zod-openapi';
import { newId } from '../../db/ids';
import { agentIdByCode, insertReport, productExists } from '../../db/inspections';
import { agentCodeIn } from '../domain/inspection';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { assertWithinLimit, clientIp, countHit, type Limit } from '../lib/rateLimit';
import { jsonBody, jsonResponse, TextBlock, TextLine } from '../schemas';

const ReportBody = z
  .strictObject({
    agent: TextLine(300).openapi({
      description: 'The agent’s code, or its shop link (…/s/{code})',
      example: 'https://example.com/s/k3m9x2qa',
    }),
    productId: z.string().max(40).optional(),
    priceSeenFen: z.number().int().min(0).max(100_000_000).openapi({ description: 'The price seen, in fen (分)' }),
    note: TextBlock(500, 1).openapi({ description: 'Where and how it was offered' }),
    contact: TextLine(50, 0).optional().openapi({ description: 'How the brand can reach the reporter' }),
  })
  .openapi('PriceReport');

const Reported = z.object({ id: z.string(), createdAt: z.number().int() }).openapi('PriceReportReceived');

const notFound = (what: 'agent' | 'product', field: string) => new AppError('NOT_FOUND', { field, params: { what } });

export const reportRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/reports',
    tags: ['policing'],
    summary: 'Report price-breaking (乱价举报), anonymously; it opens a case in the brand’s inspection queue',
    description: 'Limited to 5 reports per client address per 10 minutes (429 with Retry-After).',
    request: jsonBody(ReportBody),
    responses: { 201: jsonResponse(Reported, 'Received'), ...errorResponses },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const db = c.var.db;
    const limit: Limit = { key: `report:ip:${clientIp(c.req.raw.headers)}`, max: 5, windowSeconds: 600 };
    const code = agentCodeIn(body.agent);
    if (!code) throw notFound('agent', 'agent');
    const now = Date.now();
    const id = newId('ins', now);
    const productId = body.productId ?? null;
    const [counted, inserted] = await db.batch([
      countHit(db, limit, now),
      insertReport(
        db,
        {
          id,
          agentCode: code,
          productId,
          priceSeenFen: body.priceSeenFen,
          note: body.note,
          contact: body.contact || null,
          now,
        },
        limit.key,
        limit.max,
      ),
    ]);
    assertWithinLimit(limit, counted[0]?.count, now);
    if (inserted.length === 0) {
      // Written nothing: say which reference is unknown.
      const [agents, products] = await db.batch([agentIdByCode(db, code), productExists(db, productId ?? '')]);
      if (agents.length === 0 || productId === null || products.length > 0) throw notFound('agent', 'agent');
      throw notFound('product', 'productId');
    }
    return c.json({ id, createdAt: now }, 201);
  },
);
