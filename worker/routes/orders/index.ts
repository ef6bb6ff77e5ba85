import { createRouter } from '../../http';
import { afterSalesRoutes } from './afterSales';
import { buyerRoutes } from './buyer';
import { createOrderRoutes } from './create';
import { findRoutes } from './find';
import { fulfilRoutes } from './fulfil';
import { lookupRoutes } from './lookup';
import { onlinePayRoutes } from './onlinePay';
import { paymentRoutes } from './payment';
import { readRoutes } from './read';
import { refundRoutes } from './refund';
import { gatewayRefundRoutes } from './refundRoutes';
import { searchRoutes } from './search';
import { servingRoutes } from './serving';
import { shipRowsRoutes } from './shipRows';

// Orders: placing, paying, shipping, completing, cancelling, refusing, refunding, reading.
// The guest lookup comes first: GET /orders/lookup must not be read as GET /orders/{id}.
export const orderRoutes = createRouter()
  .route('/', lookupRoutes)
  .route('/', createOrderRoutes)
  .route('/', servingRoutes)
  .route('/', findRoutes)
  .route('/', onlinePayRoutes)
  .route('/', paymentRoutes)
  .route('/', gatewayRefundRoutes)
  .route('/', fulfilRoutes)
  .route('/', buyerRoutes)
  .route('/', afterSalesRoutes)
  .route('/', refundRoutes)
  // Before readRoutes, whose /orders/{id} would take /orders/search.
  .route('/', searchRoutes)
  .route('/', shipRowsRoutes)
  .route('/', readRoutes);
