import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { putStock } from '../../../db/orders';
import { orderShares } from '../../../db/schema';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { jsonResponse } from '../../schemas';
import { isSellerSide, loadForBuyer } from './access';
import { releaseOnCompletion, transition } from './fulfil';
import { OrderIdParam, OrderView } from './shapes';

// What the buyer does with its order (a guest with its X-Order-Token too): confirm receipt, cancel before paying.
export const buyerRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/complete',
      tags: ['orders'],
      summary:
        'Confirm receipt (确认收货: the buyer, a guest with its X-Order-Token, or the brand); shares start freezing',
      request: { params: OrderIdParam },
      responses: { 200: jsonResponse(OrderView, 'Completed'), ...errorResponses },
    }),
    async (c) => {
      const loaded = await loadForBuyer(c, c.req.valid('param').id);
      if (loaded.caller?.role !== 'admin' && !loaded.buyer) throw new AppError('FORBIDDEN');
      if (loaded.order.status !== 'shipped') throw new AppError('ORDER_NOT_RECEIVABLE');
      const now = Date.now();
      const view = await transition(c, loaded, ['shipped'], { status: 'completed', completedAt: now }, [
        releaseOnCompletion(c, loaded, now),
      ]);
      return c.json(loaded.caller ? view : { ...view, agentId: null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/cancel',
      tags: ['orders'],
      summary:
        'Cancel before payment (the buyer, a guest with its X-Order-Token, the seller side or the brand); the units go back',
      request: { params: OrderIdParam },
      responses: { 200: jsonResponse(OrderView, 'Cancelled'), ...errorResponses },
    }),
    async (c) => {
      const loaded = await loadForBuyer(c, c.req.valid('param').id);
      const { caller, order, lines } = loaded;
      if (!loaded.buyer && !(caller && isSellerSide(caller, order))) throw new AppError('FORBIDDEN');
      if (['paid', 'shipped', 'completed'].includes(order.status)) throw new AppError('ORDER_NOT_CANCELLABLE');
      const now = Date.now();
      // One batch: the status flip (guarded on still unpaid), every unit back to where it was taken, the shares void.
      const view = await transition(c, loaded, ['pending_payment'], { status: 'cancelled', closedAt: now }, [
        ...lines.map((l) => putStock(c.var.db, order.stockOwnerId, l.productId, l.qty)),
        c.var.db.update(orderShares).set({ status: 'void' }).where(eq(orderShares.orderId, order.id)),
      ]);
      // A guest is not told which agent sells (see toGuestView).
      return c.json(caller ? view : { ...view, agentId: null }, 200);
    },
  );
