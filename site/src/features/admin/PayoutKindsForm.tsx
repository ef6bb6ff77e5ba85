import { useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { type PayoutAccount, payoutKind } from '../../lib/payout';
import type { AdminContext } from './context';
import { call } from './http';
import type { Settings } from './types';

type Kind = PayoutAccount['kind'];
const kinds: Kind[] = ['wechat', 'alipay', 'bank'];

const text = {
  zh: {
    title: '提现收款方式',
    lead: '代理设置收款账户时只能选择勾选的方式。已提交的提现仍按提交时的账户打款。',
    legend: '接受的收款方式',
    none: '请至少勾选一种收款方式',
    save: '保存收款方式',
    busy: '保存中…',
    saved: '提现收款方式已保存。',
  },
  en: {
    title: 'Payout methods',
    lead: 'Agents can only choose the ticked kinds for their payout account. Withdrawals already asked for keep theirs.',
    legend: 'Accepted payout accounts',
    none: 'Tick at least one kind',
    save: 'Save payout methods',
    busy: 'Saving…',
    saved: 'Payout methods saved.',
  },
};

/** 提现收款方式: which payout accounts (WeChat, Alipay, bank card) the brand pays withdrawals to. */
export function PayoutKindsForm({ ctx, onSaved }: { ctx: AdminContext; onSaved: (message: string) => void }) {
  const t = text[ctx.lang];
  const [chosen, setChosen] = useState<Kind[]>(ctx.settings.payoutKinds);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (chosen.length === 0) {
      setError(t.none);
      document.getElementById('ad-payout-kind-wechat')?.focus();
      return;
    }
    setBusy(true);
    const res = await call<Settings>('/brand/settings', { method: 'PATCH', body: { payoutKinds: chosen } });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setError(null);
    ctx.setSettings(res.data);
    onSaved(t.saved);
  }

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="ad-payout-kinds-title" aria-busy={busy}>
      <h3 id="ad-payout-kinds-title">{t.title}</h3>
      <p class="muted">{t.lead}</p>
      <fieldset class="ad-checks" aria-describedby="ad-payout-kinds-error">
        <legend>{t.legend}</legend>
        {kinds.map((k) => (
          <label key={k} class="ad-check">
            <input
              id={`ad-payout-kind-${k}`}
              type="checkbox"
              checked={chosen.includes(k)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setChosen((c) => kinds.filter((x) => (x === k ? on : c.includes(x))));
                setError(null);
              }}
            />
            {payoutKind[ctx.lang][k]}
          </label>
        ))}
      </fieldset>
      <div id="ad-payout-kinds-error">
        <Alert message={error} />
      </div>
      <button class="btn ad-btn" type="submit" disabled={busy}>
        {busy ? t.busy : t.save}
      </button>
    </form>
  );
}
