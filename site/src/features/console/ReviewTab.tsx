import { useState } from 'preact/hooks';
import { Segmented, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/dates';
import { usePaged } from '../../lib/paged';
import type { ConsoleContext } from './context';
import { call } from './http';
import { applicationStatus, levelLabel, tone } from './labels';
import { Toast, useNotice } from './notice';
import type { ApplicationState, ApplicationView, Page } from './types';

const text = {
  zh: {
    title: '代理申请审核',
    lead: '以下申请人的供货上级是您，请核实身份后审核。通过后对方即成为代理并获得授权书。',
    show: '显示',
    empty: { pending: '暂无待审核的申请。', approved: '暂无已通过的申请。', rejected: '暂无已拒绝的申请。' },
    phone: '手机号',
    wechat: '微信号',
    region: '地区',
    level: '申请等级',
    applied: '申请时间',
    decided: '审核时间',
    reason: '拒绝原因',
    approve: '通过',
    reject: '拒绝',
    confirmReject: '确认拒绝',
    cancel: '取消',
    reasonHint: '申请人可以看到此原因',
    required: '请填写拒绝原因',
    busy: '处理中…',
    approved: (name: string) => `已通过 ${name} 的申请，对方已成为代理。`,
    rejected: (name: string) => `已拒绝 ${name} 的申请。`,
  },
  en: {
    title: 'Applications to review',
    lead: 'You are the supplier of these applicants; check who they are, then decide. Once approved they are agents with a certificate.',
    show: 'Show',
    empty: { pending: 'No applications to review.', approved: 'None approved yet.', rejected: 'None rejected.' },
    phone: 'Phone',
    wechat: 'WeChat ID',
    region: 'Region',
    level: 'Level applied for',
    applied: 'Applied',
    decided: 'Decided',
    reason: 'Reason for rejecting',
    approve: 'Approve',
    reject: 'Reject',
    confirmReject: 'Confirm rejection',
    cancel: 'Cancel',
    reasonHint: 'The applicant sees this reason',
    required: 'Enter a reason',
    busy: 'Working…',
    approved: (name: string) => `${name} is approved and now an agent.`,
    rejected: (name: string) => `${name}’s application is rejected.`,
  },
};

function ApplicationRow({
  app,
  ctx,
  onDecided,
}: {
  app: ApplicationView;
  ctx: ConsoleContext;
  onDecided: (app: ApplicationView, message: string) => void;
}) {
  const t = text[ctx.lang];
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const reasonId = `cx-reason-${app.id}`;

  async function approve() {
    setBusy(true);
    setError(undefined);
    const res = await api<ApplicationView>(`/applications/${encodeURIComponent(app.id)}/approve`, { method: 'POST' });
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
    const res = await api<ApplicationView>(`/applications/${encodeURIComponent(app.id)}/reject`, {
      method: 'POST',
      body: { reason: reason.trim() },
    });
    setBusy(false);
    if (res.ok) onDecided(res.data, t.rejected(app.name));
    else setError(res.error.message);
  }

  return (
    <li class="cx-item" data-testid={`application-${app.id}`}>
      <div class="row">
        <strong>{app.name}</strong>
        <span class={`badge ${tone(app.status)}`}>{applicationStatus[ctx.lang][app.status]}</span>
      </div>
      <dl class="facts">
        <dt>{t.level}</dt>
        <dd>{levelLabel(ctx.levels, app.level, ctx.lang)}</dd>
        <dt>{t.phone}</dt>
        <dd>
          <a href={`tel:${app.phone}`}>{app.phone}</a>
        </dd>
        <dt>{t.wechat}</dt>
        <dd>{app.wechat}</dd>
        <dt>{t.region}</dt>
        <dd>{app.region}</dd>
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
      </dl>
      {app.status !== 'pending' ? null : rejecting ? (
        <form class="cx-inline" onSubmit={reject} noValidate>
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
          <div class="cx-actions">
            <button class="btn cx-danger" type="submit" disabled={busy}>
              {busy ? t.busy : t.confirmReject}
            </button>
            <button class="btn secondary" type="button" onClick={() => setRejecting(false)} disabled={busy}>
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
          <div class="cx-actions">
            <button class="btn" type="button" onClick={approve} disabled={busy}>
              {busy ? t.busy : t.approve}
            </button>
            <button
              class="btn secondary"
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

/** 审核: the applications addressed to me, approved or rejected (with a reason) right in the list. */
export function ReviewTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [status, setStatus] = useState<ApplicationState>('pending');
  const [notice, setNotice] = useNotice();
  const paged = usePaged(
    (cursor) => call<Page<ApplicationView>>('/applications', { query: { status, cursor, limit: 20 } }),
    status,
  );

  function decided(app: ApplicationView, message: string) {
    paged.edit((items) => items.filter((a) => a.id !== app.id));
    setNotice(message);
    ctx.refreshCounts();
  }

  return (
    <section class="card" aria-labelledby="cx-review">
      <h2 id="cx-review">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <Segmented
        name="cx-app-status"
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
      <Toast message={notice} />
      <PagedList paged={paged} lang={ctx.lang} empty={t.empty[status]}>
        {(items) => (
          <ul class="cx-list" aria-label={t.title}>
            {items.map((app) => (
              <ApplicationRow key={app.id} app={app} ctx={ctx} onDecided={decided} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
