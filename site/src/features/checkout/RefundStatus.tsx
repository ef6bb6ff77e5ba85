import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/dates';
import type { Lang } from '../../lib/i18n';
import { formatFen } from '../../lib/money';

export interface GatewayRefund {
  id: string;
  kind: 'refund' | 'late';
  amountFen: number;
  status: 'pending' | 'processing' | 'succeeded' | 'abnormal' | 'closed';
  createdAt: number;
  settledAt: number | null;
}

const text = {
  zh: {
    title: '退款进度',
    status: {
      pending: '退款已受理，正在提交微信支付',
      processing: '退款处理中，将原路退回',
      succeeded: '退款成功，已原路退回',
      abnormal: '退款异常，请联系商家处理',
      closed: '退款已关闭，请联系商家',
    },
    late: '（订单取消后到账的付款）',
  },
  en: {
    title: 'Refunds',
    status: {
      pending: 'Accepted; being sent to WeChat Pay',
      processing: 'Processing; the money goes back the way it came',
      succeeded: 'Refunded to the payer',
      abnormal: 'Refund failed at WeChat Pay; contact the seller',
      closed: 'Refund closed; contact the seller',
    },
    late: ' (a payment received after cancellation)',
  },
};

/**
 * The order's refunds through WeChat Pay and their state. While one is unsettled it asks the server to follow it
 * (resend or query WeChat Pay), every 5 s for a minute.
 */
export function RefundStatus({
  orderId,
  headers,
  lang,
}: {
  orderId: string;
  headers: Record<string, string>;
  lang: Lang;
}) {
  const t = text[lang];
  const [items, setItems] = useState<GatewayRefund[]>([]);
  useEffect(() => {
    let alive = true;
    const path = `/orders/${encodeURIComponent(orderId)}/refunds`;
    (async () => {
      const first = await api<{ items: GatewayRefund[] }>(path, { headers });
      if (!first.ok || !alive) return;
      setItems(first.data.items);
      let open = first.data.items.some((r) => r.status === 'pending' || r.status === 'processing');
      for (let i = 0; open && alive && i < 12; i++) {
        await new Promise((r) => setTimeout(r, i === 0 ? 500 : 5000));
        const next = await api<{ items: GatewayRefund[] }>(`${path}/sync`, { method: 'POST', headers });
        if (!next.ok || !alive) return;
        setItems(next.data.items);
        open = next.data.items.some((r) => r.status === 'pending' || r.status === 'processing');
      }
    })();
    return () => {
      alive = false;
    };
  }, [orderId]);
  if (items.length === 0) return null;
  return (
    <section class="card" aria-live="polite">
      <h2>{t.title}</h2>
      <ul class="olines">
        {items.map((r) => (
          <li key={r.id} data-refund-status={r.status}>
            <span>
              {t.status[r.status]}
              {r.kind === 'late' ? t.late : ''}
              <br />
              <small class="muted">{formatDateTime(r.settledAt ?? r.createdAt)}</small>
            </span>
            <span class="muted nowrap">{formatFen(r.amountFen)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
