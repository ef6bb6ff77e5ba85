import { formatFen } from '../lib/money';
import type { AgentStatus, InspectionKind, InspectionStatus, NoticeKind } from './types';

export const inspectionActions = ['dismiss', 'warn', 'fine', 'stop_supply', 'revoke'] as const;
export type InspectionAction = (typeof inspectionActions)[number];

// A case closes in the status named after what the brand did.
export const statusAfter: Record<InspectionAction, Exclude<InspectionStatus, 'open'>> = {
  dismiss: 'dismissed',
  warn: 'warned',
  fine: 'fined',
  stop_supply: 'supply_stopped',
  revoke: 'revoked',
};

// What the agent is told; a dismissed case tells it nothing.
export const noticeKindOf: Record<InspectionAction, NoticeKind | null> = {
  dismiss: null,
  warn: 'warning',
  fine: 'fine',
  stop_supply: 'supply_stopped',
  revoke: 'revoked',
};

// Only an open case is acted on. A revoked agent can no longer sign in, restock or be revoked again, so its case can
// only be dismissed or end in a fine (a debt that stays on its wallet).
export function allowedActions(status: InspectionStatus, agentStatus: AgentStatus): InspectionAction[] {
  if (status !== 'open') return [];
  return agentStatus === 'revoked' ? ['dismiss', 'fine'] : [...inspectionActions];
}

export const FINE_MAX_FEN = 10_000_000;

// fineFen belongs to a fine and only to a fine.
export function fineProblem(action: InspectionAction, fineFen: number | undefined): 'missing' | 'unexpected' | null {
  if (action === 'fine') return fineFen === undefined ? 'missing' : null;
  return fineFen === undefined ? null : 'unexpected';
}

const fineProblemText = {
  zh: { missing: '罚款须填写罚款金额', unexpected: '只有罚款需要填写罚款金额' },
  en: { missing: 'A fine needs an amount', unexpected: 'Only a fine takes an amount' },
};

export function fineProblemMessage(problem: 'missing' | 'unexpected', lang: 'zh' | 'en'): string {
  return lang === 'en' ? `fineFen: ${fineProblemText.en[problem]}` : `fineFen：${fineProblemText.zh[problem]}`;
}

const causeText: Record<InspectionKind, string> = {
  cross_region: '授权区域外销售（串货）',
  price_report: '低于品牌零售价销售（乱价）',
};

// The notice the agent reads in its console (zh-CN, as the console is).
export function noticeMessage(
  kind: NoticeKind,
  input: { reason: string; fineFen?: number | null; cause?: InspectionKind | null },
): string {
  const cause = input.cause ? `稽查发现：${causeText[input.cause]}。` : '';
  // The templates punctuate after the reason.
  const reason = input.reason.replace(/[。.!！;；]+$/u, '');
  switch (kind) {
    case 'warning':
      return `${cause}品牌方警告：${reason}。请遵守授权区域与品牌控价，再次违规将被罚款、停货或撤销授权。`;
    case 'fine':
      return `${cause}品牌方罚款 ${formatFen(input.fineFen ?? 0)}：${reason}。罚款已从可提现余额扣除，不足部分计为欠款，还清前不能提现。`;
    case 'supply_stopped':
      return `${cause}品牌方已对您停货：${reason}。停货期间不能进货和提货。`;
    case 'supply_resumed':
      return `品牌方已恢复对您供货：${reason}。`;
    case 'revoked':
      return `${cause}您的代理授权已被撤销：${reason}。`;
  }
}

// A reporter gives the agent's code or pastes its shop link (https://…/s/<code>?…); either way, the 8-character code.
export function agentCodeIn(input: string): string | null {
  const text = input.trim().toLowerCase();
  const link = /\/s\/([0-9a-z]{8})(?:[/?#]|$)/.exec(text);
  if (link?.[1]) return link[1];
  return /^[0-9a-z]{8}$/.test(text) ? text : null;
}

/** How a report names an agent: its code (typed or inside a shop link), its WeChat ID or its phone. */
export interface AgentRef {
  code: string | null;
  wechat: string | null;
  phone: string | null;
}

// WeChat IDs: 6–20 letters, digits, _ or -, starting with a letter; compared case-insensitively (people type them
// as they remember them). Phones: mainland mobile numbers, spaces, dashes and a +86 prefix ignored.
export function agentRefIn(input: string): AgentRef | null {
  const text = input.trim();
  const code = agentCodeIn(text);
  const wechat = /^[a-zA-Z][-_a-zA-Z0-9]{5,19}$/.test(text) ? text.toLowerCase() : null;
  const digits = text.replace(/[\s\-()]/g, '').replace(/^(?:\+?86)(?=1\d{10}$)/, '');
  const phone = /^1\d{10}$/.test(digits) ? digits : null;
  if (!code && !wechat && !phone) return null;
  return { code, wechat, phone };
}
