// Reconciliation rules without I/O: WeChat Pay's bill CSV, yuan amounts to fen, Beijing days, and the comparison of
// what the bill says was collected and refunded per order with what the ledger posted to the gateway account.

export type ReconKind = 'payment' | 'refund';
export type ReconIssue = 'missing_in_ledger' | 'missing_in_bill' | 'amount_mismatch';

export interface ReconDifference {
  kind: ReconKind;
  orderId: string;
  issue: ReconIssue;
  ledgerFen: number;
  billFen: number;
}

/** Per order, the fen collected (payments) and returned (refunds) on one day. */
export interface DayTotals {
  payments: Map<string, number>;
  refunds: Map<string, number>;
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** A bill day (YYYY-MM-DD, Beijing time) as a real calendar date, or null. */
export function parseDay(day: string): { start: number; end: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(y, m - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return { start: utc - BEIJING_OFFSET_MS, end: utc - BEIJING_OFFSET_MS + DAY_MS };
}

/** The Beijing day before the one `now` falls in: the latest day WeChat Pay has a bill for. */
export function previousDay(now: number): string {
  return new Date(now + BEIJING_OFFSET_MS - DAY_MS).toISOString().slice(0, 10);
}

/** The Beijing hour of `now` (WeChat Pay cuts the previous day's bills after 10:00 Beijing time). */
export function beijingHour(now: number): number {
  return new Date(now + BEIJING_OFFSET_MS).getUTCHours();
}

/** '299.00' (yuan, as the bill writes it) → 29900 fen, exactly; null when it is not an amount. */
export function yuanToFen(text: string): number | null {
  const match = /^(-?)(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -fen : fen;
}

// Bill cells are written as `value (a leading backtick keeps spreadsheets from reading numbers as numbers).
function cell(raw: string | undefined): string {
  return (raw ?? '').trim().replace(/^`/, '');
}

export class BillFormatError extends Error {
  override readonly name = 'BillFormatError';
}

/**
 * Sums a trade bill (交易账单, bill_type SUCCESS or REFUND) per order: payments by 订单金额 for rows whose 交易状态 is
 * SUCCESS, refunds by 申请退款金额 (else 退款金额) for rows whose 交易状态 is REFUND. Stops at the summary lines.
 */
export function parseTradeBill(csv: string): DayTotals {
  const totals: DayTotals = { payments: new Map(), refunds: new Map() };
  if (csv.trim() === '') return totals;
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const col = (name: string) => header.indexOf(name);
  const [orderCol, stateCol, totalCol, refundAskCol, refundCol] = [
    col('商户订单号'),
    col('交易状态'),
    col('订单金额'),
    col('申请退款金额'),
    col('退款金额'),
  ];
  if (orderCol < 0 || stateCol < 0 || totalCol < 0 || refundCol < 0) {
    throw new BillFormatError('the bill has no 商户订单号, 交易状态, 订单金额 or 退款金额 column');
  }
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    if (line.startsWith('总交易单数')) break;
    const cells = line.split(',');
    const orderId = cell(cells[orderCol]);
    const state = cell(cells[stateCol]);
    const refundText = refundAskCol >= 0 && cell(cells[refundAskCol]) !== '' ? cells[refundAskCol] : cells[refundCol];
    const target = state === 'SUCCESS' ? totals.payments : state === 'REFUND' ? totals.refunds : null;
    if (!target) continue;
    const fen = yuanToFen(cell(state === 'SUCCESS' ? cells[totalCol] : refundText));
    if (fen === null || orderId === '') throw new BillFormatError(`unreadable bill line: ${line.slice(0, 120)}`);
    target.set(orderId, (target.get(orderId) ?? 0) + fen);
  }
  return totals;
}

function compareKind(kind: ReconKind, ledger: Map<string, number>, bill: Map<string, number>): ReconDifference[] {
  const out: ReconDifference[] = [];
  for (const [orderId, billFen] of bill) {
    const ledgerFen = ledger.get(orderId);
    if (ledgerFen === undefined) out.push({ kind, orderId, issue: 'missing_in_ledger', ledgerFen: 0, billFen });
    else if (ledgerFen !== billFen) out.push({ kind, orderId, issue: 'amount_mismatch', ledgerFen, billFen });
  }
  for (const [orderId, ledgerFen] of ledger) {
    if (!bill.has(orderId)) out.push({ kind, orderId, issue: 'missing_in_bill', ledgerFen, billFen: 0 });
  }
  return out;
}

/** Every order whose day's payment or refund differs between the ledger and the bill, in a stable order. */
export function compareDay(ledger: DayTotals, bill: DayTotals): ReconDifference[] {
  return [
    ...compareKind('payment', ledger.payments, bill.payments),
    ...compareKind('refund', ledger.refunds, bill.refunds),
  ].sort((a, b) => (a.kind + a.orderId < b.kind + b.orderId ? -1 : 1));
}

/**
 * The ledger's side from its gateway postings: money entering from the gateway (a negative posting on it) is a
 * payment, money leaving to it (positive) a refund.
 */
export function ledgerTotals(postings: readonly { orderId: string | null; amountFen: number }[]): DayTotals {
  const totals: DayTotals = { payments: new Map(), refunds: new Map() };
  for (const p of postings) {
    const orderId = p.orderId ?? '';
    const target = p.amountFen < 0 ? totals.payments : totals.refunds;
    target.set(orderId, (target.get(orderId) ?? 0) + Math.abs(p.amountFen));
  }
  return totals;
}
