import { useState } from 'preact/hooks';
import { Segmented, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import { usePaged } from '../../lib/paged';
import { useAgentNames } from './agentNames';
import { type AdminContext, routeHref } from './context';
import { call, seg } from './http';
import { applicationStatus, levelLabel, tone } from './labels';
import { Toast, useNotice } from './notice';
import type { ApplicationState, ApplicationView, Page } from './types';

const text = {
  zh: {
    title: '申请',
    lead: '供货上级是品牌方的代理申请（直接招募，或推荐人的等级不高于申请等级）。通过后对方即成为代理并获得电子授权书。',
    show: '显示',
    list: '代理申请',
    empty: { pending: '暂无待审核的申请。', approved: '暂无已通过的申请。', rejected: '暂无已拒绝的申请。' },
    level: '申请等级',
    phone: '手机号',
    wechat: '微信号',
    region: '授权地区',
    referrer: '推荐人',
    direct: '无（品牌直招）',
    applied: '申请时间',
    decided: '审核时间',
    agent: '代理档案',
    view: '查看',
    reason: '拒绝原因',
    reasonHint: '申请人可以看到此原因',
    approve: '通过',
    reject: '拒绝',
    confirmReject: '确认拒绝',
    cancel: '取消',
    required: '请填写拒绝原因',
    busy: '处理中…',
    approved: (name: string) => `已通过 ${name} 的申请，授权书已签发。`,
    rejected: (name: string) => `已拒绝 ${name} 的申请。`,
  },
  en: {
    title: 'Applications',
    lead: 'Applications the brand supplies (recruited directly, or the referrer is not above the level applied for). Once approved the applicant is an agent with a certificate.',
    show: 'Show',
    list: 'Applications',
    empty: { pending: 'No applications to review.', approved: 'None approved yet.', rejected: 'None rejected.' },
    level: 'Level applied for',
    phone: 'Phone',
    wechat: 'WeChat ID',
    region: 'Region',
    referrer: 'Referrer',
    direct: 'None (recruited by the brand)',
    applied: 'Applied',
    decided: 'Decided',
    agent: 'Agent',
    view: 'View',
    reason: 'Reason for rejecting',
    reasonHint: 'The applicant sees this reason',
    approve: 'Approve',
    reject: 'Reject',
    confirmReject: 'Confirm rejection',
    cancel: 'Cancel',
    required: 'Enter a reason',
    busy: 'Working…',
    approved: (name: string) => `${name} is approved; the certificate is issued.`,
    rejected: (name: string) => `${name}’s application is rejected.`,
  },
};

function ApplicationRow({
  app,
  ctx,
  referrer,
  onDecided,
}: {
  app: ApplicationView;
  ctx: AdminContext;
  referrer: string | undefined;
  onDecided: (app: ApplicationView, message: string) => void;
}) {
  const t = text[ctx.lang];
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const reasonId = `ad-app-reason-${app.id}`;

  async function approve() {
    setBusy(true);
    setError(undefined);
    const res = await call<ApplicationView>(`/applications/${seg(app.id)}/approve`, { method: 'POST' });
    setBusy(false);
    if (res.ok) onDecided(res.data, t.approved(app.name));
    else setError(res.error.message);
  }

  async function reject(event: Event) {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t.required);
      document.getElementById(reasonId)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    const res = await call<ApplicationView>(`/applications/${seg(app.id)}/reject`, {
      method: 'POST',
      body: { reason: reason.trim() },
    });
    setBusy(false);
    if (res.ok) onDecided(res.data, t.rejected(app.name));
    else setError(res.error.message);
  }

  return (
    <li class="ad-item" data-testid={`application-${app.id}`}>
      <div class="row">
        <strong>{app.name}</strong>
        <span class={`badge ${tone(app.status)}`}>{applicationStatus[ctx.lang][app.status]}</span>
      </div>
      <dl class="facts ad-facts">
        <dt>{t.level}</dt>
        <dd>{levelLabel(ctx.settings.levels, app.level, ctx.lang)}</dd>
        <dt>{t.phone}</dt>
        <dd>{app.phone}</dd>
        <dt>{t.wechat}</dt>
        <dd>{app.wechat}</dd>
        <dt>{t.region}</dt>
        <dd>{app.region}</dd>
        <dt>{t.referrer}</dt>
        <dd>
          {app.referrerId ? <a href={routeHref('agents', app.referrerId)}>{referrer ?? app.referrerId}</a> : t.direct}
        </dd>
        <dt>{t.applied}</dt>
        <dd>{formatDateTime(app.createdAt)}</dd>
        {app.decidedAt ? (
          <>
            <dt>{t.decided}</dt>
            <dd>{formatDateTime(app.decidedAt)}</dd>
          </>
        ) : null}
        {app.reason ? (
          <>
            <dt>{t.reason}</dt>
            <dd>{app.reason}</dd>
          </>
        ) : null}
        {app.agentId ? (
          <>
            <dt>{t.agent}</dt>
            <dd>
              <a href={routeHref('agents', app.agentId)}>{t.view}</a>
            </dd>
          </>
        ) : null}
      </dl>
      {app.status !== 'pending' ? null : rejecting ? (
        <form class="ad-inline" onSubmit={reject} noValidate>
          <TextField
            id={reasonId}
            label={t.reason}
            hint={t.reasonHint}
            error={error}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
            maxLength={200}
            required
          />
          <div class="ad-actions">
            <button class="btn ad-danger ad-btn" type="submit" disabled={busy}>
              {busy ? t.busy : t.confirmReject}
            </button>
            <button class="btn secondary ad-btn" type="button" onClick={() => setRejecting(false)} disabled={busy}>
              {t.cancel}
            </button>
          </div>
        </form>
      ) : (
        <>
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
          <div class="ad-actions">
            <button class="btn ad-btn" type="button" onClick={approve} disabled={busy}>
              {busy ? t.busy : t.approve}
            </button>
            <button
              class="btn secondary ad-btn"
              type="button"
              disabled={busy}
              onClick={() => {
                setError(undefined);
                setRejecting(true);
                requestAnimationFrame(() => document.getElementById(reasonId)?.focus());
              }}
            >
              {t.reject}
            </button>
          </div>
        </>
      )}
    </li>
  );
}

/** 申请: the applications the brand approves, decided right in the list. */
export function ApplicationsSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [status, setStatus] = useState<ApplicationState>('pending');
  const [notice, setNotice] = useNotice();
  const paged = usePaged(
    (cursor) => call<Page<ApplicationView>>('/applications', { query: { status, cursor, limit: 20 } }),
    status,
  );
  const names = useAgentNames(paged.items.map((a) => a.referrerId ?? 'brand'));

  function decided(app: ApplicationView, message: string) {
    paged.edit((items) => items.filter((a) => a.id !== app.id));
    setNotice(message);
    ctx.refreshCounts();
  }

  return (
    <section aria-labelledby="ad-applications">
      <h2 id="ad-applications" class="ad-title">
        {t.title}
      </h2>
      <p class="muted">{t.lead}</p>
      <div class="ad-filter-seg">
        <Segmented
          name="ad-app-status"
          legend={t.show}
          value={status}
          onChange={(s) => {
            setStatus(s);
            setNotice(null);
          }}
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({
            value: s,
            label: applicationStatus[ctx.lang][s],
          }))}
        />
      </div>
      <Toast message={notice} />
      <div class="card">
        <PagedList paged={paged} lang={ctx.lang} empty={t.empty[status]} tally>
          {(items) => (
            <ul class="ad-list ad-cards" aria-label={t.list}>
              {items.map((app) => (
                <ApplicationRow
                  key={app.id}
                  app={app}
                  ctx={ctx}
                  referrer={app.referrerId ? names.get(app.referrerId) : undefined}
                  onDecided={decided}
                />
              ))}
            </ul>
          )}
        </PagedList>
      </div>
    </section>
  );
}
