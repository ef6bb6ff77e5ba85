import { z } from '@hono/zod-openapi';
import type { LineRow, OrderRow } from '../../../db/orders';
import { orderStatuses } from '../../../db/schema';
import { trackingUrl } from '../../domain/orderNumber';
import { PersonName, Phone, TextBlock, TextLine } from '../../schemas';

export const LineInput = z.strictObject({
  productId: z.string().regex(/^prd_[0-9a-z]{26}$/),
  qty: z.number().int().min(1).max(9999),
});

const Lines = z
  .array(LineInput)
  .min(1)
  .max(20)
  .refine((lines) => new Set(lines.map((l) => l.productId)).size === lines.length, { message: 'blank' });

export const Shipping = z.strictObject({
  name: PersonName,
  phone: Phone,
  address: TextLine(200, 5),
});

const PaymentMethod = z.enum(['online', 'offline']);

export const CreateOrder = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('consumer'),
      shopCode: z
        .string()
        .regex(/^[0-9a-z]{8}$/)
        .openapi({ description: 'The agent whose shop link was opened' }),
      lines: Lines,
      paymentMethod: PaymentMethod,
      shipping: Shipping,
      note: TextBlock(200).optional(),
    }),
    z.strictObject({
      kind: z.literal('restock'),
      lines: Lines,
      paymentMethod: PaymentMethod,
      note: TextBlock(200).optional(),
    }),
    z.strictObject({
      kind: z.literal('pickup'),
      lines: Lines,
      shipping: Shipping,
      note: TextBlock(200).optional(),
    }),
  ])
  .openapi('CreateOrder');

export const OrderView = z
  .object({
    id: z.string(),
    number: z.string().openapi({ description: 'The order number people see (18 digits, time-ordered)' }),
    kind: z.enum(['consumer', 'restock', 'pickup']),
    status: z.enum(orderStatuses),
    stockModel: z.enum(['direct', 'cloud']),
    agentId: z.string().nullable().openapi({
      description: 'The agent it is sold through; null in a guest’s view (whose a phone is is not told to anyone)',
    }),
    payeeId: z.string().openapi({ description: 'Who is paid and confirms an offline payment: an agent id or "brand"' }),
    memberId: z.string().nullable(),
    paymentMethod: PaymentMethod,
    amountFen: z.number().int(),
    refundedFen: z.number().int(),
    shipping: z.object({ name: z.string(), phone: z.string(), address: z.string() }).nullable(),
    carrier: z.string().nullable(),
    trackingNo: z.string().nullable(),
    trackingUrl: z.string().nullable().openapi({ description: 'The carrier’s page for this tracking number' }),
    payee: z
      .object({
        name: z.string(),
        payNote: z.string(),
        payQrUrl: z
          .string()
          .nullable()
          .openapi({ description: 'The payee’s 收款码 (payment QR picture), if uploaded' }),
      })
      .nullable()
      .openapi({ description: 'Who is paid (the order’s agent or the brand) and how to pay them offline' }),
    servedBy: z
      .object({ name: z.string(), levelName: z.string(), certNumber: z.string().nullable() })
      .nullable()
      .openapi({
        description:
          'The agent serving a consumer order (read answers only); null for a guest whose unproved phone is bound to ' +
          'another agent than the shop’s',
      }),
    note: z.string().nullable(),
    createdAt: z.number().int(),
    paidAt: z.number().int().nullable(),
    shippedAt: z.number().int().nullable(),
    completedAt: z.number().int().nullable(),
    closedAt: z.number().int().nullable(),
    expiresAt: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'An unpaid order is cancelled at this time (ms) and its units go back' }),
    latePayment: z
      .object({
        amountFen: z.number().int(),
        refundedAt: z.number().int().nullable(),
        reference: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: 'Money collected after the order was cancelled, owed back to the payer until refunded' }),
    lines: z.array(
      z.object({
        productId: z.string(),
        name: z.string(),
        qty: z.number().int(),
        unitFen: z.number().int(),
        refundedQty: z.number().int(),
      }),
    ),
  })
  .openapi('Order');

export type OrderViewT = z.infer<typeof OrderView>;

type LateKeys = 'latePaidFen' | 'lateRefundedAt' | 'lateRefundRef' | 'guestTokenHash' | 'agentShown';
type ViewRow = Omit<OrderRow, LateKeys> & Partial<Pick<OrderRow, LateKeys>>;

// A new order has no late payment, so its row may leave those columns out.
export function toOrderView(order: ViewRow, lines: readonly LineRow[]): OrderViewT {
  return {
    id: order.id,
    number: order.orderNo ?? order.id,
    kind: order.kind,
    status: order.status,
    stockModel: order.stockModel,
    agentId: order.agentId,
    payeeId: order.payeeId,
    memberId: order.memberId,
    paymentMethod: order.paymentMethod,
    amountFen: order.amountFen,
    refundedFen: order.refundedFen,
    shipping:
      order.shipName && order.shipPhone && order.shipAddress
        ? { name: order.shipName, phone: order.shipPhone, address: order.shipAddress }
        : null,
    carrier: order.carrier,
    trackingNo: order.trackingNo,
    trackingUrl: trackingUrl(order.carrier, order.trackingNo),
    payee: null,
    servedBy: null,
    note: order.note,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
    shippedAt: order.shippedAt,
    completedAt: order.completedAt,
    closedAt: order.closedAt,
    expiresAt: order.status === 'pending_payment' ? order.expiresAt : null,
    latePayment: order.latePaidFen
      ? {
          amountFen: order.latePaidFen,
          refundedAt: order.lateRefundedAt ?? null,
          reference: order.lateRefundRef ?? null,
        }
      : null,
    lines: lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      qty: l.qty,
      unitFen: l.unitFen,
      refundedQty: l.refundedQty,
    })),
  };
}

// What a guest (holding the order's token, or its phone) sees: not which agent sells it, which could be one its
// phone is bound to.
export function toGuestView(order: ViewRow, lines: readonly LineRow[]): OrderViewT {
  return { ...toOrderView(order, lines), agentId: null };
}

export { IdParam as OrderIdParam } from '../../schemas';
