import type { Lang } from '../../lib/i18n';
import type { Labels } from '../../lib/orderLabels';

export {
  applicationStatus,
  levelLabel,
  orderKind,
  orderStatus,
  paymentMethod,
} from '../../lib/orderLabels';

import type {
  AccountName,
  AgentStatus,
  ApplicationState,
  CertificateStatus,
  OrderStatus,
  WithdrawalStatus,
} from './types';

export const agentStatus: Labels<AgentStatus> = {
  zh: { active: '正常', suspended: '已停货', revoked: '已撤销' },
  en: { active: 'Active', suspended: 'Suspended', revoked: 'Revoked' },
};

export const certificateStatus: Labels<CertificateStatus> = {
  zh: { valid: '有效', suspended: '已暂停', revoked: '已撤销', expired: '已过期' },
  en: { valid: 'Valid', suspended: 'Suspended', revoked: 'Revoked', expired: 'Expired' },
};

export const withdrawalStatus: Labels<WithdrawalStatus> = {
  zh: { requested: '审核中', paying: '转账中', paid: '已打款', failed: '转账失败，已退回', rejected: '已驳回' },
  en: {
    requested: 'In review',
    paying: 'Transferring',
    paid: 'Paid',
    failed: 'Transfer failed, returned',
    rejected: 'Rejected',
  },
};

export const accountName: Labels<AccountName> = {
  // Earnings are credited to the wallet account at payment; each credit says whether it is still held (待结算).
  zh: { pending: '待结算(历史)', available: '收益钱包', withdrawing: '提现中', offline: '线下收款' },
  en: { pending: 'Pending (history)', available: 'Wallet', withdrawing: 'Withdrawing', offline: 'Received offline' },
};

// Ledger transaction kinds (worker/routes/orders/booking.ts, refund.ts, worker/release.ts, withdrawals.ts,
// inspections.ts).
const entryKinds: Record<Lang, Record<string, string>> = {
  zh: {
    payment: '订单收益',
    release: '解冻到账',
    refund: '退款冲回',
    withdrawal: '申请提现',
    withdrawal_paid: '提现已打款',
    withdrawal_returned: '提现退回',
    fine: '稽查罚款',
    conversion: '待结算转入钱包',
  },
  en: {
    payment: 'Order earnings',
    release: 'Released',
    refund: 'Refund reversal',
    withdrawal: 'Withdrawal requested',
    withdrawal_paid: 'Withdrawal paid',
    withdrawal_returned: 'Withdrawal returned',
    fine: 'Fine',
    conversion: 'Held shares moved to the wallet',
  },
};

export function entryKind(kind: string, lang: Lang): string {
  return entryKinds[lang][kind] ?? kind;
}

/** The badge colour (classes in styles/global.css and console.css) of each status. */
export function tone(
  status: AgentStatus | OrderStatus | ApplicationState | CertificateStatus | WithdrawalStatus,
): string {
  switch (status) {
    case 'active':
    case 'valid':
    case 'approved':
    case 'completed':
      return 'valid';
    case 'paid':
    case 'shipped':
      return 'cx-info';
    case 'pending':
    case 'pending_payment':
    case 'requested':
    case 'suspended':
      return 'pending';
    case 'revoked':
    case 'rejected':
    case 'refused':
      return 'revoked';
    default:
      return 'expired';
  }
}
