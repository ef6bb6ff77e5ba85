import type { Lang } from './i18n';

/** Where an agent is paid (GET /api/agents/me/payout-account, and on each withdrawal). */
export interface PayoutAccount {
  kind: 'wechat' | 'alipay' | 'bank';
  name: string;
  account: string;
  bank: string | null;
}

export const payoutKind: Record<Lang, Record<PayoutAccount['kind'], string>> = {
  zh: { wechat: '微信', alipay: '支付宝', bank: '银行卡' },
  en: { wechat: 'WeChat', alipay: 'Alipay', bank: 'Bank card' },
};

/** One line the payer can act on, e.g. 银行卡 · 工商银行 6222 0212 3456 7890 123 · 陈收款 */
export function payoutText(p: PayoutAccount, lang: Lang): string {
  const number = p.kind === 'bank' ? p.account.replace(/(\d{4})(?=\d)/g, '$1 ') : p.account;
  return [payoutKind[lang][p.kind], p.bank ? `${p.bank} ${number}` : number, p.name].join(' · ');
}
