import type { Ref } from 'preact';
import { formatDate } from '../../lib/dates';
import type { Lang } from '../../lib/i18n';
import { type CertificateStatus, certificatePageUrl, type PublicCertificate } from './types';

const text = {
  zh: {
    title: (brand: string) => `${brand} 授权代理`,
    name: '姓名',
    phone: '手机号',
    level: '代理等级',
    region: '授权地区',
    validity: '有效期',
    until: '至',
    number: '证书编号',
    notValid: '此授权当前无效，请谨慎交易。',
    status: { valid: '有效', suspended: '已暂停', revoked: '已撤销', expired: '已过期' },
  },
  en: {
    title: (brand: string) => `Authorized agent of ${brand}`,
    name: 'Name',
    phone: 'Phone',
    level: 'Level',
    region: 'Region',
    validity: 'Valid',
    until: 'to',
    number: 'Certificate no.',
    notValid: 'This authorization is not valid now; be careful when buying.',
    status: { valid: 'Valid', suspended: 'Suspended', revoked: 'Revoked', expired: 'Expired' },
  },
} satisfies Record<Lang, { status: Record<CertificateStatus, string> } & Record<string, unknown>>;

/** The public view of a certificate; `headingRef` lets a form move focus to it after a lookup. */
export function CertificateCard({
  cert,
  lang,
  headingRef,
  linkNumber = true,
}: {
  cert: PublicCertificate;
  lang: Lang;
  headingRef?: Ref<HTMLHeadingElement>;
  linkNumber?: boolean;
}) {
  const t = text[lang];
  return (
    <section class="card" aria-labelledby="cert-title">
      <div class="row">
        <h2 id="cert-title" tabIndex={-1} ref={headingRef}>
          {t.title(cert.brandName)}
        </h2>
        <span class={`badge ${cert.status}`}>{t.status[cert.status]}</span>
      </div>
      <dl class="facts">
        <dt>{t.name}</dt>
        <dd>{cert.name}</dd>
        <dt>{t.phone}</dt>
        <dd>{cert.phone}</dd>
        <dt>{t.level}</dt>
        <dd>{cert.levelName}</dd>
        <dt>{t.region}</dt>
        <dd>{cert.region}</dd>
        <dt>{t.validity}</dt>
        <dd>
          <span class="nowrap">{formatDate(cert.validFrom)}</span> {t.until}{' '}
          <span class="nowrap">{formatDate(cert.validUntil)}</span>
        </dd>
        <dt>{t.number}</dt>
        <dd>{linkNumber ? <a href={certificatePageUrl(cert.number)}>{cert.number}</a> : cert.number}</dd>
      </dl>
      {cert.status === 'valid' ? null : <p class="alert">{t.notValid}</p>}
    </section>
  );
}
