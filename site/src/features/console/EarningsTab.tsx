import { useCallback, useEffect, useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import type { PayoutAccount } from '../../lib/payout';
import type { ConsoleContext } from './context';
import { call } from './http';
import { tone, withdrawalStatus } from './labels';
import { Toast, useNotice } from './notice';
import { PayoutCard } from './PayoutCard';
import type { Page, StatementLine, Wallet, Withdrawal } from './types';
import { WechatBindCard } from './WechatBindCard';
import { parseYuanToFen } from './yuan';

const AMOUNT_ID = 'cx-withdraw-amountFen';

const text = {
  zh: {
    wallet: '我的钱包',
    available: '可提现',
    pending: '待结算',
    pendingHint: '订单完成并过冻结期后转为可提现',
    withdrawing: '提现中',
    offline: '线下收款',
    offlineHint: '买方直接转给您的货款，仅作记录',
    debt: (amount: string) => `账户欠款 ${amount}：退款冲回了已到账的收益。新收益会先用于还款，还清前不能提现。`,
    withdraw: '申请提现',
    needPayout: '请先在下方设置收款账户，品牌方按该账户打款。',
    payoutNotAccepted: '品牌方已不支持当前收款方式，请先在下方修改收款账户。',
    amount: '提现金额（元）',
    amountHint: (min: string, available: string) => `最低 ${min}，当前可提现 ${available}`,
    blank: '请输入提现金额',
    badAmount: '请输入正确的金额，最多两位小数，例如 100 或 100.50',
    zero: '提现金额必须大于 0',
    tooMuch: (available: string) => `可提现余额不足（可提现 ${available}）`,
    belowMin: (min: string) => `提现金额不能低于 ${min}`,
    all: '全部提现',
    busy: '提交中…',
    requested: (amount: string) => `已申请提现 ${amount}，等待品牌方打款。`,
    withdrawals: '提现记录',
    noWithdrawals: '还没有提现记录。',
    reference: '打款凭证',
    reason: '驳回原因',
    statement: '收支明细',
    noEntries: '暂无收支记录。',
  },
  en: {
    wallet: 'My wallet',
    available: 'Available',
    pending: 'Pending',
    pendingHint: 'Becomes available once the order completes and the freeze period ends',
    withdrawing: 'Withdrawing',
    offline: 'Received offline',
    offlineHint: 'Paid to you directly by buyers; recorded only',
    debt: (amount: string) =>
      `The wallet owes ${amount}: a refund reversed earnings already paid out. New earnings repay it first; withdrawals are blocked until then.`,
    withdraw: 'Request withdrawal',
    needPayout: 'Set your payout account below first; the brand pays to it.',
    payoutNotAccepted: 'The brand no longer pays to this kind of account; change your payout account below first.',
    amount: 'Amount (yuan)',
    amountHint: (min: string, available: string) => `At least ${min}; available now ${available}`,
    blank: 'Enter an amount',
    badAmount: 'Enter an amount with at most two decimals, e.g. 100 or 100.50',
    zero: 'The amount must be above 0',
    tooMuch: (available: string) => `Not enough available (available ${available})`,
    belowMin: (min: string) => `A withdrawal must be at least ${min}`,
    all: 'Withdraw all',
    busy: 'Sending…',
    requested: (amount: string) => `Withdrawal of ${amount} requested; the brand will pay it.`,
    withdrawals: 'My withdrawals',
    noWithdrawals: 'No withdrawals yet.',
    reference: 'Reference',
    reason: 'Reason',
    statement: 'Statement',
    noEntries: 'No entries yet.',
  },
};

function WalletCard({ ctx, wallet, error }: { ctx: ConsoleContext; wallet: Wallet | null; error: string | null }) {
  const t = text[ctx.lang];
  return (
    <section class="card" aria-labelledby="cx-wallet" aria-busy={!wallet && !error}>
      <h2 id="cx-wallet">{t.wallet}</h2>
      <Alert message={error} />
      {wallet ? (
        <>
          <p class="cx-big">
            <span class="muted">{t.available}</span>
            <strong class={wallet.availableFen < 0 ? 'cx-neg' : undefined} data-testid="wallet-available">
              {formatFen(wallet.availableFen)}
            </strong>
          </p>
          {wallet.availableFen < 0 ? (
            <p class="alert" role="alert">
              {t.debt(formatFen(wallet.debtFen))}
            </p>
          ) : null}
          <ul class="cx-list">
            <li class="cx-line">
              <span class="muted">{t.pending}</span>
              <strong>{formatFen(wallet.pendingFen)}</strong>
            </li>
            <li class="cx-line">
              <span class="muted">{t.withdrawing}</span>
              <strong>{formatFen(wallet.withdrawingFen)}</strong>
            </li>
            <li class="cx-line">
              <span class="muted">{t.offline}</span>
              <strong>{formatFen(wallet.offlineFen)}</strong>
            </li>
          </ul>
          <p class="hint">
            {t.pending}：{t.pendingHint}。{t.offline}：{t.offlineHint}。
          </p>
        </>
      ) : null}
    </section>
  );
}

function WithdrawForm({
  ctx,
  wallet,
  onDone,
  onStale,
  payoutSet,
}: {
  ctx: ConsoleContext;
  wallet: Wallet;
  payoutSet: 'none' | 'ok' | 'not_accepted';
  onDone: (w: Withdrawal) => void;
  onStale: () => void;
}) {
  const t = text[ctx.lang];
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const min = formatFen(wallet.withdrawMinFen);
  const available = formatFen(Math.max(0, wallet.availableFen));
  const inDebt = wallet.availableFen < 0;

  function fail(message: string) {
    setError(message);
    document.getElementById(AMOUNT_ID)?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    setTop(null);
    if (!amount.trim()) return fail(t.blank);
    const amountFen = parseYuanToFen(amount);
    if (amountFen === null) return fail(t.badAmount);
    if (amountFen <= 0) return fail(t.zero);
    if (amountFen < wallet.withdrawMinFen) return fail(t.belowMin(min));
    if (amountFen > wallet.availableFen) return fail(t.tooMuch(available));
    setBusy(true);
    setError(undefined);
    const res = await api<Withdrawal>('/withdrawals', { method: 'POST', body: { amountFen } });
    setBusy(false);
    if (res.ok) {
      setAmount('');
      onDone(res.data);
      return;
    }
    // The balance moved since it was read (a refund, another device): show the current one with the refusal.
    if (res.status === 409) onStale();
    if (res.error.field === 'amountFen') fail(res.error.message);
    else setTop(res.error.message);
  }

  return (
    <form class="card" aria-labelledby="cx-withdraw" onSubmit={submit} noValidate aria-busy={busy}>
      <h2 id="cx-withdraw">{t.withdraw}</h2>
      <Alert message={top} />
      <TextField
        id={AMOUNT_ID}
        label={t.amount}
        hint={t.amountHint(min, available)}
        error={error}
        value={amount}
        inputMode="decimal"
        autocomplete="off"
        maxLength={16}
        placeholder="0.00"
        onInput={(e) => {
          setAmount(e.currentTarget.value);
          setError(undefined);
        }}
      />
      {wallet.availableFen > 0 ? (
        <p>
          <button
            class="cx-link"
            type="button"
            onClick={() => setAmount(formatFen(wallet.availableFen).replace('¥', ''))}
          >
            {t.all}
          </button>
        </p>
      ) : null}
      {payoutSet === 'ok' ? null : (
        <p class="muted" data-testid="withdraw-payout-needed">
          {payoutSet === 'none' ? t.needPayout : t.payoutNotAccepted}
        </p>
      )}
      <button class="btn" type="submit" disabled={busy || inDebt || payoutSet !== 'ok'}>
        {busy ? t.busy : t.withdraw}
      </button>
    </form>
  );
}

/** 收益: balances (a debt in red), a withdrawal request in yuan, my withdrawals and the statement. */
export function EarningsTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [walletError, setWalletError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [walletReads, setWalletReads] = useState(0);
  const [notice, setNotice] = useNotice();
  const [payoutSet, setPayoutSet] = useState<'none' | 'ok' | 'not_accepted'>('none');
  const accepted = ctx.payoutKinds;
  const onPayout = useCallback(
    (p: PayoutAccount | null) => setPayoutSet(p === null ? 'none' : accepted.includes(p.kind) ? 'ok' : 'not_accepted'),
    [accepted],
  );

  // `reloads` and `walletReads` ask for a fresh read after a withdrawal or a refusal.
  useEffect(() => {
    api<Wallet>('/agents/me/wallet').then((res) => (res.ok ? setWallet(res.data) : setWalletError(res.error.message)));
  }, [reloads, walletReads]);

  const withdrawals = usePaged(
    (cursor) => call<Page<Withdrawal>>('/withdrawals', { query: { cursor, limit: 10 } }),
    `w|${reloads}`,
  );
  const statement = usePaged(
    (cursor) => call<Page<StatementLine>>('/agents/me/statement/lines', { query: { cursor, limit: 20 } }),
    `s|${reloads}`,
  );

  return (
    <>
      <WalletCard ctx={ctx} wallet={wallet} error={walletError} />
      {wallet ? (
        <WithdrawForm
          ctx={ctx}
          wallet={wallet}
          onDone={(w) => {
            setNotice(t.requested(formatFen(w.amountFen)));
            setReloads((n) => n + 1);
            // 收益's badge counts withdrawals in progress: this one is.
            ctx.refreshCounts();
          }}
          onStale={() => setWalletReads((n) => n + 1)}
          payoutSet={payoutSet}
        />
      ) : null}
      <PayoutCard ctx={ctx} onChange={onPayout} notify={setNotice} />
      <WechatBindCard ctx={ctx} />
      <Toast message={notice} />
      <section class="card" aria-labelledby="cx-withdrawals">
        <h2 id="cx-withdrawals">{t.withdrawals}</h2>
        <PagedList paged={withdrawals} lang={ctx.lang} empty={t.noWithdrawals}>
          {(items) => (
            <ul class="cx-list" aria-label={t.withdrawals}>
              {items.map((w) => (
                <li key={w.id} class="cx-item" data-testid={`withdrawal-${w.id}`}>
                  <div class="row">
                    <strong>{formatFen(w.amountFen)}</strong>
                    <span class={`badge ${tone(w.status === 'paid' ? 'completed' : w.status)}`}>
                      {withdrawalStatus[ctx.lang][w.status]}
                    </span>
                  </div>
                  <p class="muted cx-meta">
                    {formatDateTime(w.createdAt)}
                    {w.reference ? ` · ${t.reference} ${w.reference}` : null}
                    {w.reason ? ` · ${t.reason}：${w.reason}` : null}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </PagedList>
      </section>
      <section class="card" aria-labelledby="cx-statement">
        <h2 id="cx-statement">{t.statement}</h2>
        <PagedList paged={statement} lang={ctx.lang} empty={t.noEntries}>
          {(items) => (
            <ul class="cx-list" aria-label={t.statement}>
              {items.map((line) => (
                <li key={line.key} class="cx-item cx-entry" data-testid="statement-line">
                  <div class="row">
                    <span>{line.words}</span>
                    <strong
                      class={line.direction === 'out' ? 'cx-neg' : line.direction === 'in' ? 'cx-pos' : undefined}
                    >
                      {line.direction === 'out' ? '−' : line.direction === 'in' ? '+' : ''}
                      {formatFen(line.amountFen)}
                    </strong>
                  </div>
                  <p class="muted cx-meta">{formatDateTime(line.at)}</p>
                </li>
              ))}
            </ul>
          )}
        </PagedList>
      </section>
    </>
  );
}
