import { useState } from 'preact/hooks';
import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import { type AdminContext, routeHref } from './context';
import { call } from './http';
import type { Page } from './types';

interface AbnormalRefund {
  id: string;
  orderId: string;
  amountFen: number;
  status: string;
  updatedAt: number;
}

const text = {
  zh: {
    title: '退款异常',
    lead: '微信支付退款异常（如买家银行卡已注销或冻结）。可在微信支付商户平台「交易中心 → 退款」中手动处理后点“重新查询”，或退款成功后自动从此列表移除。',
    list: '退款异常列表',
    empty: '没有退款异常。',
    order: '订单',
    amount: '退款金额',
    at: '异常时间',
    retry: '重新查询',
    busy: '查询中…',
    still: '微信支付仍显示退款异常。',
  },
  en: {
    title: 'Abnormal refunds',
    lead: 'Refunds WeChat Pay could not deliver (e.g. the payer’s card is closed). Settle them in the merchant platform (交易中心 → 退款), then ask again; settled refunds leave this list.',
    list: 'Abnormal refunds',
    empty: 'No abnormal refunds.',
    order: 'Order',
    amount: 'Amount',
    at: 'Since',
    retry: 'Ask WeChat again',
    busy: 'Asking…',
    still: 'WeChat Pay still reports it abnormal.',
  },
};

/** The brand's list of refunds WeChat Pay reported abnormal, each with a retry that asks WeChat for its state. */
export function AbnormalRefunds({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const paged = usePaged(
    (cursor) => call<Page<AbnormalRefund>>('/refunds/abnormal', { query: { cursor, limit: 20 } }),
    'abnormal',
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function retry(item: AbnormalRefund) {
    setBusy(item.id);
    setMessage(null);
    const res = await call<{ items: { id: string; status: string }[] }>(`/orders/${item.orderId}/refunds/sync`, {
      method: 'POST',
    });
    setBusy(null);
    if (!res.ok) return setMessage(res.error.message);
    const now = res.data.items.find((r) => r.id === item.id);
    if (now && now.status !== 'abnormal') paged.edit((all) => all.filter((x) => x.id !== item.id));
    else setMessage(t.still);
  }

  return (
    <div class="card" data-testid="abnormal-refunds">
      <h3>{t.title}</h3>
      <p class="muted">{t.lead}</p>
      {message ? (
        <p class="alert" role="alert">
          {message}
        </p>
      ) : null}
      <PagedList paged={paged} lang={ctx.lang} empty={t.empty}>
        {(items) => (
          <ul class="ad-list ad-cards" aria-label={t.list}>
            {items.map((r) => (
              <li key={r.id}>
                <dl class="facts ad-facts">
                  <dt>{t.order}</dt>
                  <dd>
                    <a href={routeHref('orders', r.orderId)}>{r.orderId}</a>
                  </dd>
                  <dt>{t.amount}</dt>
                  <dd>{formatFen(r.amountFen)}</dd>
                  <dt>{t.at}</dt>
                  <dd>{formatDateTime(r.updatedAt)}</dd>
                </dl>
                <button class="btn secondary ad-btn" type="button" onClick={() => retry(r)} disabled={busy === r.id}>
                  {busy === r.id ? t.busy : t.retry}
                </button>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </div>
  );
}
