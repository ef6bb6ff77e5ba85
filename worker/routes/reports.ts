import { createRoute, z } from '@hono/zod-openapi';
import { newId } from '../../db/ids';
import { agentIdByRef, evidenceUploads, insertReport, productRetail } from '../../db/inspections';
import { agentRefIn } from '../domain/inspection';
import { filePath, uploadHashIn } from '../domain/upload';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { formatFen } from '../lib/money';
import { assertWithinLimit, clientIp, countHit, type Limit } from '../lib/rateLimit';
import { jsonBody, jsonResponse, TextBlock, TextLine } from '../schemas';

const EvidenceUrl = z
  .string()
  .max(300)
  .regex(/^(?:https?:\/\/[^/]+)?\/api\/files\/[0-9a-f]{64}$/, 'evidence')
  .openapi({ description: 'A picture uploaded by POST /api/reports/evidence (its url)' });

const ReportBody = z
  .strictObject({
    agent: TextLine(300).openapi({
      description: 'The agent: its code, its shop link (…/s/{code}), its WeChat ID (any case) or its phone',
      example: 'https://example.com/s/k3m9x2qa',
    }),
    productId: z.string().max(40).optional(),
    priceSeenFen: z.number().int().min(0).max(100_000_000).openapi({
      description: 'The price seen, in fen (分); not above the product’s retail price',
    }),
    note: TextBlock(500, 1).openapi({ description: 'Where and how it was offered' }),
    contact: TextLine(50, 0).optional().openapi({ description: 'How the brand can reach the reporter' }),
    evidence: z.array(EvidenceUrl).max(3).optional().openapi({ description: 'Up to 3 evidence pictures' }),
  })
  .openapi('PriceReport');

const Reported = z.object({ id: z.string(), createdAt: z.number().int() }).openapi('PriceReportReceived');

const notFound = (what: 'agent' | 'product' | 'upload', field: string) =>
  new AppError('NOT_FOUND', { field, params: { what } });

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
    const ref = agentRefIn(body.agent);
    if (!ref) throw notFound('agent', 'agent');
    const hashes = [...new Set((body.evidence ?? []).map((url) => uploadHashIn(url) ?? ''))];
    const evidence = hashes.map((hash) => ({ hash, url: filePath(hash) }));
    const now = Date.now();
    const id = newId('ins', now);
    const productId = body.productId ?? null;
    const input = { id, agent: ref, productId, priceSeenFen: body.priceSeenFen, note: body.note, evidence, now };
    const [counted, inserted] = await db.batch([
      countHit(db, limit, now),
      insertReport(db, { ...input, contact: body.contact || null }, limit.key, limit.max),
    ]);
    assertWithinLimit(limit, counted[0]?.count, now);
    if (inserted.length === 0) {
      // Written nothing: say which reference is unknown, or that the price is not below retail.
      const [agents, products, uploaded] = await db.batch([
        agentIdByRef(db, ref),
        productRetail(db, productId ?? ''),
        evidenceUploads(db, hashes),
      ]);
      if (agents.length === 0) throw notFound('agent', 'agent');
      const product = products[0];
      if (productId !== null && !product) throw notFound('product', 'productId');
      if (product && body.priceSeenFen > product.retailFen) {
        throw new AppError('REPORT_ABOVE_RETAIL', {
          field: 'priceSeenFen',
          params: { seen: formatFen(body.priceSeenFen), retail: formatFen(product.retailFen) },
        });
      }
      const have = new Set(uploaded.map((u) => u.hash));
      const missing = hashes.findIndex((h) => !have.has(h));
      if (missing >= 0) throw notFound('upload', `evidence.${missing}`);
      throw notFound('agent', 'agent');
    }
    return c.json({ id, createdAt: now }, 201);
  },
);
