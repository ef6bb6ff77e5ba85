import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { type OrderSummary, orderUrl, statusText } from './types';

const numberText = { zh: (no: string) => `订单号 ${no}`, en: (no: string) => `No. ${no}` };
const tracking = { zh: (no: string) => `运单号 ${no}`, en: (no: string) => `Tracking ${no}` };

/** One order in a list: status, when, its number, amount and tracking number, linking to its page. */
export function OrderRow({ o, lang }: { o: OrderSummary; lang: 'zh' | 'en' }) {
  return (
    <li>
      <a href={orderUrl(o.id)}>
        <span class={`badge st-${o.status}`}>{statusText[lang][o.status]}</span>{' '}
        <span class="muted">{formatDateTime(o.createdAt)}</span>
        <br />
        {o.number ? <span class="muted">{numberText[lang](o.number)}</span> : null}
        <br />
        <strong>{formatFen(o.amountFen)}</strong>
        {o.trackingNo ? <span class="muted"> · {tracking[lang](o.trackingNo)}</span> : null}
      </a>
    </li>
  );
}
