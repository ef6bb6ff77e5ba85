import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { RefundStatus } from '../checkout/RefundStatus';
import { type AdminContext, listHref } from './context';
import { call, seg } from './http';
import { orderStatus, tone } from './labels';
import { Toast, useNotice } from './notice';
import { OrderActions } from './order/OrderActions';
import { OrderFacts } from './order/OrderFacts';
import { text } from './order/wording';
import type { OrderView } from './types';

/** One order: its facts and lines, and what the brand can do at its status (confirm, ship, complete, refund). */
export function OrderPage({ ctx, id }: { ctx: AdminContext; id: string }) {
  const t = text[ctx.lang];
  const [order, setOrder] = useState<OrderView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useNotice();

  useEffect(() => {
    call<OrderView>(`/orders/${seg(id)}`).then((res) => (res.ok ? setOrder(res.data) : setError(res.error.message)));
  }, [id]);

  function done(next: OrderView, message: string) {
    setOrder(next);
    setNotice(message);
    ctx.refreshCounts();
  }

  const back = (
    <p class="ad-back">
      <a href={listHref('orders')}>← {t.back}</a>
    </p>
  );
  if (error || !order)
    return (
      <section>
        {back}
        {error ? <Alert message={error} /> : <p role="status">{t.loading}</p>}
      </section>
    );

  return (
    <section aria-labelledby="ad-order-title">
      {back}
      <Toast message={notice} />
      <div class="ad-head">
        <h2 id="ad-order-title" class="ad-title">
          {t.order} <span class="ad-code">{order.number}</span>
        </h2>
        <span class={`badge ${tone(order.status)}`}>{orderStatus[ctx.lang][order.status]}</span>
      </div>
      <div class="ad-grid ad-grid-wide">
        <OrderFacts order={order} lang={ctx.lang} />
        <OrderActions ctx={ctx} order={order} onDone={done} />
      </div>
      {order.paymentMethod === 'online' && (order.refundedFen > 0 || order.latePayment?.refundedAt) ? (
        <RefundStatus
          key={`${order.refundedFen}-${order.latePayment?.refundedAt}`}
          orderId={order.id}
          headers={{}}
          lang={ctx.lang}
        />
      ) : null}
    </section>
  );
}
