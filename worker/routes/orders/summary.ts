import { z } from '@hono/zod-openapi';
import { orderStatuses } from '../../../db/schema';

export const OrderSummary = z
  .object({
    id: z.string(),
    number: z.string().openapi({ description: 'The order number people see' }),
    kind: z.enum(['consumer', 'restock', 'pickup']),
    status: z.enum(orderStatuses),
    agentId: z.string(),
    payeeId: z.string(),
    memberId: z.string().nullable(),
    paymentMethod: z.enum(['online', 'offline']),
    amountFen: z.number().int(),
    refundedFen: z.number().int(),
    shipName: z.string().nullable(),
    trackingNo: z.string().nullable(),
    createdAt: z.number().int(),
    productName: z.string().nullable().openapi({ description: 'The first line’s product' }),
    thumbnail: z.string().nullable().openapi({ description: 'The first line’s product picture' }),
    lineCount: z.number().int(),
  })
  .openapi('OrderSummary');
