import type { Lang } from '../i18n';

// An agent's statement as people read it: one line per thing that happened ("订单 2026… 收益 ¥12.00 待结算",
// "解冻到账 ¥12.00", "提现 ¥100.00"), made from the entries one ledger transaction booked on the agent's own
// accounts. A move between two of its accounts (pending → available) is one line, not a bookkeeping pair.

export type StatementAccount = 'pending' | 'available' | 'withdrawing' | 'offline';

export interface TxnEntry {
  account: StatementAccount;
  amountFen: number;
}

/** in: the agent's money grew; out: it shrank (or left); move: it changed place (released, paid out as asked). */
export type Direction = 'in' | 'out' | 'move';

export interface StatementFacts {
  kind: string;
  direction: Direction;
  /** The amount that happened, never negative; the direction says which way. */
  amountFen: number;
  /** Where the money is after it: the account that received it, or null when it left the agent. */
  account: StatementAccount | null;
}

const sum = (entries: TxnEntry[], account?: StatementAccount) =>
  entries.filter((e) => !account || e.account === account).reduce((n, e) => n + e.amountFen, 0);

/** The facts of one transaction's entries on the agent's accounts. */
export function statementFacts(kind: string, entries: TxnEntry[]): StatementFacts {
  const net = sum(entries);
  const received = entries.filter((e) => e.amountFen > 0);
  // The account the money ended in: the one that gained most (a release's available, a request's withdrawing).
  const gained = received.sort((a, b) => b.amountFen - a.amountFen)[0]?.account ?? null;
  if (net === 0) {
    // Moved between its own accounts: the amount is what arrived where it went.
    const moved = received.reduce((n, e) => n + e.amountFen, 0);
    return { kind, direction: kind === 'withdrawal' ? 'out' : 'move', amountFen: moved, account: gained };
  }
  if (kind === 'withdrawal_paid') return { kind, direction: 'move', amountFen: -net, account: null };
  return net > 0
    ? { kind, direction: 'in', amountFen: net, account: gained }
    : { kind, direction: 'out', amountFen: -net, account: null };
}

type Say = (p: { amount: string; order: string; note: string; facts: StatementFacts }) => string;

const accountWords: Record<Lang, Record<StatementAccount, string>> = {
  zh: { pending: '待结算', available: '可提现', withdrawing: '提现中', offline: '线下收款' },
  en: { pending: 'pending', available: 'available', withdrawing: 'being withdrawn', offline: 'received offline' },
};

const said: Record<Lang, Record<string, Say>> = {
  zh: {
    payment: ({ amount, order, facts }) =>
      facts.account === 'offline'
        ? `${order}买方线下付款 ${amount}（直接付给您）`
        : `${order}收益 ${amount} ${accountWords.zh[facts.account ?? 'pending']}`,
    release: ({ amount, order }) => `${order}解冻到账 ${amount}，可提现`,
    refund: ({ amount, order }) => `${order}退款，收益冲回 ${amount}`,
    reward: ({ amount, order }) => `${order}推荐奖励 ${amount} 待结算`,
    reward_reversal: ({ amount, order }) => `${order}退款，推荐奖励冲回 ${amount}`,
    withdrawal: ({ amount }) => `申请提现 ${amount}，等待品牌方打款`,
    withdrawal_paid: ({ amount }) => `提现 ${amount} 已打款`,
    withdrawal_returned: ({ amount }) => `提现 ${amount} 未成功，已退回可提现`,
    fine: ({ amount, note }) => `稽查罚款 ${amount}${note ? `：${note}` : ''}`,
  },
  en: {
    payment: ({ amount, order, facts }) =>
      facts.account === 'offline'
        ? `${order}paid to you offline: ${amount}`
        : `${order}earnings ${amount}, ${accountWords.en[facts.account ?? 'pending']}`,
    release: ({ amount, order }) => `${order}released: ${amount} now available`,
    refund: ({ amount, order }) => `${order}refunded: earnings of ${amount} reversed`,
    reward: ({ amount, order }) => `${order}referral reward ${amount}, pending`,
    reward_reversal: ({ amount, order }) => `${order}refunded: referral reward of ${amount} reversed`,
    withdrawal: ({ amount }) => `Withdrawal of ${amount} requested; the brand will pay it`,
    withdrawal_paid: ({ amount }) => `Withdrawal of ${amount} paid`,
    withdrawal_returned: ({ amount }) => `Withdrawal of ${amount} failed; returned to available`,
    fine: ({ amount, note }) => `Fine ${amount}${note ? `: ${note}` : ''}`,
  },
};

/**
 * The line in words. `amount` is the formatted amount (¥12.00), `orderNo` the human order number (never an id),
 * `note` what the person who booked it wrote (a fine's reason).
 */
export function statementWords(
  facts: StatementFacts,
  p: { amount: string; orderNo: string | null; note: string | null },
  lang: Lang,
): string {
  const order = p.orderNo ? (lang === 'zh' ? `订单 ${p.orderNo} ` : `Order ${p.orderNo} `) : '';
  const say = said[lang][facts.kind];
  if (say) return say({ amount: p.amount, order, note: p.note ?? '', facts });
  // A kind without words of its own still reads as a sentence, never as a code.
  const where = facts.account ? accountWords[lang][facts.account] : '';
  const verb = lang === 'zh' ? (facts.direction === 'out' ? '支出' : '收入') : facts.direction === 'out' ? 'Out' : 'In';
  return `${order}${verb} ${p.amount}${where ? (lang === 'zh' ? ` ${where}` : `, ${where}`) : ''}`.trim();
}
