import { useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { formatFen } from '../../lib/money';
import type { AdminContext } from './context';
import { call, fieldText, seg } from './http';
import type { OrderView } from './types';

const text = {
  zh: {
    title: '取消后到账的付款',
    due: (amount: string) =>
      `该订单取消后仍收到买家付款 ${amount}，需原路退还买家。在微信支付商户平台退款后，在此登记退款单号。`,
    done: (amount: string, ref: string) => `取消后到账的 ${amount} 已退还买家（退款单号 ${ref}）。`,
    reference: '退款单号',
    submit: '登记已退款',
    busy: '处理中…',
    required: '请填写退款单号',
    recorded: '已登记退款。',
    viaWechat: '通过微信支付原路退款',
    sent: '退款已提交微信支付。',
  },
  en: {
    title: 'Payment after cancellation',
    due: (amount: string) =>
      `The buyer paid ${amount} after this order was cancelled; it is owed back. Refund it in the WeChat Pay merchant platform, then record the refund number here.`,
    done: (amount: string, ref: string) => `The ${amount} paid after cancellation was refunded (refund number ${ref}).`,
    reference: 'Refund number',
    submit: 'Record the refund',
    busy: 'Working…',
    required: 'Enter the refund number',
    recorded: 'Refund recorded.',
    viaWechat: 'Refund through WeChat Pay',
    sent: 'The refund was sent to WeChat Pay.',
  },
};

/** A cancelled order that was paid anyway: the money is owed back until the brand records its refund. */
export function LatePayment({
  ctx,
  order,
  onDone,
}: {
  ctx: AdminContext;
  order: OrderView;
  onDone: (order: OrderView, message: string) => void;
}) {
  const t = text[ctx.lang];
  const [reference, setReference] = useState('');
  const [error, setError] = useState<{ field?: string; top?: string }>({});
  const [busy, setBusy] = useState(false);
  const late = order.latePayment;
  if (!late) return null;
  const amount = formatFen(late.amountFen);
  if (late.refundedAt !== null) {
    return (
      <section class="ad-subform" aria-labelledby="ad-late-title">
        <h4 id="ad-late-title">{t.title}</h4>
        <p class="muted">{t.done(amount, late.reference ?? '')}</p>
      </section>
    );
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!reference.trim()) {
      setError({ field: t.required });
      document.getElementById('ad-late-ref')?.focus();
      return;
    }
    setBusy(true);
    const res = await call<OrderView>(`/orders/${seg(order.id)}/late-payment-refund`, {
      method: 'POST',
      body: { reference: reference.trim() },
    });
    setBusy(false);
    if (res.ok) {
      onDone(res.data, t.recorded);
      return;
    }
    setError(res.error.field === 'reference' ? { field: fieldText(res.error) } : { top: res.error.message });
  }

  // Through WeChat Pay: the out_refund_no becomes the reference and the refund's state is followed on the order.
  async function viaWechat() {
    setBusy(true);
    const res = await call<OrderView>(`/orders/${seg(order.id)}/late-payment-refund`, { method: 'POST', body: {} });
    setBusy(false);
    if (res.ok) onDone(res.data, t.sent);
    else setError({ top: res.error.message });
  }

  return (
    <form class="ad-subform" onSubmit={submit} noValidate aria-labelledby="ad-late-title" aria-busy={busy}>
      <h4 id="ad-late-title">{t.title}</h4>
      <p role="status">{t.due(amount)}</p>
      <Alert message={error.top} />
      {order.paymentMethod === 'online' ? (
        <button class="btn ad-btn" type="button" disabled={busy} onClick={viaWechat}>
          {t.viaWechat}
        </button>
      ) : null}
      <TextField
        id="ad-late-ref"
        label={t.reference}
        value={reference}
        onInput={(e) => setReference(e.currentTarget.value)}
        error={error.field}
        maxLength={64}
      />
      <button class="btn ad-btn" type="submit" disabled={busy}>
        {busy ? t.busy : t.submit}
      </button>
    </form>
  );
}
