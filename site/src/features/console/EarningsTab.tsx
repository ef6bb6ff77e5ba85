import { useCallback, useEffect, useState } from 'preact/hooks';
import { Alert, SelectField, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import type { PayoutAccount } from '../../lib/payout';
import type { ConsoleContext } from './context';
import { call } from './http';
import { accountName, entryKind, settlementName, tone, withdrawalStatus } from './labels';
import { Toast, useNotice } from './notice';
import { PayoutCard } from './PayoutCard';
import type { AccountName, Page, StatementEntry, Wallet, Withdrawal } from './types';
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
    account: '账户',
    allAccounts: '全部',
    noEntries: '暂无收支记录。',
    order: '订单',
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
    account: 'Account',
    allAccounts: 'All',
    noEntries: 'No entries yet.',
    order: 'Order',
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
  payoutSet: boolean;
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
      {payoutSet ? null : <p class="muted">{t.needPayout}</p>}
      <button class="btn" type="submit" disabled={busy || inDebt || !payoutSet}>
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
  const [account, setAccount] = useState<'' | AccountName>('');
  const [notice, setNotice] = useNotice();
  const [payoutSet, setPayoutSet] = useState(false);
  const onPayout = useCallback((p: PayoutAccount | null) => setPayoutSet(p !== null), []);

  // `reloads` and `walletReads` ask for a fresh read after a withdrawal or a refusal.
  useEffect(() => {
    api<Wallet>('/agents/me/wallet').then((res) => (res.ok ? setWallet(res.data) : setWalletError(res.error.message)));
  }, [reloads, walletReads]);

  const withdrawals = usePaged(
    (cursor) => call<Page<Withdrawal>>('/withdrawals', { query: { cursor, limit: 10 } }),
    `w|${reloads}`,
  );
  const statement = usePaged(
    (cursor) =>
      call<Page<StatementEntry>>('/agents/me/statement', {
        query: { account: account || undefined, cursor, limit: 20 },
      }),
    `s|${account}|${reloads}`,
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
          }}
          onStale={() => setWalletReads((n) => n + 1)}
          payoutSet={payoutSet}
        />
      ) : null}
      <PayoutCard ctx={ctx} onChange={onPayout} notify={setNotice} />
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
        <SelectField
          id="cx-account"
          label={t.account}
          value={account}
          onChange={(e) => setAccount(e.currentTarget.value as '' | AccountName)}
        >
          <option value="">{t.allAccounts}</option>
          {(['pending', 'available', 'withdrawing', 'offline'] as const).map((a) => (
            <option key={a} value={a}>
              {accountName[ctx.lang][a]}
            </option>
          ))}
        </SelectField>
        <PagedList paged={statement} lang={ctx.lang} empty={t.noEntries}>
          {(items) => (
            <ul class="cx-list" aria-label={t.statement}>
              {items.map((e) => (
                <li key={e.id} class="cx-item cx-entry">
                  <div class="row">
                    <span>
                      {entryKind(e.kind, ctx.lang)} <span class="muted">· {accountName[ctx.lang][e.account]}</span>
                      {e.settlement ? (
                        <span class={`badge ${e.settlement === 'held' ? 'pending' : 'valid'}`}>
                          {settlementName[ctx.lang][e.settlement]}
                        </span>
                      ) : null}
                    </span>
                    <strong class={e.amountFen < 0 ? 'cx-neg' : 'cx-pos'}>
                      {e.amountFen > 0 ? '+' : ''}
                      {formatFen(e.amountFen)}
                    </strong>
                  </div>
                  <p class="muted cx-meta">
                    {formatDateTime(e.at)}
                    {e.orderId ? (
                      <>
                        {' · '}
                        {t.order} <span class="cx-id">{e.orderId}</span>
                      </>
                    ) : null}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </PagedList>
      </section>
    </>
  );
}
