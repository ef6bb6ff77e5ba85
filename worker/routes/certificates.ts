import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { brandInfo } from '../../db/brandInfo';
import { agents, certificates, certLookups } from '../../db/schema';
import { certificateStatus } from '../domain/certificate';
import { renderCertificateSvg } from '../domain/certificateSvg';
import { maskName, maskPhone } from '../domain/mask';
import type { AppEnv, Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { resolveVisibleAgent } from '../lib/access';
import { assertWithinLimit, clientIp, countHit, type Limit } from '../lib/rateLimit';
import { requestRegion } from '../lib/region';
import { AgentIdParam, jsonResponse, PageQuery, Phone, pageOf, toPage, Wechat } from '../schemas';

const Status = z.enum(['valid', 'suspended', 'revoked', 'expired']);

const PublicCertificate = z
  .object({
    number: z.string(),
    brandName: z.string(),
    name: z.string().openapi({ description: 'Masked, e.g. 张*明' }),
    phone: z.string().openapi({ description: 'Masked, e.g. 138****1234' }),
    level: z.number().int(),
    levelName: z.string(),
    region: z.string(),
    validFrom: z.number().int(),
    validUntil: z.number().int(),
    status: Status,
  })
  .openapi('PublicCertificate');

const Certificate = PublicCertificate.extend({
  wechat: z.string(),
  agentId: z.string(),
  issuedAt: z.number().int(),
}).openapi('Certificate');

const CertNumber = z.string().regex(/^AG\d{4}[0-9A-HJKMNP-TV-Z]{16}$/);

const LookupQuery = z
  .object({
    number: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(CertNumber)
      .optional(),
    wechat: Wechat.optional(),
    phone: Phone.optional(),
  })
  .refine((q) => [q.number, q.wechat, q.phone].filter(Boolean).length === 1, {
    message: 'Give exactly one of number, wechat, phone',
    path: ['number'],
  });

type Via = 'number' | 'wechat' | 'phone';

// Public lookups per client address; a burst answers 429 with Retry-After.
const lookupLimit = (c: Context<AppEnv>): Limit => ({
  key: `cert:ip:${clientIp(c.req.raw.headers)}`,
  max: 30,
  windowSeconds: 60,
});

const certColumns = {
  number: certificates.number,
  agentId: certificates.agentId,
  validFrom: certificates.validFrom,
  validUntil: certificates.validUntil,
  issuedAt: certificates.issuedAt,
  name: agents.name,
  phone: agents.phone,
  wechat: agents.wechat,
  region: agents.region,
  level: agents.level,
  agentStatus: agents.status,
};

function certQuery(db: Db, where: SQL) {
  return db
    .select(certColumns)
    .from(certificates)
    .innerJoin(agents, eq(agents.id, certificates.agentId))
    .where(where)
    .limit(1);
}

function criterion(via: Via, value: string): SQL {
  if (via === 'number') return eq(certificates.number, value);
  // WeChat IDs match whatever their case, through the NOCASE index of migration 0021.
  return via === 'phone' ? eq(agents.phone, value) : sql`${agents.wechat} = ${value} COLLATE NOCASE`;
}

type CertRow = Awaited<ReturnType<typeof certQuery>>[number] & {
  brandName: string;
  levelName: string;
  sealText: string;
};

async function withBrand(db: Db, row: Awaited<ReturnType<typeof certQuery>>[number]): Promise<CertRow> {
  const info = await brandInfo(db);
  return { ...row, brandName: info.name, sealText: info.sealText, levelName: info.levelNames.get(row.level) ?? '' };
}

function full(row: CertRow, now: number): z.infer<typeof Certificate> {
  return {
    number: row.number,
    brandName: row.brandName,
    name: row.name,
    phone: row.phone,
    wechat: row.wechat,
    level: row.level,
    levelName: row.levelName,
    region: row.region,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    issuedAt: row.issuedAt,
    agentId: row.agentId,
    status: certificateStatus(row.agentStatus, row.validUntil, now),
  };
}

function masked(row: CertRow, now: number): z.infer<typeof PublicCertificate> {
  const { wechat: _w, agentId: _a, issuedAt: _i, ...rest } = full(row, now);
  return { ...rest, name: maskName(row.name), phone: maskPhone(row.phone) };
}

// Count the hit and read the certificate in one round trip; a handful of rows whatever the size of the network.
// The lookup log is written after the answer (waitUntil), so the public never waits for it.
async function publicLookup(c: Context<AppEnv>, via: Via, value: string, log: boolean) {
  const db = c.var.db;
  const limit = lookupLimit(c);
  const now = Date.now();
  const [counted, rows] = await db.batch([countHit(db, limit, now), certQuery(db, criterion(via, value))]);
  assertWithinLimit(limit, counted[0]?.count, now);
  const row = rows[0];
  if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
  if (log) {
    const entry = db.insert(certLookups).values({ agentId: row.agentId, via, region: regionOf(c), at: now });
    c.executionCtx.waitUntil(entry.then(() => undefined));
  }
  return withBrand(db, row);
}

// The agent reads this log: 广东 Shenzhen for China, the country and region abroad.
function regionOf(c: Context<AppEnv>): string | null {
  return requestRegion(c).label;
}

const NumberParam = z.object({
  number: z
    .string()
    .max(40)
    .openapi({ param: { name: 'number', in: 'path' } }),
});

export const certificateRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/certificates/lookup',
      tags: ['certificates'],
      summary: 'Public authorization lookup (授权查询) by certificate number, WeChat ID or phone; exact match, masked',
      request: { query: LookupQuery },
      responses: { 200: jsonResponse(PublicCertificate, 'Certificate'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const via: Via = q.number ? 'number' : q.phone ? 'phone' : 'wechat';
      const value = q.number ?? q.phone ?? q.wechat ?? '';
      const row = await publicLookup(c, via, value, true);
      return c.json(masked(row, Date.now()), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/certificates/{number}/image.svg',
      tags: ['certificates'],
      summary: 'The certificate as an SVG image; masked unless the caller is the agent, its upline or the brand',
      request: { params: NumberParam },
      responses: {
        200: { description: 'SVG image', content: { 'image/svg+xml': { schema: z.string() } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const parsed = CertNumber.safeParse(c.req.valid('param').number.toUpperCase());
      if (!parsed.success) throw new AppError('CERTIFICATE_NOT_FOUND');
      const row = await publicLookup(c, 'number', parsed.data, false);
      const now = Date.now();
      const caller = c.var.caller;
      const mayReadFull =
        caller !== null && (caller.role === 'admin' || (caller.role === 'agent' && (await canSee(c, row.agentId))));
      // The public sees masked name and phone, level, region, validity and status, and nothing more.
      const view = mayReadFull ? full(row, now) : { ...masked(row, now), wechat: '—' };
      const svg = renderCertificateSvg({
        brandName: row.brandName,
        sealText: row.sealText,
        number: row.number,
        agentName: view.name,
        levelName: row.levelName,
        region: row.region,
        wechat: view.wechat,
        validFrom: row.validFrom,
        validUntil: row.validUntil,
        status: view.status,
        lookupUrl: `${new URL(c.req.url).origin}/c/${row.number}`,
      });
      // The image must agree with the card at once after a revoke or a renewal: caches keep it only as long as its
      // ETag still matches (no-cache revalidates every time, a 304 costs no body), and a signed-in reader's full copy
      // is never stored, nor served to or from the public copy's cache entry (Vary).
      const etag = `"${await digestHex(svg)}"`;
      const headers = {
        'Cache-Control': mayReadFull ? 'private, no-store' : 'public, no-cache',
        Vary: 'Cookie, Authorization',
        ETag: etag,
      };
      if (!mayReadFull && c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);
      return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8', ...headers });
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}/certificate',
      tags: ['certificates'],
      summary: 'An agent’s certificate in full, for the agent, its upline and the brand',
      request: { params: AgentIdParam },
      responses: { 200: jsonResponse(Certificate, 'Certificate'), ...errorResponses },
    }),
    async (c) => {
      const { agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
      const [row] = await certQuery(c.var.db, eq(certificates.agentId, agentId));
      if (!row) throw new AppError('NOT_FOUND', { params: { what: 'certificate' } });
      return c.json(full(await withBrand(c.var.db, row), Date.now()), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}/certificate/lookups',
      tags: ['certificates'],
      summary: 'Who looked the certificate up: when, from which region, by what (newest first)',
      request: { params: AgentIdParam, query: PageQuery },
      responses: {
        200: jsonResponse(
          pageOf(
            z.object({ id: z.number().int(), via: z.string(), region: z.string().nullable(), at: z.number().int() }),
          ),
          'A page of lookups',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
      const { cursor, limit } = c.req.valid('query');
      const before = cursor && /^\d+$/.test(cursor) ? Number(cursor) : undefined;
      const rows = await c.var.db
        .select({ id: certLookups.id, via: certLookups.via, region: certLookups.region, at: certLookups.at })
        .from(certLookups)
        .where(and(eq(certLookups.agentId, agentId), before ? lt(certLookups.id, before) : undefined))
        .orderBy(desc(certLookups.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (r) => String(r.id)),
        200,
      );
    },
  );

async function canSee(c: Context<AppEnv>, agentId: string): Promise<boolean> {
  try {
    await resolveVisibleAgent(c, agentId);
    return true;
  } catch {
    return false;
  }
}

async function digestHex(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}
