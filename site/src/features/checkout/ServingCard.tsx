import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { SmsCodeField } from '../auth/SmsCodeField';
import { PayeeDetails } from './PayeeCard';
import { type Payee, PHONE, type ServedBy } from './types';

const text = {
  zh: {
    title: '服务与收款',
    servedBy: (a: ServedBy) => `本单由 ${a.name}（${a.levelName}）服务`,
    cert: '查看授权书',
    boundHere: (name: string) => `您的手机号已绑定专属顾问 ${name}，本单归 ${name}，由 ${name} 确认收款和发货。`,
    hidden: '该手机号已有专属顾问，本单将由专属顾问服务，款项由品牌方代收。验证手机号后可查看顾问和付款方式。',
    verify: '验证手机号',
    verifyBusy: '验证中…',
    codeError: '请输入 6 位短信验证码',
    online: (name: string) => `在线支付，由 ${name} 收款`,
    offline: (name: string) => `线下付款：请向 ${name} 付款`,
    phoneFirst: '填写手机号后显示为您服务的代理和收款方。',
  },
  en: {
    title: 'Who serves you and whom you pay',
    servedBy: (a: ServedBy) => `This order is served by ${a.name} (${a.levelName})`,
    cert: 'Certificate',
    boundHere: (name: string) =>
      `Your phone is bound to your own adviser ${name}: the order belongs to ${name}, who confirms payment and ships.`,
    hidden:
      'This phone already has its own adviser, who will serve the order; the brand collects the payment. Prove the ' +
      'phone to see the adviser and how to pay them.',
    verify: 'Prove the phone',
    verifyBusy: 'Checking…',
    codeError: 'Enter the 6-digit code from the text message',
    online: (name: string) => `Pay online; ${name} collects`,
    offline: (name: string) => `Pay offline: pay ${name}`,
    phoneFirst: 'Enter the phone number to see the agent serving you and the payee.',
  },
};

export interface Serving {
  servedBy: ServedBy | null;
  otherThanShop: boolean;
  payees: { online: Payee; offline: Payee };
}

/**
 * Checkout, before placing: the agent the order will belong to and whom to pay (POST /api/orders/serving), asked
 * again when the phone changes. A guest's phone bound to another agent is named once proved by an SMS code.
 */
export function ServingCard(props: {
  shopCode: string;
  phone: string;
  member: boolean;
  method: 'online' | 'offline';
  lang: 'zh' | 'en';
}) {
  const t = text[props.lang];
  const phone = props.phone.trim();
  const ready = props.member || PHONE.test(phone);
  const [serving, setServing] = useState<Serving | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!ready) {
      setServing(null);
      return;
    }
    let live = true;
    const body = props.member ? { shopCode: props.shopCode } : { shopCode: props.shopCode, phone };
    api<Serving>('/orders/serving', { method: 'POST', body }).then((res) => {
      if (live) setServing(res.ok ? res.data : null);
    });
    return () => {
      live = false;
    };
  }, [props.shopCode, props.member, ready ? phone : '', asked]);

  async function verify() {
    if (!/^\d{6}$/.test(code)) {
      setCodeError(t.codeError);
      return;
    }
    setBusy(true);
    const res = await api('/orders/lookup', { method: 'POST', body: { phone, smsCode: code } });
    setBusy(false);
    setCodeError(res.ok ? undefined : res.error.message);
    if (res.ok) setAsked((n) => n + 1);
  }

  const payee = serving?.payees[props.method];
  return (
    <section class="card stack" aria-labelledby="co-serving" aria-live="polite" data-testid="serving">
      <h2 id="co-serving">{t.title}</h2>
      {!serving ? <p class="muted">{t.phoneFirst}</p> : null}
      {serving?.servedBy ? (
        <p>
          <strong>{t.servedBy(serving.servedBy)}</strong>{' '}
          {serving.servedBy.certNumber ? (
            <a href={`/c/${encodeURIComponent(serving.servedBy.certNumber)}`}>{t.cert}</a>
          ) : null}
        </p>
      ) : null}
      {serving?.servedBy && serving.otherThanShop ? <p class="notice">{t.boundHere(serving.servedBy.name)}</p> : null}
      {serving && !serving.servedBy && serving.otherThanShop ? (
        <>
          <p class="notice">{t.hidden}</p>
          <SmsCodeField
            id="co-verify-code"
            phone={phone}
            purpose="orders"
            value={code}
            error={codeError}
            onInput={setCode}
          />
          <button type="button" class="btn secondary" onClick={verify} disabled={busy}>
            {busy ? t.verifyBusy : t.verify}
          </button>
        </>
      ) : null}
      {payee ? (
        <>
          <p>
            <strong>{props.method === 'online' ? t.online(payee.name) : t.offline(payee.name)}</strong>
          </p>
          {props.method === 'offline' ? <PayeeDetails payee={payee} lang={props.lang} /> : null}
        </>
      ) : null}
    </section>
  );
}
