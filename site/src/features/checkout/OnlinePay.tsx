import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import type { Lang } from '../../lib/i18n';
import { formatFen } from '../../lib/money';
import { type PayOutcome, payOnline, syncPayment } from './payment';
import type { Order } from './types';

const text = {
  zh: {
    pay: (amount: string) => `立即支付 ${amount}`,
    paying: '支付中…',
    waiting: '正在确认支付结果…',
    cancelled: '支付已取消，可以再次支付。',
    failed: '支付失败，请重试。',
    scan: '请用微信扫描二维码完成支付',
    qr: '微信支付二维码',
    slow: '暂未收到支付结果，如已付款请稍候刷新。',
    check: '我已支付，刷新结果',
  },
  en: {
    pay: (amount: string) => `Pay ${amount} now`,
    paying: 'Paying…',
    waiting: 'Confirming the payment…',
    cancelled: 'Payment cancelled; you can try again.',
    failed: 'The payment failed; please try again.',
    scan: 'Scan the QR code with WeChat to pay',
    qr: 'WeChat Pay QR code',
    slow: 'No payment result yet; if you paid, refresh in a moment.',
    check: 'I have paid: check again',
  },
};

type Payment = { kind: 'idle' } | { kind: 'busy' } | { kind: 'waiting' } | { kind: 'slow' } | PayOutcome;

interface Props {
  order: Order;
  lang: Lang;
  /** Re-reads the order (returns it, or null). */
  reload: () => Promise<Order | null>;
  onPaid: (order: Order) => void;
  /** Shown when online payment is unavailable here: how to pay offline instead. */
  unavailable: (message: string) => preact.ComponentChildren;
}

/** Paying an online order: JSAPI in WeChat, a Native QR on a desktop, H5 on a phone; then following it until paid. */
export function OnlinePay({ order, lang, reload, onPaid, unavailable }: Props) {
  const t = text[lang];
  const [payment, setPayment] = useState<Payment>({ kind: 'idle' });
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  // WeChat notifies the server on its own: read the order every 2 s, and ask WeChat Pay through the server every
  // third time, so a lost notification is found too. Stops after about two minutes.
  async function follow(keep: Payment) {
    for (let i = 1; i <= 60 && alive.current; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      const fresh = i % 3 === 0 ? await syncPayment(order.id) : await reload();
      if (fresh && fresh.status !== 'pending_payment') {
        if (fresh.status === 'paid') onPaid(fresh);
        setPayment({ kind: 'idle' });
        return;
      }
      if (i === 15 && keep.kind !== 'qr') setPayment({ kind: 'slow' });
    }
  }

  async function pay() {
    setPayment({ kind: 'busy' });
    const outcome = await payOnline(order.id);
    if (outcome.kind === 'paid') {
      onPaid(outcome.order);
      setPayment({ kind: 'idle' });
      return;
    }
    if (outcome.kind === 'qr') {
      setPayment(outcome);
      await follow(outcome);
      return;
    }
    if (outcome.kind !== 'wechat') {
      setPayment(outcome);
      return;
    }
    setPayment({ kind: 'waiting' });
    await follow({ kind: 'waiting' });
  }

  async function check() {
    const fresh = await syncPayment(order.id);
    if (fresh?.status === 'paid') onPaid(fresh);
  }

  if (payment.kind === 'unavailable') return <>{unavailable(payment.message)}</>;
  const busy = payment.kind === 'busy' || payment.kind === 'waiting' || payment.kind === 'qr';
  return (
    <>
      {payment.kind === 'qr' ? (
        <figure class="pay-qr" data-code-url={payment.codeUrl}>
          {/* The SVG is the server's rendering of WeChat's code_url (uqr), markup only. */}
          <div role="img" aria-label={t.qr} dangerouslySetInnerHTML={{ __html: payment.svg }} />
          <figcaption>{t.scan}</figcaption>
        </figure>
      ) : (
        <button type="button" class="btn" onClick={pay} disabled={busy}>
          {payment.kind === 'busy' ? t.paying : t.pay(formatFen(order.amountFen))}
        </button>
      )}
      {payment.kind === 'waiting' || payment.kind === 'qr' ? <p role="status">{t.waiting}</p> : null}
      {payment.kind === 'slow' ? (
        <>
          <p role="status">{t.slow}</p>
          <button type="button" class="btn secondary" onClick={check}>
            {t.check}
          </button>
        </>
      ) : null}
      {payment.kind === 'cancelled' ? <p role="status">{t.cancelled}</p> : null}
      {payment.kind === 'failed' ? <Alert message={t.failed} /> : null}
      {payment.kind === 'error' ? <Alert message={payment.message} /> : null}
    </>
  );
}
