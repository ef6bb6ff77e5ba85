import type { Lang } from '../../../lib/i18n';
import { formatFen } from '../../../lib/money';
import type { Action, Case, CaseKind, CaseStatus } from './types';

export const labels = {
  zh: {
    status: {
      open: '待处理',
      dismissed: '已驳回',
      warned: '已警告',
      fined: '已罚款',
      supply_stopped: '已停货',
      revoked: '已撤销授权',
    } as Record<CaseStatus, string>,
    kind: { cross_region: '串货', price_report: '乱价举报' } as Record<CaseKind, string>,
    action: { dismiss: '驳回', warn: '警告', fine: '罚款', stop_supply: '停货', revoke: '撤销授权' } as Record<
      Action,
      string
    >,
    actionHint: {
      dismiss: '不成立或已核实无违规；不通知代理',
      warn: '通知代理，不做其他处罚',
      fine: '从代理可提现余额扣款，不足部分计为欠款，还清前不能提现',
      stop_supply: '代理不能进货和提货，直到恢复供货',
      revoke: '最终处理：授权书显示已撤销，直属下级转给其上级，代理被强制退出',
    } as Record<Action, string>,
  },
  en: {
    status: {
      open: 'Open',
      dismissed: 'Dismissed',
      warned: 'Warned',
      fined: 'Fined',
      supply_stopped: 'Supply stopped',
      revoked: 'Revoked',
    } as Record<CaseStatus, string>,
    kind: { cross_region: 'Cross-selling', price_report: 'Price report' } as Record<CaseKind, string>,
    action: { dismiss: 'Dismiss', warn: 'Warn', fine: 'Fine', stop_supply: 'Stop supply', revoke: 'Revoke' } as Record<
      Action,
      string
    >,
    actionHint: {
      dismiss: 'Unfounded or checked; the agent is not told',
      warn: 'Tell the agent, nothing else',
      fine: 'Taken from the available balance; a shortfall is a debt that blocks withdrawals',
      stop_supply: 'No restocks or pickups until supply is resumed',
      revoke: 'Final: the certificate shows revoked, the direct downline moves up, the agent is signed out',
    } as Record<Action, string>,
  },
};

export const text = {
  zh: {
    title: '稽查',
    lead: '防伪码在授权区域外查验产生的串货记录，以及公众提交的乱价举报。核实后驳回、警告、罚款、停货或撤销授权；每次处理都会通知代理并记入操作记录。',
    filters: '筛选稽查记录',
    statusLabel: '状态',
    kindLabel: '类型',
    any: '全部',
    onlyAgent: (name: string) => `只看代理：${name}`,
    allAgents: '查看全部代理',
    list: '稽查记录',
    empty: '没有符合条件的稽查记录。',
    time: '时间',
    agent: '代理',
    product: '商品',
    finding: '情况',
    seenIn: (seen: string, authorized: string) => `在 ${seen} 查验（授权区域：${authorized}）`,
    hits: (n: number) => `${n} 次`,
    price: (seen: string) => `售价 ${seen}`,
    below: (diff: string, pct: number) => `低于零售价 ${diff}（${pct}%）`,
    back: '返回稽查列表',
    loading: '加载中…',
    facts: '记录详情',
    caseTitle: (kind: string) => `${kind}记录`,
    code: '防伪码',
    regionSeen: '查验地区',
    authorizedRegion: '授权区域',
    hitCount: '区域外查验次数',
    priceSeen: '举报售价',
    retail: '零售价',
    note: '举报说明',
    contact: '举报人联系方式',
    evidence: '证据图片',
    evidenceAlt: (n: number) => `证据图片 ${n}`,
    created: '发现时间',
    decided: '处理时间',
    resolution: '处理原因',
    fine: '罚款金额',
    agentTitle: '涉事代理',
    level: '等级',
    region: '授权区域',
    supply: '供货',
    supplied: '正常供货',
    stoppedSince: (at: string) => `已停货（${at} 起）`,
    agentRevoked: '授权已撤销',
    act: '处理',
    actLegend: '处理方式',
    reason: '处理原因',
    reasonHint: '2–200 字，代理会在通知中看到（驳回除外）',
    fineAmount: '罚款金额（元）',
    fineHint: '例如 500 或 500.00，最高 100000 元',
    submit: (action: string) => `确认${action}`,
    busy: '处理中…',
    closed: '该记录已处理。',
    needReason: '请填写处理原因（至少 2 个字）',
    confirmFine: (name: string, amount: string) =>
      `确认对 ${name} 罚款 ${amount}？罚款从其可提现余额扣除，并通知该代理。`,
    confirmStop: (name: string) => `确认对 ${name} 停货？停货期间不能进货，店铺关闭，也不产生收益。`,
    confirmRevoke: (name: string) => `确认撤销 ${name} 的授权？撤销是最终操作，不能恢复。`,
    badFine: '请输入 0.01 至 100000 元之间的金额，最多两位小数',
    done: (label: string) => `已处理：${label}。`,
    supplyTitle: '停货 / 恢复供货',
    supplyLead: '不经稽查记录直接停货或恢复供货，代理会收到通知。',
    supplyReason: '原因',
    stop: '停货',
    resume: '恢复供货',
    stopped: '已停货，代理收到通知。',
    resumed: '已恢复供货，代理收到通知。',
  },
  en: {
    title: 'Policing',
    lead: 'Cross-selling flags raised when a code is verified outside the agent’s authorized region, and price-breaking reports from the public. Dismiss, warn, fine, stop supply or revoke; each decision tells the agent and is audited.',
    filters: 'Filter cases',
    statusLabel: 'Status',
    kindLabel: 'Kind',
    any: 'All',
    onlyAgent: (name: string) => `Agent: ${name}`,
    allAgents: 'All agents',
    list: 'Cases',
    empty: 'No cases match.',
    time: 'When',
    agent: 'Agent',
    product: 'Product',
    finding: 'Finding',
    seenIn: (seen: string, authorized: string) => `Verified in ${seen} (authorized: ${authorized})`,
    hits: (n: number) => `${n}×`,
    price: (seen: string) => `Sold at ${seen}`,
    below: (diff: string, pct: number) => `${diff} below retail (${pct}%)`,
    back: 'Back to cases',
    loading: 'Loading…',
    facts: 'Case',
    caseTitle: (kind: string) => kind,
    code: 'Code',
    regionSeen: 'Verified in',
    authorizedRegion: 'Authorized region',
    hitCount: 'Out-of-region verifications',
    priceSeen: 'Price seen',
    retail: 'Retail price',
    note: 'Report',
    contact: 'Reporter contact',
    evidence: 'Evidence pictures',
    evidenceAlt: (n: number) => `Evidence picture ${n}`,
    created: 'Raised',
    decided: 'Decided',
    resolution: 'Reason',
    fine: 'Fine',
    agentTitle: 'Agent',
    level: 'Level',
    region: 'Authorized region',
    supply: 'Supply',
    supplied: 'Supplied',
    stoppedSince: (at: string) => `Stopped since ${at}`,
    agentRevoked: 'Revoked',
    act: 'Decide',
    actLegend: 'Decision',
    reason: 'Reason',
    reasonHint: '2–200 characters; the agent sees it (except for a dismissal)',
    fineAmount: 'Fine (yuan)',
    fineHint: 'e.g. 500 or 500.00, at most 100000',
    submit: (action: string) => `Confirm: ${action}`,
    busy: 'Working…',
    closed: 'This case is closed.',
    needReason: 'Enter a reason (at least 2 characters)',
    confirmFine: (name: string, amount: string) =>
      `Fine ${name} ${amount}? It is taken from the available balance and the agent is told.`,
    confirmStop: (name: string) => `Stop ${name}’s supply? No restocking, shop closed, no earnings until resumed.`,
    confirmRevoke: (name: string) => `Revoke ${name}’s authorization? This is final.`,
    badFine: 'Enter an amount from 0.01 to 100000 yuan, with at most two decimals',
    done: (label: string) => `Done: ${label}.`,
    supplyTitle: 'Stop or resume supply',
    supplyLead: 'Stop or resume supply outside a case; the agent is told.',
    supplyReason: 'Reason',
    stop: 'Stop supply',
    resume: 'Resume supply',
    stopped: 'Supply stopped; the agent is told.',
    resumed: 'Supply resumed; the agent is told.',
  },
};

export function statusTone(status: CaseStatus): string {
  if (status === 'open') return 'pending';
  if (status === 'dismissed') return 'expired';
  return status === 'warned' ? 'ad-info' : 'revoked';
}

/** What was seen: where a code was verified, or the price against retail. */
export function finding(item: Case, lang: Lang): string {
  const t = text[lang];
  if (item.kind === 'cross_region') {
    return `${t.seenIn(item.regionSeen ?? '—', item.authorizedRegion ?? item.agent.region)} · ${t.hits(item.hits)}`;
  }
  if (item.priceSeenFen === null) return '—';
  const seen = t.price(formatFen(item.priceSeenFen));
  if (item.retailFen === null || item.priceSeenFen >= item.retailFen) return seen;
  const diff = item.retailFen - item.priceSeenFen;
  return `${seen}，${t.below(formatFen(diff), Math.round((diff * 100) / item.retailFen))}`;
}
