import { useEffect, useState } from 'preact/hooks';
import { Alert, Segmented, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { formatFen } from '../../lib/money';
import { orderTokenHeaders } from './orders';
import type { Order } from './types';

interface AfterSale {
  id: string;
  kind: 'refund' | 'return';
  status: 'requested' | 'approved' | 'refused';
  reason: string;
  amountFen: number;
  answer: string | null;
}

const text = {
  zh: {
    cancel: '取消订单',
    cancelSure: '确定取消这笔订单吗？取消后不能恢复。',
    cancelYes: '确定取消',
    cancelNo: '再想想',
    cancelled: '订单已取消。',
    confirm: '确认收货',
    confirmed: '已确认收货，订单完成。',
    ask: '申请售后',
    kind: '售后类型',
    refund: '仅退款',
    return: '退货退款',
    reason: '原因',
    reasonError: '请填写原因',
    send: '提交申请',
    requested: (amount: string) => `售后申请处理中（退款 ${amount}），请等待商家处理。`,
    approved: (amount: string) => `售后已同意，已退款 ${amount}。`,
    refused: (answer: string) => `售后申请未通过：${answer}`,
  },
  en: {
    cancel: 'Cancel the order',
    cancelSure: 'Cancel this order? This cannot be undone.',
    cancelYes: 'Cancel it',
    cancelNo: 'Keep it',
    cancelled: 'The order is cancelled.',
    confirm: 'Confirm receipt',
    confirmed: 'Receipt confirmed; the order is complete.',
    ask: 'After-sales',
    kind: 'Kind',
    refund: 'Refund only',
    return: 'Return and refund',
    reason: 'Reason',
    reasonError: 'Give a reason',
    send: 'Send the request',
    requested: (amount: string) => `After-sales request pending (refund ${amount}); the seller will answer.`,
    approved: (amount: string) => `After-sales approved: ${amount} refunded.`,
    refused: (answer: string) => `After-sales request refused: ${answer}`,
  },
};

/** What the buyer does with its order: cancel before paying, confirm receipt, ask for after-sales. */
export function BuyerActions({
  order,
  lang,
  onChange,
}: {
  order: Order;
  lang: 'zh' | 'en';
  onChange: (order: Order) => void;
}) {
  const t = text[lang];
  const headers = orderTokenHeaders(order.id);
  const path = `/orders/${encodeURIComponent(order.id)}`;
  const [busy, setBusy] = useState(false);
  const [sure, setSure] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [requests, setRequests] = useState<AfterSale[]>([]);
  const [asking, setAsking] = useState(false);
  const [kind, setKind] = useState<'refund' | 'return'>('refund');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const afterSalesOpen = ['paid', 'shipped', 'completed'].includes(order.status);

  useEffect(() => {
    if (!afterSalesOpen) return;
    api<{ items: AfterSale[] }>(`${path}/after-sales`, { headers }).then((res) => {
      if (res.ok) setRequests(res.data.items);
    });
  }, [order.id, order.status, order.refundedFen]);

  async function act(action: 'cancel' | 'complete', message: string) {
    setBusy(true);
    setError(null);
    const res = await api<Order>(`${path}/${action}`, { method: 'POST', headers });
    setBusy(false);
    setSure(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    setDone(message);
    onChange({ ...order, ...res.data, payee: order.payee });
  }

  async function ask(event: Event) {
    event.preventDefault();
    if (!reason.trim()) {
      setReasonError(t.reasonError);
      return;
    }
    setBusy(true);
    const res = await api<AfterSale>(`${path}/after-sales`, {
      method: 'POST',
      headers,
      body: { kind, reason: reason.trim() },
    });
    setBusy(false);
    if (!res.ok) {
      if (res.error.field === 'reason') setReasonError(res.error.message.split(/：|: /).pop());
      else setError(res.error.message);
      return;
    }
    setRequests([res.data, ...requests]);
    setAsking(false);
  }

  const latest = requests[0];
  const status = latest
    ? latest.status === 'requested'
      ? t.requested(formatFen(latest.amountFen))
      : latest.status === 'approved'
        ? t.approved(formatFen(latest.amountFen))
        : t.refused(latest.answer ?? '')
    : null;
  const canAsk = afterSalesOpen && latest?.status !== 'requested' && order.refundedFen < order.amountFen;

  return (
    <section class="card stack" aria-live="polite">
      {done ? (
        <p class="notice" role="status">
          {done}
        </p>
      ) : null}
      <Alert message={error} />
      {order.status === 'pending_payment' && !sure ? (
        <button type="button" class="btn secondary" onClick={() => setSure(true)}>
          {t.cancel}
        </button>
      ) : null}
      {order.status === 'pending_payment' && sure ? (
        <>
          <p>{t.cancelSure}</p>
          <button type="button" class="btn" disabled={busy} onClick={() => act('cancel', t.cancelled)}>
            {t.cancelYes}
          </button>
          <button type="button" class="btn secondary" onClick={() => setSure(false)}>
            {t.cancelNo}
          </button>
        </>
      ) : null}
      {order.status === 'shipped' ? (
        <button type="button" class="btn" disabled={busy} onClick={() => act('complete', t.confirmed)}>
          {t.confirm}
        </button>
      ) : null}
      {status ? <p role="status">{status}</p> : null}
      {canAsk && !asking ? (
        <button type="button" class="btn secondary" onClick={() => setAsking(true)}>
          {t.ask}
        </button>
      ) : null}
      {canAsk && asking ? (
        <form class="stack" onSubmit={ask} noValidate>
          <Segmented
            name="after-sales-kind"
            legend={t.kind}
            options={[
              { value: 'refund', label: t.refund },
              { value: 'return', label: t.return },
            ]}
            value={kind}
            onChange={setKind}
          />
          <TextField
            id="after-sales-reason"
            label={t.reason}
            value={reason}
            maxLength={200}
            error={reasonError}
            onInput={(e) => {
              setReason(e.currentTarget.value);
              setReasonError(undefined);
            }}
          />
          <button type="submit" class="btn" disabled={busy}>
            {t.send}
          </button>
        </form>
      ) : null}
    </section>
  );
}
