import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from '../../../lib/dates';
import type { Lang } from '../../../lib/i18n';
import { formatFen } from '../../../lib/money';
import { useAgentNames } from '../agentNames';
import { routeHref } from '../context';
import { call, seg } from '../http';
import { orderKind, paymentMethod, stockModel } from '../labels';
import type { OrderView } from '../types';
import { text } from './wording';

/** A member as people know it: name and phone (GET /api/members/{id}), never its internal id. */
function useMember(id: string | null): string | null {
  const [who, setWho] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return;
    call<{ name: string; phone: string }>(`/members/${seg(id)}`).then((res) => {
      if (res.ok) setWho(`${res.data.name} · ${res.data.phone}`);
    });
  }, [id]);
  return who;
}

/** What an order is: its kind, parties, payment, times, shipping and lines. */
export function OrderFacts({ order, lang }: { order: OrderView; lang: Lang }) {
  const t = text[lang];
  const names = useAgentNames([order.agentId, order.payeeId]);
  const member = useMember(order.memberId);
  const agentLink = (agentId: string) =>
    agentId === 'brand' ? t.brand : <a href={routeHref('agents', agentId)}>{names.get(agentId) ?? '…'}</a>;
  const times: [string, number | null][] = [
    [t.created, order.createdAt],
    [t.paidAt, order.paidAt],
    [t.shippedAt, order.shippedAt],
    [t.completedAt, order.completedAt],
    [t.closedAt, order.closedAt],
  ];
  return (
    <div>
      <section class="card" aria-labelledby="ad-order-facts">
        <h3 id="ad-order-facts">{t.facts}</h3>
        <dl class="facts ad-facts">
          <dt>{t.kind}</dt>
          <dd>{orderKind[lang][order.kind]}</dd>
          <dt>{t.model}</dt>
          <dd>{stockModel[lang][order.stockModel]}</dd>
          <dt>{t.agent}</dt>
          <dd>{agentLink(order.agentId)}</dd>
          <dt>{t.payee}</dt>
          <dd>{agentLink(order.payeeId)}</dd>
          {order.memberId ? (
            <>
              <dt>{t.member}</dt>
              <dd data-testid="order-member">{member ?? '…'}</dd>
            </>
          ) : null}
          <dt>{t.payment}</dt>
          <dd>{paymentMethod[lang][order.paymentMethod]}</dd>
          <dt>{t.amount}</dt>
          <dd>
            <strong>{formatFen(order.amountFen)}</strong>
          </dd>
          {order.refundedFen > 0 ? (
            <>
              <dt>{t.refunded}</dt>
              <dd class="ad-neg">{formatFen(order.refundedFen)}</dd>
            </>
          ) : null}
          {times.map(([label, at]) =>
            at ? (
              <Fragment key={label}>
                <dt>{label}</dt>
                <dd>{formatDateTime(at)}</dd>
              </Fragment>
            ) : null,
          )}
          {order.shipping ? (
            <>
              <dt>{t.receiver}</dt>
              <dd>
                {order.shipping.name} {order.shipping.phone}
              </dd>
              <dt>{t.address}</dt>
              <dd>{order.shipping.address}</dd>
            </>
          ) : null}
          {order.carrier ? (
            <>
              <dt>{t.carrier}</dt>
              <dd>{order.carrier}</dd>
              <dt>{t.trackingNo}</dt>
              <dd>{order.trackingNo}</dd>
            </>
          ) : null}
          {order.note ? (
            <>
              <dt>{t.note}</dt>
              <dd>{order.note}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section class="card ad-table-card" aria-labelledby="ad-order-lines">
        <h3 id="ad-order-lines">{t.lines}</h3>
        <table class="ad-table">
          <thead>
            <tr>
              <th scope="col">{t.product}</th>
              <th scope="col" class="ad-num">
                {t.unit}
              </th>
              <th scope="col" class="ad-num">
                {t.qty}
              </th>
              <th scope="col" class="ad-num">
                {t.refundedQty}
              </th>
              <th scope="col" class="ad-num">
                {t.subtotal}
              </th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((l) => (
              <tr key={l.productId}>
                <th scope="row" data-label={t.product}>
                  {l.name}
                </th>
                <td class="ad-num" data-label={t.unit}>
                  {formatFen(l.unitFen)}
                </td>
                <td class="ad-num" data-label={t.qty}>
                  {l.qty}
                </td>
                <td class="ad-num" data-label={t.refundedQty}>
                  {l.refundedQty}
                </td>
                <td class="ad-num" data-label={t.subtotal}>
                  {formatFen(l.unitFen * l.qty)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
