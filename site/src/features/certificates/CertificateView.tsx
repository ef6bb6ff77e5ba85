import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { api } from '../../lib/api';
import { queryParam, useLang } from '../../lib/hooks';
import { CertificateCard } from './CertificateCard';
import { certificateImageUrl, type PublicCertificate } from './types';

const text = {
  zh: {
    loading: '正在查询授权信息…',
    missing: '链接缺少证书编号。',
    again: '重新查询',
    alt: (n: string) => `电子授权书 ${n}`,
  },
  en: {
    loading: 'Checking the authorization…',
    missing: 'The link has no certificate number.',
    again: 'Look up again',
    alt: (n: string) => `Certificate ${n}`,
  },
};

type Lookup =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'error'; message: string }
  | { kind: 'found'; cert: PublicCertificate };

/** /c?n=<number>: the live status and the certificate image (fetched in parallel), where a certificate's QR code leads. */
export function CertificateView() {
  const lang = useLang();
  const t = text[lang];
  const [number, setNumber] = useState<string | null>(null);
  const [lookup, setLookup] = useState<Lookup>({ kind: 'loading' });
  const [imageFailed, setImageFailed] = useState(false);

  useEffect(() => {
    // /c/<number> (the QR code's link) or /c?n=<number>
    const fromPath = location.pathname.match(/^\/c\/([^/]+)$/)?.[1];
    const n = (fromPath ? decodeURIComponent(fromPath) : queryParam('n'))?.trim().toUpperCase() ?? '';
    if (!n) {
      setLookup({ kind: 'missing' });
      return;
    }
    setNumber(n);
    api<PublicCertificate>('/certificates/lookup', { query: { number: n } }).then((res) =>
      setLookup(res.ok ? { kind: 'found', cert: res.data } : { kind: 'error', message: res.error.message }),
    );
  }, []);

  return (
    <>
      {lookup.kind === 'loading' ? <p role="status">{t.loading}</p> : null}
      {lookup.kind === 'missing' ? <Alert message={t.missing} /> : null}
      {lookup.kind === 'error' ? <Alert message={lookup.message} /> : null}
      {lookup.kind === 'found' ? <CertificateCard cert={lookup.cert} lang={lang} linkNumber={false} /> : null}
      {number && !imageFailed && lookup.kind !== 'error' ? (
        <img
          class="cert-img"
          src={certificateImageUrl(number)}
          alt={t.alt(number)}
          width={750}
          height={1050}
          decoding="async"
          onError={() => setImageFailed(true)}
        />
      ) : null}
      <p>
        <a class="btn secondary" href="/verify">
          {t.again}
        </a>
      </p>
    </>
  );
}
