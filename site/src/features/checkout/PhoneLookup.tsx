import { useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { useLang } from '../../lib/hooks';
import { PHONE_MAX_TYPED, phoneDigits } from '../../lib/phone';
import { SmsCodeField } from '../auth/SmsCodeField';
import { OrderRow } from './OrderRow';
import { rememberOrder } from './orders';
import { type OrderSummary, PHONE } from './types';

const text = {
  zh: {
    title: '用手机号查询订单',
    lead: '验证下单时填写的手机号，查看用它下的全部订单。',
    phone: '下单手机号',
    phoneError: '请输入 11 位手机号',
    codeError: '请输入 6 位短信验证码',
    find: '查询订单',
    busy: '查询中…',
    found: (n: number, phone: string) => `手机号 ${phone} 的订单（${n}${n >= 20 ? '+' : ''}）`,
    none: '这个手机号还没有以游客身份下过订单。',
    more: '加载更多',
  },
  en: {
    title: 'Find orders by phone',
    lead: 'Prove the phone you ordered with to see every order placed with it.',
    phone: 'Phone used for the orders',
    phoneError: 'Enter an 11-digit mobile number',
    codeError: 'Enter the 6-digit code from the text message',
    find: 'Find orders',
    busy: 'Looking…',
    found: (n: number, phone: string) => `Orders placed with ${phone} (${n}${n >= 20 ? '+' : ''})`,
    none: 'No guest orders were placed with this phone.',
    more: 'More',
  },
};

interface Page {
  items: OrderSummary[];
  nextCursor: string | null;
  phone: string;
}

/** /orders for a guest: a text message code proves the phone, then its guest orders are listed (POST /orders/lookup). */
export function PhoneLookup() {
  const lang = useLang();
  const t = text[lang];
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ phone?: string; smsCode?: string; top?: string }>({});
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Page | null>(null);

  function remember(page: Page) {
    // The order page reads a guest's order with its phone.
    for (const o of page.items) rememberOrder({ id: o.id, phone: page.phone, shop: null, at: o.createdAt });
  }

  async function find(event: Event) {
    event.preventDefault();
    const errs = {
      ...(PHONE.test(phoneDigits(phone)) ? {} : { phone: t.phoneError }),
      ...(/^\d{6}$/.test(code) ? {} : { smsCode: t.codeError }),
    };
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    const res = await api<Page>('/orders/lookup', {
      method: 'POST',
      body: { phone: phoneDigits(phone), smsCode: code },
    });
    setBusy(false);
    if (!res.ok) {
      setErrors(res.error.field === 'smsCode' ? { smsCode: res.error.message } : { top: res.error.message });
      return;
    }
    remember(res.data);
    setFound(res.data);
  }

  async function more() {
    if (!found?.nextCursor) return;
    const res = await api<Page>('/orders/lookup', { query: { cursor: found.nextCursor, limit: 20 } });
    if (!res.ok) {
      setErrors({ top: res.error.message });
      return;
    }
    remember(res.data);
    setFound({ ...res.data, items: [...found.items, ...res.data.items] });
  }

  if (found) {
    return (
      <section aria-live="polite">
        <h2>{t.found(found.items.length, found.phone)}</h2>
        <Alert message={errors.top} />
        {found.items.length === 0 ? <p class="lead">{t.none}</p> : null}
        <div class="card">
          <ul class="olines">
            {found.items.map((o) => (
              <OrderRow key={o.id} o={o} lang={lang} />
            ))}
          </ul>
        </div>
        {found.nextCursor ? (
          <button type="button" class="btn secondary" onClick={more}>
            {t.more}
          </button>
        ) : null}
      </section>
    );
  }

  return (
    <form class="card" onSubmit={find} noValidate aria-busy={busy} aria-labelledby="phone-lookup-title">
      <h2 id="phone-lookup-title">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <Alert message={errors.top} />
      <TextField
        id="orders-phone"
        label={t.phone}
        type="tel"
        inputMode="numeric"
        autocomplete="tel-national"
        maxLength={PHONE_MAX_TYPED}
        value={phone}
        error={errors.phone}
        onInput={(e) => setPhone(e.currentTarget.value)}
      />
      <SmsCodeField
        id="orders-smsCode"
        phone={phone}
        purpose="orders"
        value={code}
        error={errors.smsCode}
        onInput={setCode}
      />
      <button class="btn" type="submit" disabled={busy}>
        {busy ? t.busy : t.find}
      </button>
    </form>
  );
}
