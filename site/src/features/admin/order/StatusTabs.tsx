import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../../lib/i18n';
import { call } from '../http';
import { orderStatus, orderStatuses } from '../labels';
import type { OrderStatus } from '../types';

interface Counts {
  total: number;
  counts: Record<OrderStatus, number>;
}

const text = {
  zh: { label: '按状态查看订单', all: '全部' },
  en: { label: 'Orders by status', all: 'All' },
};

/**
 * 订单状态标签：每个状态和它的订单数（服务端计数器，不数订单表）。`refresh` 变化时重读，发货等操作之后数字跟着变。
 */
export function StatusTabs({
  lang,
  value,
  onChange,
  refresh,
}: {
  lang: Lang;
  value: '' | OrderStatus;
  onChange: (status: '' | OrderStatus) => void;
  refresh: unknown;
}) {
  const t = text[lang];
  const [counts, setCounts] = useState<Counts | null>(null);
  useEffect(() => {
    let live = true;
    call<Counts>('/orders/status-counts').then((res) => {
      if (live && res.ok) setCounts(res.data);
    });
    return () => {
      live = false;
    };
  }, [refresh]);

  const tabs: ['' | OrderStatus, string, number | undefined][] = [
    ['', t.all, counts?.total],
    ...orderStatuses.map((s): [OrderStatus, string, number | undefined] => [
      s,
      orderStatus[lang][s],
      counts?.counts[s],
    ]),
  ];
  return (
    <nav class="ad-tabs" aria-label={t.label}>
      {tabs.map(([status, label, n]) => (
        <button
          key={status || 'all'}
          type="button"
          class="ad-tab"
          aria-pressed={value === status}
          data-testid={`order-tab-${status || 'all'}`}
          onClick={() => onChange(status)}
        >
          {label}
          {n !== undefined ? <span class="ad-tab-count">{n}</span> : null}
        </button>
      ))}
    </nav>
  );
}
