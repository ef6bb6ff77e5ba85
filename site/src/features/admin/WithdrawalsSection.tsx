import { useState } from 'preact/hooks';
import { Segmented, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import { payoutText } from '../../lib/payout';
import { type AdminContext, routeHref } from './context';
import { call, fieldText, seg } from './http';
import { withdrawalStatus } from './labels';
import { Toast, useNotice } from './notice';
import type { Page, Settings, Withdrawal, WithdrawalStatus } from './types';

type Decision = 'approve' | 'reject';

const text = {
  zh: {
    title: '提现',
    lead: '代理申请的提现在审核前已从可提现余额中冻结。可通过微信转账打到代理的微信零钱（需在设置中开启且代理已绑定微信），或线下打款后填写转账凭证号确认；驳回或转账失败后金额退回代理的可提现余额。',
    show: '显示',
    list: '提现申请',
    empty: {
      requested: '暂无待审核的提现。',
      paying: '暂无转账中的提现。',
      paid: '暂无已打款的提现。',
      failed: '暂无转账失败的提现。',
      rejected: '暂无已驳回的提现。',
    } as Record<WithdrawalStatus, string>,
    transferSwitch: '开启微信转账打款（商家转账到零钱，代理需已绑定微信）',
    transferOn: '已开启微信转账打款。',
    transferOff: '已关闭微信转账打款，提现改为线下打款。',
    transfer: '微信转账',
    transferring: '转账中…',
    refresh: '查询转账结果',
    method: '打款方式',
    byTransfer: '微信转账到零钱',
    byHand: '线下打款',
    transferState: '微信转账状态',
    wechat: '代理微信',
    wechatBound: '已绑定，可微信转账',
    wechatNone: '未绑定微信，只能线下打款',
    transferred: (name: string, amount: string) => `已通过微信转账向 ${name} 打款 ${amount}。`,
    transferPending: (name: string) => `已向微信支付发起对 ${name} 的转账，结果稍后自动更新。`,
    transferFailed: (name: string, why: string) => `向 ${name} 的微信转账失败（${why}），金额已退回其可提现余额。`,
    amount: '金额',
    agent: '代理',
    requested: '申请时间',
    decided: '处理时间',
    reference: '打款凭证号',
    payTo: '收款账户',
    noPayout: '代理未设置收款账户，请先联系代理确认',
    referenceHint: '银行或支付平台的转账流水号，代理可以看到',
    reason: '驳回原因',
    reasonHint: '代理可以看到此原因',
    approve: '线下打款',
    reject: '驳回',
    confirm: { approve: '确认打款', reject: '确认驳回' } as Record<Decision, string>,
    cancel: '取消',
    busy: '处理中…',
    needReference: '请填写打款凭证号',
    needReason: '请填写驳回原因',
    paid: (name: string, amount: string) => `已向 ${name} 打款 ${amount}。`,
    rejected: (name: string) => `已驳回 ${name} 的提现，金额已退回其可提现余额。`,
  },
  en: {
    title: 'Withdrawals',
    lead: 'A requested amount is held from the agent’s available balance. Pay it, then confirm with the transfer reference; a rejection returns it to the available balance.',
    show: 'Show',
    list: 'Withdrawals',
    empty: {
      requested: 'No withdrawals to review.',
      paying: 'No transfers under way.',
      paid: 'None paid yet.',
      failed: 'No failed transfers.',
      rejected: 'None rejected.',
    } as Record<WithdrawalStatus, string>,
    transferSwitch:
      'Pay withdrawals by WeChat transfer (to the agent’s WeChat balance; the agent’s WeChat must be known)',
    transferOn: 'WeChat transfers are on.',
    transferOff: 'WeChat transfers are off; withdrawals are paid by hand.',
    transfer: 'WeChat transfer',
    transferring: 'Transferring…',
    refresh: 'Check the transfer',
    method: 'Paid by',
    byTransfer: 'WeChat transfer',
    byHand: 'By hand',
    transferState: 'Transfer state',
    wechat: 'Agent’s WeChat',
    wechatBound: 'Bound: can be paid by transfer',
    wechatNone: 'Not bound: pay by hand only',
    transferred: (name: string, amount: string) => `${amount} paid to ${name} by WeChat transfer.`,
    transferPending: (name: string) => `The transfer to ${name} is with WeChat Pay; its result follows shortly.`,
    transferFailed: (name: string, why: string) =>
      `The transfer to ${name} failed (${why}); the amount is available again.`,
    amount: 'Amount',
    agent: 'Agent',
    requested: 'Requested',
    decided: 'Decided',
    reference: 'Payment reference',
    payTo: 'Pay to',
    noPayout: 'The agent set no payout account; ask the agent first',
    referenceHint: 'The bank or payment platform’s transfer number; the agent sees it',
    reason: 'Reason for rejecting',
    reasonHint: 'The agent sees this reason',
    approve: 'Paid by hand',
    reject: 'Reject',
    confirm: { approve: 'Confirm payment', reject: 'Confirm rejection' } as Record<Decision, string>,
    cancel: 'Cancel',
    busy: 'Working…',
    needReference: 'Enter the payment reference',
    needReason: 'Enter a reason',
    paid: (name: string, amount: string) => `${amount} paid to ${name}.`,
    rejected: (name: string) => `${name}’s withdrawal is rejected; the amount is available again.`,
  },
};

function WithdrawalRow({
  item,
  ctx,
  onDecided,
}: {
  item: Withdrawal;
  ctx: AdminContext;
  onDecided: (item: Withdrawal, message: string) => void;
}) {
  const t = text[ctx.lang];
  const [open, setOpen] = useState<Decision | null>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inputId = `ad-wdr-${open ?? 'x'}-${item.id}`;

  function start(decision: Decision) {
    setOpen(decision);
    setValue('');
    setError(undefined);
    requestAnimationFrame(() => document.getElementById(`ad-wdr-${decision}-${item.id}`)?.focus());
  }

  async function transfer() {
    setBusy(true);
    setError(undefined);
    const res = await call<Withdrawal>(`/withdrawals/${seg(item.id)}/approve`, {
      method: 'POST',
      body: { method: 'transfer' },
    });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    const done = res.data;
    onDecided(
      done,
      done.status === 'paid'
        ? t.transferred(item.agentName, formatFen(item.amountFen))
        : done.status === 'failed'
          ? t.transferFailed(item.agentName, done.reason ?? '')
          : t.transferPending(item.agentName),
    );
  }

  async function refresh() {
    setBusy(true);
    const res = await call<Withdrawal>(`/withdrawals/${seg(item.id)}/refresh`, { method: 'POST' });
    setBusy(false);
    if (!res.ok) setError(res.error.message);
    else if (res.data.status !== 'paying') {
      onDecided(
        res.data,
        res.data.status === 'paid'
          ? t.transferred(item.agentName, formatFen(item.amountFen))
          : t.transferFailed(item.agentName, res.data.reason ?? ''),
      );
    }
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!open) return;
    if (!value.trim()) {
      setError(open === 'approve' ? t.needReference : t.needReason);
      document.getElementById(inputId)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    const res = await call<Withdrawal>(`/withdrawals/${seg(item.id)}/${open}`, {
      method: 'POST',
      body: open === 'approve' ? { reference: value.trim() } : { reason: value.trim() },
    });
    setBusy(false);
    if (res.ok)
      onDecided(
        res.data,
        open === 'approve' ? t.paid(item.agentName, formatFen(item.amountFen)) : t.rejected(item.agentName),
      );
    else setError(res.error.field ? fieldText(res.error) : res.error.message);
  }

  return (
    <li class="ad-item" data-testid={`withdrawal-${item.id}`}>
      <div class="row">
        <strong>
          {item.agentName} · {formatFen(item.amountFen)}
        </strong>
        <span
          class={`badge ${item.status === 'paid' ? 'valid' : item.status === 'rejected' || item.status === 'failed' ? 'revoked' : 'pending'}`}
        >
          {withdrawalStatus[ctx.lang][item.status]}
        </span>
      </div>
      <dl class="facts ad-facts">
        <dt>{t.agent}</dt>
        <dd>
          <a href={routeHref('agents', item.agentId)}>{item.agentName}</a>
        </dd>
        <dt>{t.requested}</dt>
        <dd>{formatDateTime(item.createdAt)}</dd>
        <dt>{t.payTo}</dt>
        <dd data-testid="withdrawal-payout">{item.payout ? payoutText(item.payout, ctx.lang) : t.noPayout}</dd>
        {item.status === 'requested' ? (
          <>
            <dt>{t.wechat}</dt>
            <dd data-testid="withdrawal-wechat">{item.agentWechat ? t.wechatBound : t.wechatNone}</dd>
          </>
        ) : null}
        {item.decidedAt ? (
          <>
            <dt>{t.decided}</dt>
            <dd>{formatDateTime(item.decidedAt)}</dd>
          </>
        ) : null}
        {item.status !== 'requested' ? (
          <>
            <dt>{t.method}</dt>
            <dd>{item.payoutMethod === 'transfer' ? t.byTransfer : t.byHand}</dd>
          </>
        ) : null}
        {item.transferState && item.status === 'paying' ? (
          <>
            <dt>{t.transferState}</dt>
            <dd>{item.transferState}</dd>
          </>
        ) : null}
        {item.reference ? (
          <>
            <dt>{t.reference}</dt>
            <dd>{item.reference}</dd>
          </>
        ) : null}
        {item.reason ? (
          <>
            <dt>{t.reason}</dt>
            <dd>{item.reason}</dd>
          </>
        ) : null}
      </dl>
      {item.status === 'paying' ? (
        <div class="ad-actions">
          <button class="btn secondary ad-btn" type="button" onClick={refresh} disabled={busy}>
            {busy ? t.busy : t.refresh}
          </button>
          {error ? (
            <p class="alert" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      ) : item.status !== 'requested' ? null : open ? (
        <form class="ad-inline" onSubmit={submit} noValidate>
          <TextField
            id={inputId}
            label={open === 'approve' ? t.reference : t.reason}
            hint={open === 'approve' ? t.referenceHint : t.reasonHint}
            error={error}
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            maxLength={open === 'approve' ? 64 : 200}
            spellcheck={open === 'reject'}
          />
          <div class="ad-actions">
            <button class={`btn ad-btn${open === 'reject' ? ' ad-danger' : ''}`} type="submit" disabled={busy}>
              {busy ? t.busy : t.confirm[open]}
            </button>
            <button class="btn secondary ad-btn" type="button" onClick={() => setOpen(null)} disabled={busy}>
              {t.cancel}
            </button>
          </div>
        </form>
      ) : (
        <div class="ad-actions">
          <button class="btn ad-btn" type="button" onClick={transfer} disabled={busy}>
            {busy ? t.transferring : t.transfer}
          </button>
          <button class="btn secondary ad-btn" type="button" onClick={() => start('approve')} disabled={busy}>
            {t.approve}
          </button>
          <button class="btn secondary ad-btn" type="button" onClick={() => start('reject')} disabled={busy}>
            {t.reject}
          </button>
          {error ? (
            <p class="alert" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      )}
    </li>
  );
}

/** 提现: requested withdrawals, paid with a reference or rejected with a reason; decided ones for the record. */
export function WithdrawalsSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [status, setStatus] = useState<WithdrawalStatus>('requested');
  const [notice, setNotice] = useNotice();
  const paged = usePaged(
    (cursor) => call<Page<Withdrawal>>('/withdrawals', { query: { status, cursor, limit: 20 } }),
    status,
  );

  const [switching, setSwitching] = useState(false);
  // Shown switched at once; put back if the change is refused.
  const [transferOn, setTransferOn] = useState(ctx.settings.payoutTransfer);
  async function toggleTransfer(on: boolean) {
    setTransferOn(on);
    setSwitching(true);
    const res = await call<Settings>('/brand/settings', { method: 'PATCH', body: { payoutTransfer: on } });
    setSwitching(false);
    if (res.ok) {
      ctx.setSettings(res.data);
      setNotice(on ? t.transferOn : t.transferOff);
    } else {
      setTransferOn(!on);
      setNotice(res.error.message);
    }
  }

  function decided(item: Withdrawal, message: string) {
    paged.edit((items) => items.filter((w) => w.id !== item.id));
    setNotice(message);
    ctx.refreshCounts();
  }

  return (
    <section aria-labelledby="ad-withdrawals">
      <h2 id="ad-withdrawals" class="ad-title">
        {t.title}
      </h2>
      <p class="muted">{t.lead}</p>
      <label class="ad-check ad-switch">
        <input
          type="checkbox"
          checked={transferOn}
          disabled={switching}
          onChange={(e) => toggleTransfer(e.currentTarget.checked)}
        />
        <span>{t.transferSwitch}</span>
      </label>
      <div class="ad-filter-seg">
        <Segmented
          name="ad-wdr-status"
          legend={t.show}
          value={status}
          onChange={(s) => {
            setStatus(s);
            setNotice(null);
          }}
          options={(['requested', 'paying', 'paid', 'failed', 'rejected'] as const).map((s) => ({
            value: s,
            label: withdrawalStatus[ctx.lang][s],
          }))}
        />
      </div>
      <Toast message={notice} />
      <div class="card">
        <PagedList paged={paged} lang={ctx.lang} empty={t.empty[status]} tally>
          {(items) => (
            <ul class="ad-list ad-cards" aria-label={t.list}>
              {items.map((w) => (
                <WithdrawalRow key={w.id} item={w} ctx={ctx} onDecided={decided} />
              ))}
            </ul>
          )}
        </PagedList>
      </div>
    </section>
  );
}
