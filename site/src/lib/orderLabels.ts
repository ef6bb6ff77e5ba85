import type { Lang } from './i18n';

// Order and application wording both consoles share (the API's enums, GET /api/orders and /api/applications).
export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled' | 'refused' | 'refunded';
export type OrderKind = 'consumer' | 'restock' | 'pickup';
export type PaymentMethod = 'online' | 'offline';
export type ApplicationState = 'pending' | 'approved' | 'rejected';

export type Labels<K extends string> = Record<Lang, Record<K, string>>;

export const orderStatus: Labels<OrderStatus> = {
  zh: {
    pending_payment: '待付款',
    paid: '待发货',
    shipped: '已发货',
    completed: '已完成',
    cancelled: '已取消',
    refused: '已拒绝',
    refunded: '已退款',
  },
  en: {
    pending_payment: 'Awaiting payment',
    paid: 'To ship',
    shipped: 'Shipped',
    completed: 'Completed',
    cancelled: 'Cancelled',
    refused: 'Refused',
    refunded: 'Refunded',
  },
};

export const orderKind: Labels<OrderKind> = {
  zh: { consumer: '零售', restock: '进货', pickup: '提货' },
  en: { consumer: 'Retail', restock: 'Restock', pickup: 'Pickup' },
};

export const paymentMethod: Labels<PaymentMethod> = {
  zh: { online: '在线支付', offline: '线下转账' },
  en: { online: 'Online', offline: 'Offline transfer' },
};

export const applicationStatus: Labels<ApplicationState> = {
  zh: { pending: '待审核', approved: '已通过', rejected: '已拒绝' },
  en: { pending: 'Pending', approved: 'Approved', rejected: 'Rejected' },
};

/** A level's name, or "第 N 级" when the table does not have it. */
export function levelLabel(levels: readonly { rank: number; name: string }[], rank: number, lang: Lang): string {
  return levels.find((l) => l.rank === rank)?.name ?? (lang === 'en' ? `Level ${rank}` : `第 ${rank} 级`);
}
