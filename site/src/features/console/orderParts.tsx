import { useEffect, useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { OrderThumb } from '../../components/OrderThumb';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/dates';
import type { Lang } from '../../lib/i18n';
import { formatFen } from '../../lib/money';
import { orderKind, orderStatus, paymentMethod, tone } from './labels';
import type { AgentDetail, OrderSummary, OrderView } from './types';

const text = {
  zh: {
    details: '详情',
    hide: '收起',
    loading: '加载中…',
    receiver: '收货人',
    address: '地址',
    lines: '商品',
    carrier: '快递',
    note: '备注',
    paidAt: '付款时间',
    shippedAt: '发货时间',
    refunded: '已退款',
    qty: (n: number) => `× ${n}`,
    reason: '拒绝原因',
    reasonHint: '买方可以看到此原因；已付款的订单将全额退款',
    required: '请填写拒绝原因',
    confirmRefuse: '确认拒绝',
    cancel: '取消',
    busy: '处理中…',
  },
  en: {
    details: 'Details',
    hide: 'Hide',
    loading: 'Loading…',
    receiver: 'Receiver',
    address: 'Address',
    lines: 'Items',
    carrier: 'Carrier',
    note: 'Note',
    paidAt: 'Paid',
    shippedAt: 'Shipped',
    refunded: 'Refunded',
    qty: (n: number) => `× ${n}`,
    reason: 'Reason for refusing',
    reasonHint: 'The buyer sees it; a paid order is refunded in full',
    required: 'Enter a reason',
    confirmRefuse: 'Confirm refusal',
    cancel: 'Cancel',
    busy: 'Working…',
  },
};

/** The first line of an order row: what kind, its status, the amount and when. */
export function OrderHead({ order, lang, who }: { order: OrderSummary; lang: Lang; who?: string | undefined }) {
  return (
    <>
      <div class="row">
        <strong>
          {orderKind[lang][order.kind]} · {formatFen(order.amountFen)}
        </strong>
        <span class={`badge ${tone(order.status)}`}>{orderStatus[lang][order.status]}</span>
      </div>
      <OrderThumb lang={lang} name={order.productName} thumbnail={order.thumbnail} lineCount={order.lineCount} />
      <p class="muted cx-meta">
        {who ? <span>{who} · </span> : null}
        <span class="nowrap">{formatDateTime(order.createdAt)}</span> · {paymentMethod[lang][order.paymentMethod]}
        {order.refundedFen > 0 ? ` · ${text[lang].refunded} ${formatFen(order.refundedFen)}` : null}
        <br />
        <span class="cx-id">{order.number}</span>
      </p>
    </>
  );
}

function Detail({ id, lang }: { id: string; lang: Lang }) {
  const t = text[lang];
  const [order, setOrder] = useState<OrderView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<OrderView>(`/orders/${encodeURIComponent(id)}`).then((res) =>
      res.ok ? setOrder(res.data) : setError(res.error.message),
    );
  }, [id]);
  if (error) return <Alert message={error} />;
  if (!order)
    return (
      <p class="muted" role="status">
        {t.loading}
      </p>
    );
  return (
    <dl class="facts">
      <dt>{t.lines}</dt>
      <dd>
        {order.lines.map((l) => (
          <div key={l.productId}>
            {l.name} {t.qty(l.qty)} · {formatFen(l.unitFen)}
            {l.refundedQty > 0 ? ` (${t.refunded} ${l.refundedQty})` : null}
          </div>
        ))}
      </dd>
      {order.shipping ? (
        <>
          <dt>{t.receiver}</dt>
          <dd>
            {order.shipping.name} <a href={`tel:${order.shipping.phone}`}>{order.shipping.phone}</a>
          </dd>
          <dt>{t.address}</dt>
          <dd>{order.shipping.address}</dd>
        </>
      ) : null}
      {order.paidAt ? (
        <>
          <dt>{t.paidAt}</dt>
          <dd>{formatDateTime(order.paidAt)}</dd>
        </>
      ) : null}
      {order.shippedAt ? (
        <>
          <dt>{t.shippedAt}</dt>
          <dd>{formatDateTime(order.shippedAt)}</dd>
        </>
      ) : null}
      {order.trackingNo ? (
        <>
          <dt>{t.carrier}</dt>
          <dd>
            {order.carrier} {order.trackingNo}
          </dd>
        </>
      ) : null}
      {order.note ? (
        <>
          <dt>{t.note}</dt>
          <dd>{order.note}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** "详情" opens the order's lines, address and tracking, read when first opened. */
export function OrderDetails({ id, lang }: { id: string; lang: Lang }) {
  const t = text[lang];
  const [open, setOpen] = useState(false);
  const panel = `cx-detail-${id}`;
  return (
    <>
      <button class="cx-link" type="button" aria-expanded={open} aria-controls={panel} onClick={() => setOpen(!open)}>
        {open ? t.hide : t.details}
      </button>
      {open ? (
        <div id={panel}>
          <Detail id={id} lang={lang} />
        </div>
      ) : null}
    </>
  );
}

/** The reason form of a refusal (a restock order, by its supplier); `onDone` gets the refused order. */
export function RefuseForm({
  id,
  lang,
  onDone,
  onCancel,
}: {
  id: string;
  lang: Lang;
  onDone: (order: OrderView) => void;
  onCancel: () => void;
}) {
  const t = text[lang];
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inputId = `cx-refuse-${id}`;
  useEffect(() => document.getElementById(inputId)?.focus(), [inputId]);

  async function submit(event: Event) {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t.required);
      return;
    }
    setBusy(true);
    const res = await api<OrderView>(`/orders/${encodeURIComponent(id)}/refuse`, {
      method: 'POST',
      body: { reason: reason.trim() },
    });
    setBusy(false);
    if (res.ok) onDone(res.data);
    else setError(res.error.message);
  }

  return (
    <form class="cx-inline" onSubmit={submit} noValidate>
      <TextField
        id={inputId}
        label={t.reason}
        hint={t.reasonHint}
        error={error}
        value={reason}
        maxLength={200}
        required
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      <div class="cx-actions">
        <button class="btn cx-danger" type="submit" disabled={busy}>
          {busy ? t.busy : t.confirmRefuse}
        </button>
        <button class="btn secondary" type="button" onClick={onCancel} disabled={busy}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

const nameCache = new Map<string, Promise<string | null>>();

/** Names of agents in my team (the buyers of restock orders), each read once per page view. */
export function useAgentNames(ids: readonly string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const id of key ? key.split(',') : []) {
      if (!id.startsWith('agt_')) continue;
      let pending = nameCache.get(id);
      if (!pending) {
        pending = api<AgentDetail>(`/agents/${encodeURIComponent(id)}`).then((r) => (r.ok ? r.data.name : null));
        nameCache.set(id, pending);
      }
      pending.then((name) => {
        if (live && name) setNames((n) => (n[id] === name ? n : { ...n, [id]: name }));
      });
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}
