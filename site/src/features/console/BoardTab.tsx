import { useEffect, useState } from 'preact/hooks';
import { Alert, Segmented } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import type { ConsoleContext } from './context';
import { call } from './http';
import { levelLabel } from './labels';
import type { Page } from './types';
import './board.css';

type Metric = 'sales' | 'agents' | 'members';

interface TeamMonth {
  month: string;
  teamId: string;
  name: string;
  salesFen: number;
  newAgents: number;
  newMembers: number;
  targetFen: number | null;
  progressBp: number | null;
}

interface Row {
  rank: number;
  agentId: string;
  name: string;
  level: number;
  value: number;
}

const text = {
  zh: {
    team: (name: string) => `${name}团队 · 本月`,
    sales: '团队业绩',
    newAgents: '新增代理',
    newMembers: '新增会员',
    target: (t: string) => `月目标 ${t}`,
    noTarget: '品牌方尚未设定本月目标',
    progress: '目标完成度',
    board: '团队排行榜',
    metric: '排行依据',
    metrics: { sales: '业绩', agents: '招募代理', members: '拉新会员' } as Record<Metric, string>,
    value: (m: Metric, v: number) => (m === 'sales' ? formatFen(v) : `${v} 人`),
    me: '我',
    empty: '本月还没有排名，快去分享店铺吧。',
  },
  en: {
    team: (name: string) => `${name}’s team · this month`,
    sales: 'Team sales',
    newAgents: 'New agents',
    newMembers: 'New members',
    target: (t: string) => `Target ${t}`,
    noTarget: 'The brand has set no target for this month',
    progress: 'Progress to target',
    board: 'Team leaderboard',
    metric: 'Rank by',
    metrics: { sales: 'Sales', agents: 'Recruits', members: 'New members' } as Record<Metric, string>,
    value: (m: Metric, v: number) => (m === 'sales' ? formatFen(v) : String(v)),
    me: 'me',
    empty: 'No ranking this month yet.',
  },
};

/** 排行: the agent's own team this month (totals, the brand's target and progress) and its team's ranking. */
export function BoardTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [team, setTeam] = useState<TeamMonth | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [metric, setMetric] = useState<Metric>('sales');
  useEffect(() => {
    call<TeamMonth>('/board/teams/me').then((res) => (res.ok ? setTeam(res.data) : setError(res.error.message)));
  }, []);
  const paged = usePaged(
    (cursor) => call<Page<Row>>('/board/agents', { query: { metric, cursor, limit: 20 } }),
    metric,
  );

  return (
    <>
      <Alert message={error} />
      {team ? (
        <section class="card" aria-labelledby="cx-board-team">
          <h2 id="cx-board-team">{t.team(team.name)}</h2>
          <dl class="cx-board-figures">
            <div>
              <dt>{t.sales}</dt>
              <dd>{formatFen(team.salesFen)}</dd>
            </div>
            <div>
              <dt>{t.newAgents}</dt>
              <dd>{team.newAgents}</dd>
            </div>
            <div>
              <dt>{t.newMembers}</dt>
              <dd>{team.newMembers}</dd>
            </div>
          </dl>
          {team.targetFen !== null && team.progressBp !== null ? (
            <p>
              <label>
                {t.progress} {(team.progressBp / 100).toFixed(1)}%
                <progress class="cx-board-progress" max={10_000} value={Math.min(10_000, team.progressBp)} />
              </label>
              <small class="muted">{t.target(formatFen(team.targetFen))}</small>
            </p>
          ) : (
            <p class="muted">{t.noTarget}</p>
          )}
        </section>
      ) : null}
      <section class="card" aria-labelledby="cx-board-list">
        <h2 id="cx-board-list">{t.board}</h2>
        <Segmented
          name="cx-board-metric"
          legend={t.metric}
          value={metric}
          onChange={setMetric}
          options={(['sales', 'agents', 'members'] as const).map((m) => ({ value: m, label: t.metrics[m] }))}
        />
        <PagedList paged={paged} lang={ctx.lang} empty={t.empty}>
          {(items) => (
            <ol class="cx-board" aria-label={t.board}>
              {items.map((row) => (
                <li key={row.agentId} class={row.agentId === ctx.me.id ? 'is-me' : undefined}>
                  <span class="cx-board-rank">{row.rank}</span>
                  <span>
                    {row.name}
                    {row.agentId === ctx.me.id ? `（${t.me}）` : ''}{' '}
                    <small class="muted">{levelLabel(ctx.levels, row.level, ctx.lang)}</small>
                  </span>
                  <strong>{t.value(metric, row.value)}</strong>
                </li>
              ))}
            </ol>
          )}
        </PagedList>
      </section>
    </>
  );
}
