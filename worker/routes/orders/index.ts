import { createRouter } from '../../http';
import { createOrderRoutes } from './create';
import { fulfilRoutes } from './fulfil';
import { paymentRoutes } from './payment';
import { readRoutes } from './read';
import { refundRoutes } from './refund';
import { searchRoutes } from './search';
import { shipRowsRoutes } from './shipRows';

// Orders: placing, paying, shipping, completing, cancelling, refusing, refunding, reading.
export const orderRoutes = createRouter()
  .route('/', createOrderRoutes)
  .route('/', paymentRoutes)
  .route('/', fulfilRoutes)
  .route('/', refundRoutes)
  // Before readRoutes, whose /orders/{id} would take /orders/search.
  .route('/', searchRoutes)
  .route('/', shipRowsRoutes)
  .route('/', readRoutes);
