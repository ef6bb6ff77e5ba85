import type { Lang } from '../../lib/i18n';

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled' | 'refused' | 'refunded';

/** Who is paid and how to pay them offline; `payQrUrl` is the payee's uploaded 收款码 where there is one. */
export interface Payee {
  name: string;
  payNote: string;
  payQrUrl?: string | null;
}

export interface ServedBy {
  name: string;
  levelName: string;
  certNumber: string | null;
}

/** GET /api/orders/{id} and /api/orders/{id}/track (the API's Order schema). */
export interface Order {
  id: string;
  /** The order number people see and copy (18 digits). */
  number: string;
  kind: 'consumer' | 'restock' | 'pickup';
  status: OrderStatus;
  /** Null in a guest's view. */
  agentId: string | null;
  payeeId: string;
  memberId: string | null;
  paymentMethod: 'online' | 'offline';
  amountFen: number;
  refundedFen: number;
  shipping: { name: string; phone: string; address: string } | null;
  carrier: string | null;
  trackingNo: string | null;
  /** The carrier's page for the tracking number. */
  trackingUrl: string | null;
  /** Who is paid and how to pay them offline (read answers only). */
  payee: Payee | null;
  /** The agent serving a consumer order; null when a guest may not be told. */
  servedBy?: ServedBy | null;
  note: string | null;
  createdAt: number;
  paidAt: number | null;
  shippedAt: number | null;
  completedAt: number | null;
  closedAt: number | null;
  /** An unpaid order is cancelled at this time. */
  expiresAt: number | null;
  /** A guest's order token, returned once when the order is placed. */
  orderToken?: string;
  lines: { productId: string; name: string; qty: number; unitFen: number; refundedQty: number }[];
}

/** GET /api/orders (the API's OrderSummary schema). */
export interface OrderSummary {
  id: string;
  number: string;
  status: OrderStatus;
  paymentMethod: 'online' | 'offline';
  amountFen: number;
  refundedFen: number;
  shipName: string | null;
  trackingNo: string | null;
  createdAt: number;
}

/** GET /api/members/me */
export interface Member {
  id: string;
  phone: string;
  name: string;
  boundAgent: { id: string; code: string; name: string } | null;
}

export const statusText: Record<Lang, Record<OrderStatus, string>> = {
  zh: {
    pending_payment: '待付款',
    paid: '已付款，待发货',
    shipped: '已发货',
    completed: '已完成',
    cancelled: '已取消',
    refused: '已拒绝',
    refunded: '已退款',
  },
  en: {
    pending_payment: 'Awaiting payment',
    paid: 'Paid, to be shipped',
    shipped: 'Shipped',
    completed: 'Completed',
    cancelled: 'Cancelled',
    refused: 'Refused',
    refunded: 'Refunded',
  },
};

export const orderUrl = (id: string) => `/order?id=${encodeURIComponent(id)}`;
export const PHONE = /^1[3-9]\d{9}$/;
