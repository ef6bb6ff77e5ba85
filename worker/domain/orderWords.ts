import type { Lang } from '../i18n';

// How orders read to people (exports, messages): the API's enums in the reader's language.
type Words<K extends string> = Record<Lang, Record<K, string>>;

export const orderStatusWords: Words<
  'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled' | 'refused' | 'refunded'
> = {
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

export const orderKindWords: Words<'consumer' | 'restock' | 'pickup'> = {
  zh: { consumer: '零售', restock: '进货', pickup: '提货' },
  en: { consumer: 'Retail', restock: 'Restock', pickup: 'Pickup' },
};

export const paymentWords: Words<'online' | 'offline'> = {
  zh: { online: '在线支付', offline: '线下转账' },
  en: { online: 'Online', offline: 'Offline transfer' },
};

export const brandWord: Record<Lang, string> = { zh: '品牌方', en: 'Brand' };
