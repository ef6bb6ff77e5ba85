import { useEffect, useState } from 'preact/hooks';
import { Alert, Segmented, TextField } from '../../components/Field';
import { type PayoutAccount, payoutKind, payoutText } from '../../lib/payout';
import type { ConsoleContext } from './context';
import { call } from './http';

type Kind = PayoutAccount['kind'];

const text = {
  zh: {
    title: '收款账户',
    lead: '提现时品牌方按此账户打款。请填写本人实名账户。',
    none: '还没有收款账户，设置后才能提现。',
    edit: '修改',
    set: '设置收款账户',
    kind: '账户类型',
    name: '收款人姓名',
    account: { wechat: '微信号', alipay: '支付宝账号（手机号或邮箱）', bank: '银行卡号' } as Record<Kind, string>,
    bank: '开户银行（含支行）',
    save: '保存',
    cancel: '取消',
    busy: '保存中…',
    saved: '收款账户已保存',
    notAccepted: (kind: string) => `品牌方已不支持${kind}收款，请修改收款账户后再提现。`,
  },
  en: {
    title: 'Payout account',
    lead: 'The brand pays your withdrawals to this account. Use an account in your own name.',
    none: 'No payout account yet; set one to withdraw.',
    edit: 'Change',
    set: 'Set payout account',
    kind: 'Account type',
    name: 'Account holder',
    account: { wechat: 'WeChat ID', alipay: 'Alipay account (phone or email)', bank: 'Card number' } as Record<
      Kind,
      string
    >,
    bank: 'Bank (and branch)',
    save: 'Save',
    cancel: 'Cancel',
    busy: 'Saving…',
    saved: 'Payout account saved',
    notAccepted: (kind: string) => `The brand no longer pays to ${kind}; change your payout account to withdraw.`,
  },
};

/** 收款账户: where the brand pays this agent's withdrawals; `onChange` tells the withdrawal form whether one is set. */
export function PayoutCard({
  ctx,
  onChange,
  notify,
}: {
  ctx: ConsoleContext;
  onChange: (p: PayoutAccount | null) => void;
  notify: (m: string) => void;
}) {
  const t = text[ctx.lang];
  const [current, setCurrent] = useState<PayoutAccount | null | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  // Only the kinds the brand pays to are offered.
  const kinds = ctx.payoutKinds;
  const [kind, setKind] = useState<Kind>(kinds[0] ?? 'wechat');
  const [form, setForm] = useState({ name: ctx.me.name, account: '', bank: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call<PayoutAccount | null>('/agents/me/payout-account').then((res) => {
      if (!res.ok) return setTop(res.error.message);
      setCurrent(res.data);
      onChange(res.data);
    });
  }, [onChange]);

  function start() {
    if (current) {
      setKind(kinds.includes(current.kind) ? current.kind : (kinds[0] ?? current.kind));
      setForm({ name: current.name, account: current.account, bank: current.bank ?? '' });
    }
    setErrors({});
    setEditing(true);
  }

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setTop(null);
    const body = { kind, name: form.name, account: form.account, ...(kind === 'bank' ? { bank: form.bank } : {}) };
    const res = await call<PayoutAccount>('/agents/me/payout-account', { method: 'PUT', body });
    setBusy(false);
    if (!res.ok) {
      if (res.error.field) setErrors({ [res.error.field]: res.error.message });
      else setTop(res.error.message);
      return;
    }
    setCurrent(res.data);
    onChange(res.data);
    setEditing(false);
    notify(t.saved);
  }

  const field = (key: 'name' | 'account' | 'bank', label: string) => (
    <TextField
      id={`cx-payout-${key}`}
      label={label}
      error={errors[key]}
      value={form[key]}
      maxLength={key === 'account' ? 64 : 60}
      inputMode={key === 'account' && kind === 'bank' ? 'numeric' : undefined}
      autocomplete="off"
      onInput={(e) => {
        const value = e.currentTarget.value;
        setForm((f) => ({ ...f, [key]: value }));
        setErrors({});
      }}
    />
  );

  return (
    <section class="card" aria-labelledby="cx-payout">
      <h2 id="cx-payout">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <Alert message={top} />
      {editing ? (
        <form onSubmit={save} noValidate aria-busy={busy}>
          <Segmented
            name="cx-payout-kind"
            legend={t.kind}
            value={kind}
            onChange={setKind}
            options={kinds.map((k) => ({ value: k, label: payoutKind[ctx.lang][k] }))}
          />
          {field('name', t.name)}
          {field('account', t.account[kind])}
          {kind === 'bank' ? field('bank', t.bank) : null}
          <div class="cx-contact">
            <button class="btn cx-btn" type="submit" disabled={busy}>
              {busy ? t.busy : t.save}
            </button>
            <button class="btn secondary cx-btn" type="button" onClick={() => setEditing(false)} disabled={busy}>
              {t.cancel}
            </button>
          </div>
        </form>
      ) : current === undefined ? null : (
        <>
          <p data-testid="payout-account">{current ? payoutText(current, ctx.lang) : t.none}</p>
          {current && !kinds.includes(current.kind) ? (
            <p class="alert" role="alert">
              {t.notAccepted(payoutKind[ctx.lang][current.kind])}
            </p>
          ) : null}
          <button class="btn secondary cx-btn" type="button" onClick={start}>
            {current ? t.edit : t.set}
          </button>
        </>
      )}
    </section>
  );
}
