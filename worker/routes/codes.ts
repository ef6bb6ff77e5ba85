import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { type BatchRow, batchesPage, batchQuery, codesPage, generateChunk, insertBatch } from '../../db/codes';
import { isUniqueFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import { audit } from '../../db/network';
import { products } from '../../db/schema';
import { formatCode, serialLabel } from '../domain/codes';
import type { AppEnv } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { Id, jsonBody, jsonResponse, PageQuery, pageOf, TextLine, toPage } from '../schemas';
import { codeBindingRoutes } from './codeBindings';
import { brandOnly } from './products';

const MAX_CODES = 100_000;
const CSV_PAGE = 5_000;

const BatchView = z
  .object({
    id: z.string(),
    productId: z.string(),
    productName: z.string(),
    size: z.number().int(),
    generated: z.number().int().openapi({ description: 'Codes written so far; the batch is ready when it is size' }),
    serialStart: z.number().int(),
    serialEnd: z.number().int().openapi({ description: 'The last serial of the batch (inclusive)' }),
    status: z.enum(['generating', 'ready']),
    note: z.string().nullable(),
    createdAt: z.number().int(),
    completedAt: z.number().int().nullable(),
  })
  .openapi('CodeBatch');

const NewBatch = z
  .strictObject({
    productId: Id('prd'),
    size: z.number().int().min(1).max(MAX_CODES),
    note: TextLine(200, 0).optional(),
  })
  .openapi('NewCodeBatch');

const BatchIdParam = z.object({
  id: z
    .string()
    .max(40)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'cbt_01jx0000000000000000000000' }),
});

function view(row: BatchRow): z.infer<typeof BatchView> {
  return {
    ...row,
    serialEnd: row.serialStart + row.size - 1,
    status: row.generated >= row.size ? 'ready' : 'generating',
  };
}

async function readBatch(c: Context<AppEnv>, id: string): Promise<BatchRow> {
  const [row] = /^cbt_[0-9a-z]{26}$/.test(id) ? await batchQuery(c.var.db, id) : [];
  if (!row) throw new AppError('NOT_FOUND', { params: { what: 'batch' } });
  return row;
}

// The printer's file: serial, code as printed, the URL its QR code carries. Read a page at a time by serial,
// so a batch of any size streams with one page in memory.
function codesCsv(c: Context<AppEnv>, batch: BatchRow): Response {
  const origin = new URL(c.req.url).origin;
  const encoder = new TextEncoder();
  let after = batch.serialStart - 1;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode('\uFEFF序列号,防伪码,验证网址\r\n'));
        return;
      }
      const rows = await codesPage(c.var.db, batch, after, CSV_PAGE);
      const lines = rows.map((r) => `${serialLabel(r.serial)},${formatCode(r.code)},${origin}/v/${r.code}\r\n`);
      if (lines.length > 0) controller.enqueue(encoder.encode(lines.join('')));
      const last = rows[rows.length - 1];
      if (rows.length < CSV_PAGE || !last) controller.close();
      else after = last.serial;
    },
  });
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="codes-${batch.id}.csv"`,
    'Cache-Control': 'no-store',
  });
}

// Bindings (codeBindings.ts) are part of the same resource.
export const codeRoutes = createRouter()
  .route('/', codeBindingRoutes)
  .openapi(
    createRoute({
      method: 'post',
      path: '/brand/code-batches',
      tags: ['codes'],
      summary: 'Create a batch of anti-counterfeit codes for a product (brand admin); writes its first chunk',
      middleware: [brandOnly] as const,
      request: jsonBody(NewBatch),
      responses: { 201: jsonResponse(BatchView, 'The batch'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { productId, size, note } = c.req.valid('json');
      const db = c.var.db;
      const [product] = await db.select({ id: products.id }).from(products).where(eq(products.id, productId)).limit(1);
      if (!product) throw new AppError('NOT_FOUND', { field: 'productId', params: { what: 'product' } });
      const now = Date.now();
      let created: { id: string; serialStart: number } | undefined;
      for (let attempt = 0; created === undefined; attempt++) {
        const id = newId('cbt', now);
        const entry = audit(db, {
          actorRole: caller.role,
          actorId: caller.id,
          action: 'codes.batch.create',
          targetType: 'code_batch',
          targetId: id,
          detail: { productId, size },
          at: now,
        });
        const b = { id, productId, size, note: note || null, createdBy: caller.id, createdAt: now };
        try {
          const [[row]] = await db.batch([insertBatch(db, b), entry]);
          if (row) created = { id, serialStart: row.serialStart };
        } catch (err) {
          if (!isUniqueFailure(err, 'code_batches.serial_start') || attempt >= 5) throw err;
        }
      }
      await generateChunk(db, { ...created, productId, size, generated: 0 }, now);
      return c.json(view(await readBatch(c, created.id)), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/brand/code-batches/{id}/generate',
      tags: ['codes'],
      summary: 'Write the next chunk of a batch (up to 20,000 codes, all or nothing); a ready batch answers as is',
      middleware: [brandOnly] as const,
      request: { params: BatchIdParam },
      responses: { 200: jsonResponse(BatchView, 'The batch after this chunk'), ...errorResponses },
    }),
    async (c) => {
      const row = await readBatch(c, c.req.valid('param').id);
      if (row.generated >= row.size) return c.json(view(row), 200);
      // A concurrent call that wrote this chunk first makes this one answer the batch as it now is.
      await generateChunk(c.var.db, row);
      return c.json(view(await readBatch(c, row.id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/code-batches',
      tags: ['codes'],
      summary: 'Code batches, newest first (brand admin)',
      middleware: [brandOnly] as const,
      request: { query: PageQuery.extend({ productId: z.string().max(40).optional() }) },
      responses: { 200: jsonResponse(pageOf(BatchView), 'A page of batches'), ...errorResponses },
    }),
    async (c) => {
      const { productId, cursor, limit } = c.req.valid('query');
      const rows = await batchesPage(c.var.db, productId, cursor, limit);
      const page = toPage(rows, limit, (r) => r.id);
      return c.json({ ...page, items: page.items.map(view) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/code-batches/{id}',
      tags: ['codes'],
      summary: 'One code batch and its progress (brand admin)',
      middleware: [brandOnly] as const,
      request: { params: BatchIdParam },
      responses: { 200: jsonResponse(BatchView, 'The batch'), ...errorResponses },
    }),
    async (c) => c.json(view(await readBatch(c, c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/code-batches/{id}/codes.csv',
      tags: ['codes'],
      summary: 'A ready batch as CSV for the printer: serial, code, verification URL (UTF-8 with BOM, streamed)',
      middleware: [brandOnly] as const,
      request: { params: BatchIdParam },
      responses: {
        200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: z.string() } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const batch = await readBatch(c, c.req.valid('param').id);
      // A half-written batch must not reach the printer.
      if (batch.generated < batch.size) throw new AppError('INVALID_STATE', { params: { state: 'generating' } });
      return codesCsv(c, batch);
    },
  );
