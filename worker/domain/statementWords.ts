import type { Lang } from '../i18n';

// An agent's statement as people read it: one line per thing that happened ("订单 2026… 收益 ¥12.00 待结算",
// "提现 ¥100.00"), made from the entries one ledger transaction booked on the agent's own accounts. A move between two
// of its accounts is one line, not a bookkeeping pair. An order's credit goes to the wallet at payment and its
// release writes no entry (compact ledger): the payment's line says 待结算 while the order's shares are held and
// 已结算 once they are released. Release lines (解冻到账) are only those booked before migration 0024.

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

/** An order's credit: its shares still held (待结算) or released (已结算). */
export type Settlement = 'held' | 'released';

/**
 * The settlement of an entry: for an order's payment credited to the agent's wallet, held while `heldOrders` (orders
 * with a share of the agent's still held) names the order, else released. Null for every other entry: money paid to
 * the agent offline was never held, and a payment booked before migration 0024 on the pending account reads as it
 * always did (its own release line follows it).
 */
export function settlementOf(
  entry: { kind: string; orderId: string | null; account: StatementAccount | null },
  heldOrders: ReadonlySet<string>,
): Settlement | null {
  if (entry.kind !== 'payment' || !entry.orderId) return null;
  if (entry.account !== 'available') return null;
  return heldOrders.has(entry.orderId) ? 'held' : 'released';
}

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

type Say = (p: {
  amount: string;
  order: string;
  note: string;
  facts: StatementFacts;
  settlement: Settlement | null;
}) => string;

const accountWords: Record<Lang, Record<StatementAccount, string>> = {
  zh: { pending: '待结算', available: '可提现', withdrawing: '提现中', offline: '线下收款' },
  en: { pending: 'pending', available: 'available', withdrawing: 'being withdrawn', offline: 'received offline' },
};

const settlementWords: Record<Lang, Record<Settlement, string>> = {
  zh: { held: '待结算', released: '已结算' },
  en: { held: 'held until settled', released: 'settled' },
};

const said: Record<Lang, Record<string, Say>> = {
  zh: {
    payment: ({ amount, order, facts, settlement }) =>
      facts.account === 'offline'
        ? `${order}买方线下付款 ${amount}（直接付给您）`
        : `${order}收益 ${amount} ${settlement ? settlementWords.zh[settlement] : accountWords.zh[facts.account ?? 'pending']}`,
    release: ({ amount, order }) => `${order}解冻到账 ${amount}，可提现`,
    refund: ({ amount, order }) => `${order}退款，收益冲回 ${amount}`,
    reward: ({ amount, order }) => `${order}推荐奖励 ${amount} 待结算`,
    reward_reversal: ({ amount, order }) => `${order}退款，推荐奖励冲回 ${amount}`,
    withdrawal: ({ amount }) => `申请提现 ${amount}，等待品牌方打款`,
    withdrawal_paid: ({ amount }) => `提现 ${amount} 已打款`,
    withdrawal_returned: ({ amount }) => `提现 ${amount} 未成功，已退回可提现`,
    fine: ({ amount, note }) => `稽查罚款 ${amount}${note ? `：${note}` : ''}`,
    conversion: ({ amount }) => `系统升级：待结算收益 ${amount} 转入收益钱包，仍待结算后可提现`,
  },
  en: {
    payment: ({ amount, order, facts, settlement }) =>
      facts.account === 'offline'
        ? `${order}paid to you offline: ${amount}`
        : `${order}earnings ${amount}, ${settlement ? settlementWords.en[settlement] : accountWords.en[facts.account ?? 'pending']}`,
    release: ({ amount, order }) => `${order}released: ${amount} now available`,
    refund: ({ amount, order }) => `${order}refunded: earnings of ${amount} reversed`,
    reward: ({ amount, order }) => `${order}referral reward ${amount}, pending`,
    reward_reversal: ({ amount, order }) => `${order}refunded: referral reward of ${amount} reversed`,
    withdrawal: ({ amount }) => `Withdrawal of ${amount} requested; the brand will pay it`,
    withdrawal_paid: ({ amount }) => `Withdrawal of ${amount} paid`,
    withdrawal_returned: ({ amount }) => `Withdrawal of ${amount} failed; returned to available`,
    fine: ({ amount, note }) => `Fine ${amount}${note ? `: ${note}` : ''}`,
    conversion: ({ amount }) =>
      `System upgrade: held earnings of ${amount} moved to the wallet, withdrawable once settled`,
  },
};

/**
 * The line in words. `amount` is the formatted amount (¥12.00), `orderNo` the human order number (never an id),
 * `note` what the person who booked it wrote (a fine's reason).
 */
export function statementWords(
  facts: StatementFacts,
  p: { amount: string; orderNo: string | null; note: string | null; settlement?: Settlement | null },
  lang: Lang,
): string {
  const order = p.orderNo ? (lang === 'zh' ? `订单 ${p.orderNo} ` : `Order ${p.orderNo} `) : '';
  const say = said[lang][facts.kind];
  if (say) return say({ amount: p.amount, order, note: p.note ?? '', facts, settlement: p.settlement ?? null });
  // A kind without words of its own still reads as a sentence, never as a code.
  const where = facts.account ? accountWords[lang][facts.account] : '';
  const verb = lang === 'zh' ? (facts.direction === 'out' ? '支出' : '收入') : facts.direction === 'out' ? 'Out' : 'In';
  return `${order}${verb} ${p.amount}${where ? (lang === 'zh' ? ` ${where}` : `, ${where}`) : ''}`.trim();
}
