import { useState } from 'preact/hooks';
import { copyText } from '../console/clipboard';
import '../../styles/pictures.css';
import type { Order, Payee } from './types';

const text = {
  zh: {
    payTo: (name: string) => `请向 ${name} 付款，对方收款后确认订单`,
    how: '付款方式',
    none: '收款方尚未填写付款方式，请通过下单的小店联系对方。',
    copy: '复制订单号',
    copied: '已复制',
    hint: '付款时请备注订单号',
    qr: (name: string) => `${name}的收款码`,
    scan: '长按或扫描收款码付款',
  },
  en: {
    payTo: (name: string) => `Pay ${name}; they confirm the order once paid`,
    how: 'How to pay',
    none: 'The payee has not written how to pay yet; contact them through the shop.',
    copy: 'Copy the order number',
    copied: 'Copied',
    hint: 'Put the order number in the payment note',
    qr: (name: string) => `${name}’s payment QR`,
    scan: 'Press and hold, or scan, the QR to pay',
  },
};

/** Offline payment: who is paid (the order's own agent or the brand) and how, from the order itself. */
export function PayeeCard({ order, lang }: { order: Order; lang: 'zh' | 'en' }) {
  const t = text[lang];
  if (!order.payee) return null;
  return (
    <div class="stack" data-testid="payee">
      <p>
        <strong>{t.payTo(order.payee.name)}</strong>
      </p>
      <PayeeDetails payee={order.payee} lang={lang} />
      <p class="muted">{t.hint}</p>
    </div>
  );
}

/** How to pay a payee offline: its note (WeChat ID, phone…) and its payment QR code when it uploaded one. */
export function PayeeDetails({ payee, lang }: { payee: Payee; lang: 'zh' | 'en' }) {
  const t = text[lang];
  return (
    <>
      <p data-testid="payee-how">
        {t.how}：{payee.payNote || (payee.payQrUrl ? '' : t.none)}
      </p>
      {payee.payQrUrl ? (
        <figure class="stack">
          <img
            class="pay-qr"
            src={payee.payQrUrl}
            alt={t.qr(payee.name)}
            width={200}
            height={200}
            loading="lazy"
            data-testid="payee-qr"
          />
          <figcaption class="muted">{t.scan}</figcaption>
        </figure>
      ) : null}
    </>
  );
}

/** The order number people see, with a copy button (internal ids are never shown). */
export function OrderNumber({ number, lang }: { number: string; lang: 'zh' | 'en' }) {
  const t = text[lang];
  const [copied, setCopied] = useState(false);
  async function copy() {
    setCopied(await copyText(number));
  }
  return (
    <>
      <span data-testid="order-number">{number}</span>
      <br />
      <button type="button" class="btn secondary inline" onClick={copy}>
        {copied ? t.copied : t.copy}
      </button>
    </>
  );
}
