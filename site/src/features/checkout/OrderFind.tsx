import { useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/dates';
import { useLang } from '../../lib/hooks';
import { formatFen } from '../../lib/money';
import { PHONE_MAX_TYPED, phoneDigits } from '../../lib/phone';
import { PayeeDetails } from './PayeeCard';
import { type OrderStatus, type Payee, PHONE, statusText } from './types';

const text = {
  zh: {
    title: '按订单号查询',
    lead: '输入下单成功时显示的 18 位订单号和收货手机号。',
    number: '订单号',
    phone: '下单手机号',
    numberError: '请输入 18 位数字的订单号',
    phoneError: '请输入 11 位手机号',
    find: '查询',
    busy: '查询中…',
    shipTo: '收货人',
    tracking: '运单号',
    track: '查看物流',
    payTo: (name: string) => `请向 ${name} 付款`,
    again: '查询其他订单',
  },
  en: {
    title: 'Find an order by its number',
    lead: 'Enter the 18-digit order number shown when the order was placed, and the phone it was sent to.',
    number: 'Order number',
    phone: 'Phone used for the order',
    numberError: 'Enter the 18-digit order number',
    phoneError: 'Enter an 11-digit mobile number',
    find: 'Find',
    busy: 'Looking…',
    shipTo: 'Recipient',
    tracking: 'Tracking number',
    track: 'Track the parcel',
    payTo: (name: string) => `Pay ${name}`,
    again: 'Find another order',
  },
};

/** POST /api/orders/find */
interface Found {
  number: string;
  status: OrderStatus;
  amountFen: number;
  shipName: string;
  carrier: string | null;
  trackingNo: string | null;
  trackingUrl: string | null;
  payee: Payee | null;
  createdAt: number;
  lines: { name: string; qty: number; unitFen: number }[];
}

const digits = (s: string) => s.replace(/[\s-]/g, '');

/** /orders for a guest in any browser: an order by the number it was told to keep and its phone (a slip's view). */
export function OrderFind() {
  const lang = useLang();
  const t = text[lang];
  const [number, setNumber] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<{ number?: string; phone?: string; top?: string }>({});
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Found | null>(null);

  async function find(event: Event) {
    event.preventDefault();
    const errs = {
      ...(/^\d{18}$/.test(digits(number)) ? {} : { number: t.numberError }),
      ...(PHONE.test(phoneDigits(phone)) ? {} : { phone: t.phoneError }),
    };
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    const res = await api<Found>('/orders/find', { method: 'POST', body: { number, phone: phoneDigits(phone) } });
    setBusy(false);
    if (res.ok) setFound(res.data);
    else setErrors(res.error.field === 'number' ? { number: res.error.message } : { top: res.error.message });
  }

  if (found) {
    return (
      <section class="card stack" aria-live="polite" data-testid="found-order">
        <div class="row">
          <span class={`badge st-${found.status}`}>{statusText[lang][found.status]}</span>
          <span class="muted nowrap">{formatDateTime(found.createdAt)}</span>
        </div>
        <p>
          {t.number}：<span data-testid="order-number">{found.number}</span>
        </p>
        <ul class="olines">
          {found.lines.map((l) => (
            <li key={l.name}>
              <span>{l.name}</span>
              <span class="muted nowrap">
                {formatFen(l.unitFen)} × {l.qty}
              </span>
            </li>
          ))}
        </ul>
        <p class="total">
          <strong>{formatFen(found.amountFen)}</strong>
        </p>
        <p>
          {t.shipTo}：{found.shipName}
        </p>
        {found.trackingNo ? (
          <p>
            {found.carrier} {t.tracking} {found.trackingNo}{' '}
            {found.trackingUrl ? (
              <a href={found.trackingUrl} target="_blank" rel="noopener noreferrer">
                {t.track}
              </a>
            ) : null}
          </p>
        ) : null}
        {found.payee ? (
          <>
            <p>
              <strong>{t.payTo(found.payee.name)}</strong>
            </p>
            <PayeeDetails payee={found.payee} lang={lang} />
          </>
        ) : null}
        <button type="button" class="btn secondary" onClick={() => setFound(null)}>
          {t.again}
        </button>
      </section>
    );
  }

  return (
    <form class="card" onSubmit={find} noValidate aria-busy={busy} aria-labelledby="order-find-title">
      <h2 id="order-find-title">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <Alert message={errors.top} />
      <TextField
        id="find-number"
        label={t.number}
        inputMode="numeric"
        autocomplete="off"
        maxLength={40}
        value={number}
        error={errors.number}
        onInput={(e) => setNumber(e.currentTarget.value)}
      />
      <TextField
        id="find-phone"
        label={t.phone}
        type="tel"
        inputMode="numeric"
        autocomplete="tel-national"
        maxLength={PHONE_MAX_TYPED}
        value={phone}
        error={errors.phone}
        onInput={(e) => setPhone(e.currentTarget.value)}
      />
      <button class="btn" type="submit" disabled={busy}>
        {busy ? t.busy : t.find}
      </button>
    </form>
  );
}
