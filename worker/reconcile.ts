// The daily reconciliation: WeChat Pay's payment and refund bills of a Beijing day against the ledger's postings on
// the gateway account that day. Differences are stored until the brand resolves them.
import { isGuardFailure } from '../db/guard';
import { claimRun, failRun, gatewayPostings, runQuery, storeRun } from '../db/reconcile';
import { account } from './domain/ledger';
import {
  beijingHour,
  compareDay,
  type DayTotals,
  ledgerTotals,
  parseDay,
  parseTradeBill,
  previousDay,
} from './domain/reconcile';
import type { Db } from './env';
import { AppError } from './errors';
import { downloadTradeBill } from './lib/wechatpay/bills';
import type { Gateway } from './payouts';

export interface RunSummary {
  day: string;
  payments: number;
  refunds: number;
  differences: number;
}

/** Runs one day. Throws AppError RECON_RUNNING when a run of that day is under way, RECON_GATEWAY_FAILED on WeChat. */
export async function reconcileDay(db: Db, gateway: Gateway, day: string, now: number): Promise<RunSummary> {
  const window = parseDay(day);
  if (!window) throw new AppError('VALIDATION_FAILED', { field: 'day', params: { detail: 'day' } });
  try {
    await db.batch(claimRun(db, day, now) as [ReturnType<typeof claimRun>[number]]);
  } catch (err) {
    if (isGuardFailure(err)) throw new AppError('RECON_RUNNING');
    throw err;
  }
  let bill: DayTotals;
  try {
    const [payments, refunds] = await Promise.all([
      downloadTradeBill(gateway.client, day, 'SUCCESS'),
      downloadTradeBill(gateway.client, day, 'REFUND'),
    ]);
    bill = { payments: parseTradeBill(payments).payments, refunds: parseTradeBill(refunds).refunds };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    await failRun(db, day, detail, Date.now());
    throw new AppError('RECON_GATEWAY_FAILED', { params: { detail } });
  }
  const ledger = ledgerTotals(await gatewayPostings(db, account.gateway, window.start, window.end));
  const found = compareDay(ledger, bill);
  const counts = { payments: bill.payments.size, refunds: bill.refunds.size };
  await db.batch(storeRun(db, day, found, counts, Date.now()) as [ReturnType<typeof storeRun>[number]]);
  return { day, ...counts, differences: found.length };
}

// WeChat Pay has the previous day's bills ready after 10:00 Beijing time; a failed day is tried again an hour later.
export async function reconcileYesterdayIfDue(db: Db, gateway: Gateway | null, now: number): Promise<void> {
  if (!gateway || beijingHour(now) < 10) return;
  const day = previousDay(now);
  const [run] = await runQuery(db, day);
  if (run && (run.status !== 'failed' || run.startedAt > now - 3_600_000)) return;
  try {
    await reconcileDay(db, gateway, day, now);
  } catch (err) {
    // Recorded on the run row; the console shows it and the next hour tries again.
    if (!(err instanceof AppError)) throw err;
  }
}
