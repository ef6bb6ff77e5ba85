import { useEffect, useState } from 'preact/hooks';
import type { SessionApi } from '../features/auth/session';
import { PictureInput } from './PictureInput';

interface Payee {
  name: string;
  payNote: string;
  payQrUrl: string | null;
}

const text = {
  zh: {
    title: '收款码',
    lead: '买家选择线下付款时，订单页会展示此收款码（微信或支付宝收款码截图）。',
    none: '还没有上传收款码。',
    alt: '当前收款码',
    upload: '上传收款码图片',
    replace: '更换收款码图片',
    remove: '移除收款码',
    saved: '收款码已保存',
    removed: '收款码已移除',
    loading: '加载中…',
  },
  en: {
    title: 'Payment QR',
    lead: 'Buyers who pay offline see this QR on their order (a screenshot of your WeChat or Alipay payment code).',
    none: 'No payment QR uploaded yet.',
    alt: 'Current payment QR',
    upload: 'Upload a payment QR picture',
    replace: 'Replace the payment QR picture',
    remove: 'Remove the payment QR',
    saved: 'Payment QR saved',
    removed: 'Payment QR removed',
    loading: 'Loading…',
  },
};

/**
 * 收款码 of the signed-in agent (`/agents/me/…`) or of the brand (`/brand/…`): upload a picture, which then becomes
 * the QR shown with the payee on offline-payment orders.
 */
export function PayQrEditor({
  call,
  base,
  lang,
  idPrefix,
}: {
  call: SessionApi;
  base: '/agents/me' | '/brand';
  lang: 'zh' | 'en';
  idPrefix: string;
}) {
  const t = text[lang];
  const [payee, setPayee] = useState<Payee | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void call<Payee>(`${base}/payee`).then((res) => {
      if (res.ok) setPayee(res.data);
      else setError(res.error.message);
    });
  }, [call, base]);

  async function save(payQrUrl: string | null) {
    setBusy(true);
    setError(undefined);
    setStatus('');
    const res = await call<Payee>(`${base}/pay-qr`, { method: 'PUT', body: { payQrUrl } });
    setBusy(false);
    if (res.ok) {
      setPayee(res.data);
      setStatus(payQrUrl ? t.saved : t.removed);
    } else setError(res.error.message);
  }

  const titleId = `${idPrefix}pay-qr-title`;
  return (
    <section class="card" aria-labelledby={titleId} data-testid="pay-qr-editor" aria-busy={busy}>
      <h2 id={titleId}>{t.title}</h2>
      <p class="muted">{t.lead}</p>
      {payee === null ? (
        <p class="muted">{t.loading}</p>
      ) : payee.payQrUrl ? (
        <img class="pay-qr" src={payee.payQrUrl} alt={t.alt} width={200} height={200} />
      ) : (
        <p class="muted">{t.none}</p>
      )}
      <PictureInput
        id={`${idPrefix}pay-qr`}
        label={payee?.payQrUrl ? t.replace : t.upload}
        lang={lang}
        error={error}
        disabled={busy || payee === null}
        onUploaded={(url) => void save(url)}
      />
      <p role="status" class="cx-ok">
        {status}
      </p>
      {payee?.payQrUrl ? (
        <button type="button" class="btn secondary" disabled={busy} onClick={() => void save(null)}>
          {t.remove}
        </button>
      ) : null}
    </section>
  );
}
