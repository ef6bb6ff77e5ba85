import { useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { formatFen } from '../../lib/money';
import type { AdminContext } from './context';
import { RadioGroup } from './fields';
import { call, fieldText, seg } from './http';
import type { OrderView } from './types';
import { parseWhole } from './yuan';

type Mode = 'all' | 'lines';

const text = {
  zh: {
    title: '退款',
    lead: '退款按原分账金额冲回各级代理的收益；已提现的部分将记为代理欠款。',
    open: '退款',
    mode: '退款方式',
    all: (amount: string) => `全部退款（剩余 ${amount}）`,
    lines: '按商品退款',
    qtyOf: (name: string, left: number) => `${name} 退款数量（最多 ${left}）`,
    reason: '退款原因',
    submit: '确认退款',
    cancel: '取消',
    busy: '处理中…',
    required: '请填写退款原因',
    pickSome: '请至少填写一件要退的商品',
    badQty: (left: number) => `请输入 0–${left} 之间的整数`,
    refunded: (amount: string) => `已退款，累计退款 ${amount}。`,
  },
  en: {
    title: 'Refund',
    lead: 'A refund reverses each agent’s share at the amount credited; what was already withdrawn becomes the agent’s debt.',
    open: 'Refund',
    mode: 'What to refund',
    all: (amount: string) => `Everything left (${amount})`,
    lines: 'Some units',
    qtyOf: (name: string, left: number) => `${name} units to refund (up to ${left})`,
    reason: 'Reason for the refund',
    submit: 'Confirm refund',
    cancel: 'Cancel',
    busy: 'Working…',
    required: 'Enter a reason',
    pickSome: 'Enter at least one unit to refund',
    badQty: (left: number) => `Enter a whole number from 0 to ${left}`,
    refunded: (amount: string) => `Refunded; ${amount} refunded in all.`,
  },
};

/** Refunds the whole order or some units of its lines, with a reason; opened by a button so it is never one click. */
export function RefundForm({
  ctx,
  order,
  onDone,
}: {
  ctx: AdminContext;
  order: OrderView;
  onDone: (order: OrderView, message: string) => void;
}) {
  const t = text[ctx.lang];
  const open = order.lines.filter((l) => l.qty > l.refundedQty);
  const [shown, setShown] = useState(false);
  const [mode, setMode] = useState<Mode>('all');
  const [qty, setQty] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [busy, setBusy] = useState(false);
  const left = open.reduce((sum, l) => sum + (l.qty - l.refundedQty) * l.unitFen, 0);

  if (open.length === 0) return null;

  async function submit(event: Event) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const lines: { productId: string; qty: number }[] = [];
    if (mode === 'lines') {
      for (const l of open) {
        const raw = qty[l.productId] ?? '';
        if (!raw.trim()) continue;
        const n = parseWhole(raw);
        const max = l.qty - l.refundedQty;
        if (n === null || n > max) found[l.productId] = t.badQty(max);
        else if (n > 0) lines.push({ productId: l.productId, qty: n });
      }
      if (Object.keys(found).length === 0 && lines.length === 0) found.lines = t.pickSome;
    }
    if (!reason.trim()) found.reason = t.required;
    setErrors(found);
    const first = open.find((l) => found[l.productId]);
    if (first || found.lines || found.reason) {
      const target = first
        ? `ad-refund-${first.productId}`
        : found.lines
          ? `ad-refund-${open[0]?.productId}`
          : 'ad-refund-reason';
      document.getElementById(target)?.focus();
      return;
    }
    setBusy(true);
    const res = await call<OrderView>(`/orders/${seg(order.id)}/refund`, {
      method: 'POST',
      body: mode === 'all' ? { reason: reason.trim() } : { lines, reason: reason.trim() },
    });
    setBusy(false);
    if (res.ok) {
      onDone(res.data, t.refunded(formatFen(res.data.refundedFen)));
      return;
    }
    if (res.error.field === 'reason') setErrors({ reason: fieldText(res.error) });
    else if (res.error.field?.startsWith('lines')) setErrors({ lines: res.error.message });
    else setErrors({ top: res.error.message });
  }

  if (!shown)
    return (
      <section class="ad-subform" aria-labelledby="ad-refund-title">
        <h4 id="ad-refund-title">{t.title}</h4>
        <p class="muted">{t.lead}</p>
        <button
          class="btn secondary ad-btn ad-danger-outline"
          type="button"
          onClick={() => {
            setShown(true);
            requestAnimationFrame(() => document.getElementById('ad-refund-mode')?.querySelector('input')?.focus());
          }}
        >
          {t.open}
        </button>
      </section>
    );

  return (
    <form class="ad-subform" onSubmit={submit} noValidate aria-labelledby="ad-refund-title" aria-busy={busy}>
      <h4 id="ad-refund-title">{t.title}</h4>
      <p class="muted">{t.lead}</p>
      <Alert message={errors.top} />
      <RadioGroup
        name="ad-refund-mode"
        legend={t.mode}
        value={mode}
        onChange={(m) => {
          setMode(m);
          setErrors({});
        }}
        options={[
          { value: 'all', label: t.all(formatFen(left)) },
          { value: 'lines', label: t.lines },
        ]}
      />
      {mode === 'lines' ? (
        <div class="ad-refund-lines">
          {errors.lines ? (
            <p class="error" role="alert">
              {errors.lines}
            </p>
          ) : null}
          {open.map((l) => (
            <TextField
              key={l.productId}
              id={`ad-refund-${l.productId}`}
              label={t.qtyOf(l.name, l.qty - l.refundedQty)}
              hint={formatFen(l.unitFen)}
              error={errors[l.productId]}
              value={qty[l.productId] ?? ''}
              onInput={(e) => {
                const value = e.currentTarget.value;
                setQty((all) => ({ ...all, [l.productId]: value }));
              }}
              inputMode="numeric"
              maxLength={5}
            />
          ))}
        </div>
      ) : null}
      <TextField
        id="ad-refund-reason"
        label={t.reason}
        error={errors.reason}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
        maxLength={200}
      />
      <div class="ad-actions">
        <button class="btn ad-btn ad-danger" type="submit" disabled={busy}>
          {busy ? t.busy : t.submit}
        </button>
        <button class="btn secondary ad-btn" type="button" onClick={() => setShown(false)} disabled={busy}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
