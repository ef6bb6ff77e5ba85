import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { type MemberKey, memberBindingQuery } from '../../../db/members';
import { agentByCodeQuery } from '../../../db/orders';
import { payeeDetails, servingAgent } from '../../../db/payee';
import { brand } from '../../../db/schema';
import { orderBinding } from '../../domain/binding';
import { consumerPayee } from '../../domain/orderFlow';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { assertWithinLimit, clientIp, countHit } from '../../lib/rateLimit';
import { jsonBody, jsonResponse, Phone } from '../../schemas';
import { bindingOf } from './consumerBinding';
import { trackedPhoneOrNull } from './tracking';

// Checkout asks, before placing, who will serve the order and whom to pay: the same decision POST /orders makes, and
// no more than the order page would then show. A guest's typed phone bound to another agent is named only once the
// phone is proved (the SMS lookup cookie); otherwise the answer says only that the brand collects. Rate limited per
// address, so phones cannot be swept.

const ServingBody = z
  .strictObject({
    shopCode: z.string().regex(/^[0-9a-z]{8}$/),
    phone: Phone.optional().openapi({ description: 'A guest’s phone as typed at checkout (a member is itself)' }),
  })
  .openapi('ServingQuestion');

const Payee = z.object({ name: z.string(), payNote: z.string(), payQrUrl: z.string().nullable() });

const ServingView = z
  .object({
    servedBy: z
      .object({ name: z.string(), levelName: z.string(), certNumber: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The agent the order will belong to; null while the guest has not proved its phone' }),
    otherThanShop: z.boolean().openapi({ description: 'The order will belong to another agent than the shop’s' }),
    payees: z.object({ online: Payee, offline: Payee }).openapi({ description: 'Who is paid, by payment method' }),
  })
  .openapi('Serving');

export const servingRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/orders/serving',
    tags: ['orders'],
    summary: 'Before placing a consumer order: the agent who will serve it and the payee of each payment method',
    request: jsonBody(ServingBody),
    responses: { 200: jsonResponse(ServingView, 'Who serves and who is paid'), ...errorResponses },
  }),
  async (c) => {
    const { shopCode, phone } = c.req.valid('json');
    const caller = c.var.caller;
    if (caller && caller.role !== 'member') throw new AppError('FORBIDDEN');
    const db = c.var.db;
    const limit = { key: `serving:ip:${clientIp(c.req.raw.headers)}`, max: 30, windowSeconds: 600 };
    const key: MemberKey | null = caller ? { id: caller.id } : phone ? { phone } : null;
    const now = Date.now();
    const [[hit], [settings], [own], [memberRow]] = await db.batch([
      countHit(db, limit, now),
      db
        .select({ stockModel: brand.stockModel, policy: brand.bindingPolicy, rebindDays: brand.rebindDays })
        .from(brand)
        .where(eq(brand.id, 1))
        .limit(1),
      agentByCodeQuery(db, shopCode),
      memberBindingQuery(db, key ?? { id: '' }),
    ]);
    assertWithinLimit(limit, hit?.count, now);
    if (!settings || !own || (!caller && own.status !== 'active')) throw new AppError('SHOP_CLOSED');
    const { member, bound } = bindingOf(key ? memberRow : undefined);
    const sellerId = orderBinding(settings, now, own, member, bound).sellerId;
    if (!sellerId) throw new AppError('SHOP_CLOSED');
    const proved = caller !== null || (sellerId !== own.id && (await trackedPhoneOrNull(c))?.phone === phone);
    const online = consumerPayee(settings.stockModel, 'online', sellerId, own.id, proved);
    const offline = consumerPayee(settings.stockModel, 'offline', sellerId, own.id, proved);
    const [servedBy, onlinePayee, offlinePayee] = await Promise.all([
      offline.sellerShown ? servingAgent(db, sellerId) : null,
      payeeDetails(db, online.payeeId),
      payeeDetails(db, offline.payeeId),
    ]);
    return c.json(
      { servedBy, otherThanShop: sellerId !== own.id, payees: { online: onlinePayee, offline: offlinePayee } },
      200,
    );
  },
);
