import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { type OrderSummary, orderUrl, statusText } from './types';

const tracking = { zh: (no: string) => `运单号 ${no}`, en: (no: string) => `Tracking ${no}` };

/** One order in a list: status, when, amount and tracking number, linking to its page. */
export function OrderRow({ o, lang }: { o: OrderSummary; lang: 'zh' | 'en' }) {
  return (
    <li>
      <a href={orderUrl(o.id)}>
        <span class={`badge st-${o.status}`}>{statusText[lang][o.status]}</span>{' '}
        <span class="muted">{formatDateTime(o.createdAt)}</span>
        <br />
        <strong>{formatFen(o.amountFen)}</strong>
        {o.trackingNo ? <span class="muted"> · {tracking[lang](o.trackingNo)}</span> : null}
      </a>
    </li>
  );
}
