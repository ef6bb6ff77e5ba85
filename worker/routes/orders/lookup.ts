import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { isGuardFailure } from '../../../db/guard';
import { randomToken } from '../../../db/ids';
import { kvCache, orderStatuses, orders } from '../../../db/schema';
import type { AppEnv, Db } from '../../env';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { clientIp, enforceLimit } from '../../lib/rateLimit';
import { proofTaken, proofWrites, provePhone } from '../../lib/sms/codes';
import { jsonBody, jsonResponse, PageQuery, Phone, pageOf, toPage } from '../../schemas';
import { TRACK_COOKIE, trackedPhoneOrNull, trackingKey } from './tracking';

// A guest proves its phone with a code (purpose "orders") and sees the orders it placed with that phone as a guest,
// for 30 minutes, through an HttpOnly cookie scoped to /api/orders.

const TRACK_MS = 30 * 60_000;

const GuestOrder = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(orderStatuses),
    paymentMethod: z.enum(['online', 'offline']),
    amountFen: z.number().int(),
    refundedFen: z.number().int(),
    shipName: z.string().nullable(),
    trackingNo: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi('GuestOrder');

const LookupBody = z
  .strictObject({
    phone: Phone,
    smsCode: z
      .string()
      .regex(/^\d{6}$/)
      .openapi({ description: 'The code texted for purpose "orders"' }),
  })
  .openapi('GuestOrderLookup');

const GuestPage = pageOf(GuestOrder).extend({
  phone: z.string(),
  expiresAt: z.number().int().openapi({ description: 'When the lookup ends (ms); then a new code is needed' }),
});

async function guestPage(db: Db, phone: string, q: { cursor?: string | undefined; limit: number }) {
  const rows = await db
    .select({
      id: orders.id,
      number: sql<string>`coalesce(${orders.orderNo}, ${orders.id})`,
      status: orders.status,
      paymentMethod: orders.paymentMethod,
      amountFen: orders.amountFen,
      refundedFen: orders.refundedFen,
      shipName: orders.shipName,
      trackingNo: orders.trackingNo,
      createdAt: orders.createdAt,
    })
    .from(orders)
    .where(
      and(
        eq(orders.shipPhone, phone),
        // Through orders_ship_phone: this phone's orders, newest first, the guest ones kept.
        sql`kind = 'consumer' AND member_id IS NULL`,
        q.cursor ? lt(orders.id, q.cursor) : undefined,
      ),
    )
    .orderBy(desc(orders.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r.id);
}

async function trackedPhone(c: Context<AppEnv>): Promise<{ phone: string; expiresAt: number }> {
  const row = await trackedPhoneOrNull(c);
  if (!row) throw new AppError('TRACKING_EXPIRED');
  return row;
}

export const lookupRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/lookup',
      tags: ['orders'],
      summary:
        'A guest proves its phone with a code (purpose "orders"): the first page of the orders it placed with that ' +
        'phone as a guest, and a 30-minute lookup cookie for the next pages (GET)',
      request: jsonBody(LookupBody),
      responses: { 200: jsonResponse(GuestPage, 'Orders placed with this phone'), ...errorResponses },
    }),
    async (c) => {
      const { phone, smsCode } = c.req.valid('json');
      const db = c.var.db;
      await enforceLimit(db, { key: `lookup:ip:${clientIp(c.req.raw.headers)}`, max: 30, windowSeconds: 600 });
      const proof = await provePhone(db, phone, 'orders', smsCode);
      const token = randomToken();
      const now = Date.now();
      const expiresAt = now + TRACK_MS;
      try {
        await db.batch([
          ...proofWrites(db, proof),
          db.insert(kvCache).values({ key: await trackingKey(token), value: phone, expiresAt }),
        ]);
      } catch (err) {
        if (isGuardFailure(err) && (await proofTaken(db, proof))) {
          throw new AppError('SMS_CODE_INVALID', { field: 'smsCode' });
        }
        throw err;
      }
      setCookie(c, TRACK_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: new URL(c.req.url).protocol === 'https:',
        path: '/api/orders',
        maxAge: TRACK_MS / 1000,
      });
      return c.json({ ...(await guestPage(db, phone, { limit: 20 })), phone, expiresAt }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/orders/lookup',
      tags: ['orders'],
      summary: 'The next page of a guest lookup (its cookie, while it lasts)',
      request: { query: PageQuery },
      responses: { 200: jsonResponse(GuestPage, 'Orders placed with the looked-up phone'), ...errorResponses },
    }),
    async (c) => {
      const { phone, expiresAt } = await trackedPhone(c);
      return c.json({ ...(await guestPage(c.var.db, phone, c.req.valid('query'))), phone, expiresAt }, 200);
    },
  );
