import type { Lang } from '../../lib/i18n';
import { type Labels, orderStatus } from '../../lib/orderLabels';

export {
  applicationStatus,
  levelLabel,
  orderKind,
  orderStatus,
  paymentMethod,
} from '../../lib/orderLabels';

import type { AgentStatus, ApplicationState, BindingPolicy, OrderStatus, StockModel, WithdrawalStatus } from './types';

export const agentStatus: Labels<AgentStatus> = {
  zh: { active: '正常', suspended: '已暂停', revoked: '已撤销' },
  en: { active: 'Active', suspended: 'Suspended', revoked: 'Revoked' },
};

export const orderStatuses = Object.keys(orderStatus.zh) as OrderStatus[];

export const withdrawalStatus: Labels<WithdrawalStatus> = {
  zh: { requested: '待审核', paying: '转账中', paid: '已打款', failed: '转账失败', rejected: '已驳回' },
  en: { requested: 'To review', paying: 'Transferring', paid: 'Paid', failed: 'Transfer failed', rejected: 'Rejected' },
};

export const stockModel: Labels<StockModel> = {
  zh: { direct: '厂家统一发货', cloud: '云仓（逐级拿货）' },
  en: { direct: 'Brand ships (direct)', cloud: 'Cloud stock' },
};

export const bindingPolicy: Labels<BindingPolicy> = {
  zh: { permanent: '永久锁粉', rebind: '可改绑' },
  en: { permanent: 'Permanent', rebind: 'Re-bindable' },
};

const auditActions: Labels<string> = {
  zh: {
    'agent.suspend': '暂停',
    'agent.resume': '恢复',
    'agent.revoke': '撤销',
    'agent.upgrade': '升级',
    'agent.downgrade': '降级',
    'application.approve': '通过申请',
    'application.reject': '拒绝申请',
    'brand.settings': '修改品牌设置',
    'brand.pay_qr': '更换品牌收款码',
    'brand.levels': '修改等级表',
    'product.create': '新建商品',
    'product.update': '修改商品',
    'stock.adjust': '调整库存',
    'withdrawal.request': '申请提现',
    'withdrawal.approve': '提现打款',
    'withdrawal.reject': '驳回提现',
    'agent.supply_stop': '停货',
    'agent.supply_resume': '恢复供货',
    'inspection.dismiss': '稽查：驳回',
    'inspection.warn': '稽查：警告',
    'inspection.fine': '稽查：罚款',
    'inspection.stop_supply': '稽查：停货',
    'inspection.revoke': '稽查：撤销授权',
    'codes.batch.create': '生成防伪码批次',
    'codes.bind': '防伪码发货绑定',
  },
  en: {
    'agent.suspend': 'Suspended',
    'agent.resume': 'Resumed',
    'agent.revoke': 'Revoked',
    'agent.upgrade': 'Upgraded',
    'agent.downgrade': 'Downgraded',
    'application.approve': 'Application approved',
    'application.reject': 'Application rejected',
    'brand.settings': 'Brand settings changed',
    'brand.pay_qr': 'Brand payment QR changed',
    'brand.levels': 'Level table changed',
    'product.create': 'Product created',
    'product.update': 'Product changed',
    'stock.adjust': 'Stock adjusted',
    'withdrawal.request': 'Withdrawal requested',
    'withdrawal.approve': 'Withdrawal paid',
    'withdrawal.reject': 'Withdrawal rejected',
    'agent.supply_stop': 'Supply stopped',
    'agent.supply_resume': 'Supply resumed',
    'inspection.dismiss': 'Inspection: dismissed',
    'inspection.warn': 'Inspection: warned',
    'inspection.fine': 'Inspection: fined',
    'inspection.stop_supply': 'Inspection: supply stopped',
    'inspection.revoke': 'Inspection: revoked',
    'codes.batch.create': 'Code batch created',
    'codes.bind': 'Codes bound at shipment',
  },
};

export function auditAction(action: string, lang: Lang): string {
  return auditActions[lang][action] ?? action;
}

/** The badge colour (classes in styles/global.css and admin.css) of each status. */
export function tone(status: AgentStatus | OrderStatus | ApplicationState | WithdrawalStatus): string {
  switch (status) {
    case 'active':
    case 'approved':
    case 'completed':
      return 'valid';
    case 'paid':
    case 'shipped':
      return 'ad-info';
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
