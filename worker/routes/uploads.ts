import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { recordUpload } from '../../db/uploads';
import { filePath, MAX_UPLOAD_BYTES, sniffImage, toHex } from '../domain/upload';
import type { AppEnv } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { clientIp, enforceLimit } from '../lib/rateLimit';
import { requireCaller } from '../middleware/session';
import { jsonResponse } from '../schemas';

// Paths whose body is a picture, not JSON: index.ts lets them past the JSON-only check and the 64 KB body limit.
export const UPLOAD_PATHS = new Set(['/api/uploads', '/api/reports/evidence']);

const Upload = z
  .object({
    url: z.string().openapi({ description: 'Where it is served; put it in a product, payment QR or report' }),
    hash: z.string().openapi({ description: 'SHA-256 of the file: the same file is stored once' }),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
    size: z.number().int(),
  })
  .openapi('Upload');

const binary = z.string().openapi({ format: 'binary' });
const pictureBody = {
  body: {
    required: true,
    description: `The picture's bytes (at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB); its type is read from them`,
    content: { 'image/jpeg': { schema: binary }, 'image/png': { schema: binary }, 'image/webp': { schema: binary } },
  },
};
const uploadErrors = {
  ...errorResponses,
  413: { description: 'Larger than the limit', content: errorResponses[400].content },
  415: { description: 'Not a JPEG, PNG or WebP picture', content: errorResponses[400].content },
};

const tooLarge = () => new AppError('FILE_TOO_LARGE', { params: { mb: MAX_UPLOAD_BYTES / 1024 / 1024 } });

// Reads the body, refusing it as soon as it passes the limit (a missing or false Content-Length changes nothing).
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}

// Stores the picture under its hash (once, whoever uploads it again) and records the owner.
async function store(c: Context<AppEnv>, ownerId: string) {
  if (Number(c.req.header('content-length') ?? 0) > MAX_UPLOAD_BYTES) throw tooLarge();
  const bytes = await readCapped(c.req.raw.body, MAX_UPLOAD_BYTES);
  const contentType = sniffImage(bytes);
  if (!contentType) throw new AppError('FILE_TYPE_UNSUPPORTED');
  const hash = toHex(await crypto.subtle.digest('SHA-256', bytes));
  const key = `files/${hash}`;
  if (!(await c.env.FILES.head(key))) {
    await c.env.FILES.put(key, bytes, { httpMetadata: { contentType }, sha256: hash });
  }
  await recordUpload(c.var.db, { hash, ownerId, contentType, size: bytes.byteLength, now: Date.now() });
  return { url: filePath(hash), hash, contentType, size: bytes.byteLength };
}

export const uploadRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/uploads',
      tags: ['uploads'],
      summary: 'Upload a picture (a product picture, a 收款码) as the signed-in agent or the brand',
      description: 'The body is the file itself. Only the uploader may attach it where ownership matters.',
      request: pictureBody,
      responses: { 201: jsonResponse(Upload, 'Stored'), ...uploadErrors },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent', 'admin');
      return c.json(await store(c, caller.role === 'admin' ? 'brand' : caller.id), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/reports/evidence',
      tags: ['policing'],
      summary: 'Upload an evidence picture for a price-breaking report (anyone; then name it in the report)',
      description: 'Limited to 10 pictures per client address per 10 minutes (429 with Retry-After).',
      request: pictureBody,
      responses: { 201: jsonResponse(Upload, 'Stored'), ...uploadErrors },
    }),
    async (c) => {
      await enforceLimit(c.var.db, {
        key: `evidence:ip:${clientIp(c.req.raw.headers)}`,
        max: 10,
        windowSeconds: 600,
      });
      return c.json(await store(c, 'report'), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/files/{hash}',
      tags: ['uploads'],
      summary: 'An uploaded picture, as stored (cached for a year: its path is its content hash)',
      request: {
        params: z.object({
          hash: z
            .string()
            .regex(/^[0-9a-f]{64}$/)
            .openapi({ param: { name: 'hash', in: 'path' } }),
        }),
      },
      responses: {
        200: { description: 'The picture', content: { 'image/*': { schema: binary } } },
        304: { description: 'Not modified' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { hash } = c.req.valid('param');
      const etag = `"${hash}"`;
      const cache = 'public, max-age=31536000, immutable';
      // The content never changes under its hash: a revalidation needs no read of R2.
      if (c.req.header('if-none-match') === etag) {
        return c.body(null, 304, { ETag: etag, 'Cache-Control': cache });
      }
      const object = await c.env.FILES.get(`files/${hash}`);
      if (!object) throw new AppError('NOT_FOUND', { params: { what: 'upload' } });
      return c.body(object.body, 200, {
        'Content-Type': object.httpMetadata?.contentType ?? 'application/octet-stream',
        'Content-Length': String(object.size),
        'Cache-Control': cache,
        ETag: etag,
      });
    },
  );
