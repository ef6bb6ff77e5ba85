import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { linesQuery } from '../../../db/orders';
import { payeeDetails } from '../../../db/payee';
import { orderStatuses, orders } from '../../../db/schema';
import { maskName } from '../../domain/mask';
import { normaliseOrderNumber, trackingUrl } from '../../domain/orderNumber';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { assertWithinLimit, clientIp, countHit } from '../../lib/rateLimit';
import { jsonBody, jsonResponse, Phone } from '../../schemas';

// A buyer finds an order by the number it was told to keep and the phone it gave, in any browser. Both are needed and
// neither proves the phone is the finder's, so the answer is what a parcel slip shows: progress, items, tracking and
// whom to pay while unpaid; no address, no phone, the consignee's name masked, and not the serving agent.

const FindBody = z
  .strictObject({
    number: z
      .string()
      .max(40)
      .refine((v) => normaliseOrderNumber(v) !== null, 'orderNumber')
      .openapi({ description: 'The 18-digit order number (spaces allowed)' }),
    phone: Phone,
  })
  .openapi('OrderFindQuestion');

const FoundOrder = z
  .object({
    number: z.string(),
    status: z.enum(orderStatuses),
    paymentMethod: z.enum(['online', 'offline']),
    amountFen: z.number().int(),
    refundedFen: z.number().int(),
    shipName: z.string().openapi({ description: 'Masked (张*明)' }),
    carrier: z.string().nullable(),
    trackingNo: z.string().nullable(),
    trackingUrl: z.string().nullable(),
    payee: z
      .object({ name: z.string(), payNote: z.string() })
      .nullable()
      .openapi({ description: 'While awaiting an offline payment: whom to pay and how' }),
    createdAt: z.number().int(),
    shippedAt: z.number().int().nullable(),
    lines: z.array(z.object({ name: z.string(), qty: z.number().int(), unitFen: z.number().int() })),
  })
  .openapi('FoundOrder');

export const findRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/orders/find',
    tags: ['orders'],
    summary: 'Find a consumer order by its number and the phone it was placed with (rate limited; a slip’s view)',
    request: jsonBody(FindBody),
    responses: { 200: jsonResponse(FoundOrder, 'The order'), ...errorResponses },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const db = c.var.db;
    const now = Date.now();
    // Per address and per phone, so neither numbers for a phone nor phones for a number can be swept.
    const byIp = { key: `find:ip:${clientIp(c.req.raw.headers)}`, max: 20, windowSeconds: 600 };
    const byPhone = { key: `find:phone:${body.phone}`, max: 10, windowSeconds: 600 };
    const number = normaliseOrderNumber(body.number) ?? '';
    const [[ipHit], [phoneHit], [order]] = await db.batch([
      countHit(db, byIp, now),
      countHit(db, byPhone, now),
      db
        .select()
        .from(orders)
        .where(and(eq(orders.orderNo, number), eq(orders.kind, 'consumer')))
        .limit(1),
    ]);
    assertWithinLimit(byIp, ipHit?.count, now);
    assertWithinLimit(byPhone, phoneHit?.count, now);
    if (!order || order.shipPhone !== body.phone) throw new AppError('ORDER_LOOKUP_MISS');
    const unpaidOffline = order.status === 'pending_payment' && order.paymentMethod === 'offline';
    const [lines, payee] = await Promise.all([
      linesQuery(db, order.id),
      unpaidOffline ? payeeDetails(db, order.payeeId) : null,
    ]);
    return c.json(
      {
        number: order.orderNo ?? '',
        status: order.status,
        paymentMethod: order.paymentMethod,
        amountFen: order.amountFen,
        refundedFen: order.refundedFen,
        shipName: maskName(order.shipName ?? ''),
        carrier: order.carrier,
        trackingNo: order.trackingNo,
        trackingUrl: trackingUrl(order.carrier, order.trackingNo),
        payee,
        createdAt: order.createdAt,
        shippedAt: order.shippedAt,
        lines: lines.map((l) => ({ name: l.name, qty: l.qty, unitFen: l.unitFen })),
      },
      200,
    );
  },
);
