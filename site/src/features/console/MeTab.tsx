import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { api } from '../../lib/api';
import { formatDate, formatDateTime } from '../../lib/dates';
import { usePaged } from '../../lib/paged';
import { certificateImageUrl, certificatePageUrl } from '../certificates/types';
import { certificatePng, download } from './certificateImage';
import { copyText } from './clipboard';
import type { ConsoleContext } from './context';
import { call } from './http';
import { certificateStatus, tone } from './labels';
import { Toast, useNotice } from './notice';
import type { Certificate, CertLookup, Page } from './types';

const text = {
  zh: {
    share: '分享',
    shop: '店铺链接',
    shopHint: '发到朋友圈或微信群，顾客从此链接下单并绑定到您',
    copyShop: '复制店铺链接',
    invite: '招商链接',
    inviteHint: '新代理通过此链接申请，由您推荐',
    copyInvite: '复制邀请链接',
    copied: (what: string) => `${what}已复制`,
    copyFailed: '复制失败，请长按链接手动复制',
    cert: '电子授权书',
    number: '证书编号',
    validity: '有效期',
    until: '至',
    noCert: '暂无授权书。',
    alt: (n: string) => `电子授权书 ${n}`,
    save: '保存图片',
    saving: '正在生成图片…',
    saved: '图片已生成。如未自动下载，请长按上方图片保存到相册。',
    saveFailed: '生成图片失败，请稍后重试',
    publicPage: '查看公开验证页',
    lookups: '授权查询记录',
    lookupsLead: '顾客查询您的授权时记录在此：时间、地区与查询方式。',
    noLookups: '还没有人查询过您的授权。',
    via: { number: '按证书编号查询', wechat: '按微信号查询', phone: '按手机号查询' } as Record<string, string>,
    unknownRegion: '未知地区',
  },
  en: {
    share: 'Share',
    shop: 'Shop link',
    shopHint: 'Share it in Moments or chats; customers who order through it are bound to you',
    copyShop: 'Copy shop link',
    invite: 'Invite link',
    inviteHint: 'New agents apply through it, with you as their referrer',
    copyInvite: 'Copy invite link',
    copied: (what: string) => `${what} copied`,
    copyFailed: 'Copy failed; long-press the link to copy it',
    cert: 'Certificate',
    number: 'Certificate no.',
    validity: 'Valid',
    until: 'to',
    noCert: 'No certificate yet.',
    alt: (n: string) => `Certificate ${n}`,
    save: 'Save image',
    saving: 'Making the image…',
    saved: 'The image is ready. If it did not download, long-press the image above to save it.',
    saveFailed: 'Could not make the image; try again later',
    publicPage: 'Open the public check page',
    lookups: 'Who checked my certificate',
    lookupsLead: 'Each time a customer checks your authorization: when, where from and how.',
    noLookups: 'Nobody has checked your certificate yet.',
    via: { number: 'by number', wechat: 'by WeChat ID', phone: 'by phone' } as Record<string, string>,
    unknownRegion: 'Unknown region',
  },
};

function CopyRow({
  id,
  label,
  hint,
  value,
  button,
  onCopied,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  button: string;
  onCopied: (ok: boolean) => void;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="cx-copy">
        <input
          id={id}
          readOnly
          value={value}
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button class="btn cx-btn" type="button" onClick={() => copyText(value).then(onCopied)}>
          {button}
        </button>
      </div>
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
    </div>
  );
}

function CertificateCard({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const number = ctx.me.certificateNumber;
  const [cert, setCert] = useState<Certificate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [png, setPng] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!number) return;
    api<Certificate>('/agents/me/certificate').then((res) =>
      res.ok ? setCert(res.data) : setError(res.error.message),
    );
  }, [number]);

  useEffect(() => () => void (png && URL.revokeObjectURL(png)), [png]);

  async function save() {
    if (!number) return;
    setSaving(true);
    setNotice(null);
    try {
      const blob = await certificatePng(number);
      setPng(download(blob, `授权书-${number}.png`));
      setNotice(t.saved);
    } catch {
      setNotice(t.saveFailed);
    }
    setSaving(false);
  }

  return (
    <section class="card" aria-labelledby="cx-cert">
      <div class="row">
        <h2 id="cx-cert">{t.cert}</h2>
        {cert ? <span class={`badge ${tone(cert.status)}`}>{certificateStatus[ctx.lang][cert.status]}</span> : null}
      </div>
      {!number ? <p class="muted">{t.noCert}</p> : null}
      <Alert message={error} />
      {cert ? (
        <dl class="facts">
          <dt>{t.number}</dt>
          <dd>{cert.number}</dd>
          <dt>{t.validity}</dt>
          <dd>
            <span class="nowrap">{formatDate(cert.validFrom)}</span> {t.until}{' '}
            <span class="nowrap">{formatDate(cert.validUntil)}</span>
          </dd>
        </dl>
      ) : null}
      {number ? (
        <>
          <img
            class="cert-img cx-cert-img"
            src={png ?? certificateImageUrl(number)}
            alt={t.alt(number)}
            width={750}
            height={1050}
            loading="lazy"
            decoding="async"
          />
          <button class="btn" type="button" onClick={save} disabled={saving}>
            {saving ? t.saving : t.save}
          </button>
          <p class="cx-notice" role="status">
            {notice}
          </p>
          <p>
            <a href={certificatePageUrl(number)}>{t.publicPage}</a>
          </p>
        </>
      ) : null}
    </section>
  );
}

function Lookups({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const paged = usePaged(
    (cursor) => call<Page<CertLookup>>('/agents/me/certificate/lookups', { query: { cursor, limit: 10 } }),
    'lookups',
  );
  return (
    <section class="card" aria-labelledby="cx-lookups">
      <h2 id="cx-lookups">{t.lookups}</h2>
      <p class="muted">{t.lookupsLead}</p>
      <PagedList paged={paged} lang={ctx.lang} empty={t.noLookups}>
        {(items) => (
          <ul class="cx-list" aria-label={t.lookups}>
            {items.map((l) => (
              <li key={l.id} class="cx-item">
                <span>{l.region ?? t.unknownRegion}</span>
                <p class="muted cx-meta">
                  <span class="nowrap">{formatDateTime(l.at)}</span> · {t.via[l.via] ?? l.via}
                </p>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

/** 我的: share links, the certificate (with a PNG to save) and who looked it up. */
export function MeTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [notice, setNotice] = useNotice();
  const copied = (what: string) => (ok: boolean) => setNotice(ok ? t.copied(what) : t.copyFailed);
  return (
    <>
      <section class="card" aria-labelledby="cx-share">
        <h2 id="cx-share">{t.share}</h2>
        <CopyRow
          id="cx-shop-url"
          label={t.shop}
          hint={t.shopHint}
          value={ctx.me.shopUrl}
          button={t.copyShop}
          onCopied={copied(t.shop)}
        />
        <CopyRow
          id="cx-invite-url"
          label={t.invite}
          hint={t.inviteHint}
          value={ctx.me.inviteUrl}
          button={t.copyInvite}
          onCopied={copied(t.invite)}
        />
        <Toast message={notice} />
      </section>
      <CertificateCard ctx={ctx} />
      <Lookups ctx={ctx} />
    </>
  );
}
