import type { FunctionComponent } from 'preact';
import { useState } from 'preact/hooks';
import { useConfirm } from '../../components/ConfirmDialog';
import { Segmented, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import type { Lang } from '../../lib/i18n';
import { applicationStatus, levelLabel } from '../../lib/orderLabels';
import { type Page, usePaged } from '../../lib/paged';
import type { SessionApi } from '../auth/session';
import type { ApplicationState, ApplicationView, Level } from './types';

const text = {
  zh: {
    show: '显示',
    empty: { pending: '暂无待审核的申请。', approved: '暂无已通过的申请。', rejected: '暂无已拒绝的申请。' },
    level: '申请等级',
    phone: '手机号',
    wechat: '微信号',
    applied: '申请时间',
    decided: '审核时间',
    reason: '拒绝原因',
    reasonHint: '申请人可以看到此原因',
    approve: '通过',
    confirmApprove: (name: string, level: string) =>
      `确认通过 ${name} 的申请？通过后对方即成为${level}并获得授权书，不能撤回。`,
    approveYes: '确认通过',
    reject: '拒绝',
    confirmReject: '确认拒绝',
    cancel: '取消',
    required: '请填写拒绝原因',
    busy: '处理中…',
    rejected: (name: string) => `已拒绝 ${name} 的申请。`,
  },
  en: {
    show: 'Show',
    empty: { pending: 'No applications to review.', approved: 'None approved yet.', rejected: 'None rejected.' },
    level: 'Level applied for',
    phone: 'Phone',
    wechat: 'WeChat ID',
    applied: 'Applied',
    decided: 'Decided',
    reason: 'Reason for rejecting',
    reasonHint: 'The applicant sees this reason',
    approve: 'Approve',
    confirmApprove: (name: string, level: string) =>
      `Approve ${name}? They become a ${level} agent with a certificate at once; this cannot be undone.`,
    approveYes: 'Confirm approval',
    reject: 'Reject',
    confirmReject: 'Confirm rejection',
    cancel: 'Cancel',
    required: 'Enter a reason',
    busy: 'Working…',
    rejected: (name: string) => `${name}’s application is rejected.`,
  },
};

/** What each console says in its own words. */
export interface ReviewWording {
  /** The list's accessible name. */
  list: string;
  /** The label of the applicant's region. */
  region: string;
  approved: (name: string) => string;
}

export interface ReviewListProps {
  lang: Lang;
  levels: readonly Level[];
  /** The console's API function: a 401 goes back to its own sign-in. */
  call: SessionApi;
  wording: ReviewWording;
  /** Starts the ids and names of this list's inputs (unique on the page). */
  idPrefix: string;
  /** Shows a confirmation after a decision (null clears it when the status shown changes). */
  notify: (message: string | null) => void;
  /** After a decision, e.g. to refresh the console's to-do counts. */
  onDecided: () => void;
  /** More `<dt>`/`<dd>` pairs after the region, for what only this console shows. */
  Extra?: FunctionComponent<{ app: ApplicationView; lang: Lang }>;
  /** "已显示 N 条" under the list (the brand console). */
  tally?: boolean;
}

type RowProps = Omit<ReviewListProps, 'notify' | 'onDecided' | 'tally'> & {
  app: ApplicationView;
  onDecided: (app: ApplicationView, message: string) => void;
};

function Row({ app, lang, levels, call, wording, idPrefix, Extra, onDecided }: RowProps) {
  const t = text[lang];
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const reasonId = `${idPrefix}-reason-${app.id}`;

  const { ask, dialog } = useConfirm(lang);

  async function decide(decision: 'approve' | 'reject') {
    if (
      decision === 'approve' &&
      !(await ask(t.confirmApprove(app.name, levelLabel(levels, app.level, lang)), t.approveYes))
    )
      return;
    setBusy(true);
    setError(undefined);
    const res = await call<ApplicationView>(`/applications/${encodeURIComponent(app.id)}/${decision}`, {
      method: 'POST',
      body: decision === 'reject' ? { reason: reason.trim() } : undefined,
    });
    setBusy(false);
    if (res.ok) onDecided(res.data, decision === 'approve' ? wording.approved(app.name) : t.rejected(app.name));
    else setError(res.error.message);
  }

  function reject(event: Event) {
    event.preventDefault();
    if (reason.trim()) return decide('reject');
    setError(t.required);
    document.getElementById(reasonId)?.focus();
  }

  return (
    <li class="review-item" data-testid={`application-${app.id}`}>
      {dialog}
      <div class="row">
        <strong>{app.name}</strong>
        <span class={`badge ${app.status}`}>{applicationStatus[lang][app.status]}</span>
      </div>
      <dl class="facts">
        <dt>{t.level}</dt>
        <dd>{levelLabel(levels, app.level, lang)}</dd>
        <dt>{t.phone}</dt>
        <dd>
          <a href={`tel:${app.phone}`}>{app.phone}</a>
        </dd>
        <dt>{t.wechat}</dt>
        <dd>{app.wechat}</dd>
        <dt>{wording.region}</dt>
        <dd>{app.region}</dd>
        {Extra ? <Extra app={app} lang={lang} /> : null}
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
        <form class="review-form" onSubmit={reject} noValidate>
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
          <div class="review-actions">
            <button class="btn review-danger" type="submit" disabled={busy}>
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
          <div class="review-actions">
            <button class="btn" type="button" onClick={() => decide('approve')} disabled={busy}>
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

/**
 * The applications a console reviews (GET /api/applications: the API answers each caller with those it supplies),
 * by status, each approved or rejected with a reason right in the list. The brand and the agent console both use it.
 */
export function ReviewList({ notify, onDecided, tally, ...props }: ReviewListProps) {
  const { lang, call, idPrefix, wording } = props;
  const t = text[lang];
  const [status, setStatus] = useState<ApplicationState>('pending');
  const paged = usePaged(
    (cursor) => call<Page<ApplicationView>>('/applications', { query: { status, cursor, limit: 20 } }),
    status,
  );

  function decided(app: ApplicationView, message: string) {
    paged.edit((items) => items.filter((a) => a.id !== app.id));
    notify(message);
    onDecided();
  }

  return (
    <div class="review">
      <div class="review-status">
        <Segmented
          name={`${idPrefix}-status`}
          legend={t.show}
          value={status}
          onChange={(s) => {
            setStatus(s);
            notify(null);
          }}
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({
            value: s,
            label: applicationStatus[lang][s],
          }))}
        />
      </div>
      <PagedList paged={paged} lang={lang} empty={t.empty[status]} tally={tally}>
        {(items) => (
          <ul class="review-list" aria-label={wording.list}>
            {items.map((app) => (
              <Row key={app.id} app={app} {...props} onDecided={decided} />
            ))}
          </ul>
        )}
      </PagedList>
    </div>
  );
}
