import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/dates';
import { queryParam, useLang } from '../../lib/hooks';
import {
  type ApplicationState,
  type ApplicationStatus,
  type PublicBrand,
  rememberApplication,
  rememberedApplication,
} from './types';

const text = {
  zh: {
    loading: '正在查询…',
    none: '没有找到您的申请记录。',
    apply: '申请成为代理',
    status: { pending: '待审核', approved: '已通过', rejected: '未通过' } as Record<ApplicationState, string>,
    title: '我的代理申请',
    name: '申请人',
    level: '申请等级',
    levelRank: (rank: number) => `第 ${rank} 级`,
    approver: '审核人',
    createdAt: '提交时间',
    decidedAt: '审核时间',
    reason: '原因',
    waiting: (who: string) => `请耐心等待 ${who} 审核，审核结果会显示在此页面。`,
    refresh: '刷新状态',
    approved: '恭喜，您已成为代理。请用申请时的手机号和密码登录。',
    login: '去登录',
    again: '重新申请',
  },
  en: {
    loading: 'Loading…',
    none: 'No application found.',
    apply: 'Apply to become an agent',
    status: { pending: 'Under review', approved: 'Approved', rejected: 'Not approved' } as Record<
      ApplicationState,
      string
    >,
    title: 'My agent application',
    name: 'Applicant',
    level: 'Level',
    levelRank: (rank: number) => `Level ${rank}`,
    approver: 'Reviewer',
    createdAt: 'Submitted',
    decidedAt: 'Decided',
    reason: 'Reason',
    waiting: (who: string) => `${who} will review it; the result appears on this page.`,
    refresh: 'Refresh status',
    approved: 'You are now an agent. Sign in with the phone number and password you applied with.',
    login: 'Sign in',
    again: 'Apply again',
  },
};

type State =
  | { kind: 'loading' }
  | { kind: 'none' }
  | { kind: 'error'; message: string }
  | { kind: 'found'; app: ApplicationStatus; levelNames: Map<number, string> };

async function load(id: string): Promise<State> {
  // The status carries the level's rank only; the brand's public level names are one small extra read.
  const [res, brand] = await Promise.all([
    api<ApplicationStatus>(`/applications/${encodeURIComponent(id)}/status`),
    api<PublicBrand>('/brand'),
  ]);
  if (!res.ok) return { kind: 'error', message: res.error.message };
  const levelNames = new Map(brand.ok ? brand.data.levels.map((l) => [l.rank, l.name]) : []);
  return { kind: 'found', app: res.data, levelNames };
}

/** 申请进度: ?id= (or the id remembered from the last application on this phone). */
export function ApplicationProgress() {
  const lang = useLang();
  const t = text[lang];
  const [id, setId] = useState<string | null>(null);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [refreshing, setRefreshing] = useState(false);

  useEffect(() => {
    const found = queryParam('id')?.trim() || rememberedApplication();
    if (!found) {
      setState({ kind: 'none' });
      return;
    }
    rememberApplication(found);
    setId(found);
    load(found).then(setState);
  }, []);

  function refresh() {
    if (!id) return;
    setRefreshing(true);
    load(id).then((next) => {
      setRefreshing(false);
      setState(next);
    });
  }

  if (state.kind === 'loading') return <p role="status">{t.loading}</p>;
  if (state.kind === 'none' || state.kind === 'error') {
    return (
      <>
        <Alert message={state.kind === 'none' ? t.none : state.message} />
        <a class="btn secondary" href="/join">
          {t.apply}
        </a>
      </>
    );
  }

  const { app, levelNames } = state;
  return (
    <section class="card" aria-labelledby="app-title">
      <div class="row">
        <h2 id="app-title">{t.title}</h2>
        <span class={`badge ${app.status}`}>{t.status[app.status]}</span>
      </div>
      <dl class="facts">
        <dt>{t.name}</dt>
        <dd>{app.name}</dd>
        <dt>{t.level}</dt>
        <dd>{levelNames.get(app.level) ?? t.levelRank(app.level)}</dd>
        <dt>{t.approver}</dt>
        <dd>{app.approver.name}</dd>
        <dt>{t.createdAt}</dt>
        <dd>{formatDateTime(app.createdAt)}</dd>
        {app.decidedAt === null ? null : (
          <>
            <dt>{t.decidedAt}</dt>
            <dd>{formatDateTime(app.decidedAt)}</dd>
          </>
        )}
        {app.status === 'rejected' && app.reason ? (
          <>
            <dt>{t.reason}</dt>
            <dd>{app.reason}</dd>
          </>
        ) : null}
      </dl>
      {app.status === 'pending' ? (
        <>
          <p>{t.waiting(app.approver.name)}</p>
          <button class="btn secondary" type="button" onClick={refresh} disabled={refreshing}>
            {refreshing ? t.loading : t.refresh}
          </button>
        </>
      ) : null}
      {app.status === 'approved' ? (
        <>
          <p>{t.approved}</p>
          <a class="btn" href="/login?role=agent">
            {t.login}
          </a>
        </>
      ) : null}
      {app.status === 'rejected' ? (
        <p>
          <a class="btn secondary" href="/join">
            {t.again}
          </a>
        </p>
      ) : null}
    </section>
  );
}
