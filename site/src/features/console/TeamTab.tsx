import { useEffect, useState } from 'preact/hooks';
import { Alert, Segmented, SelectField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { api } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { usePaged } from '../../lib/paged';
import { copyText } from './clipboard';
import type { ConsoleContext } from './context';
import { call } from './http';
import { agentStatus, levelLabel, tone } from './labels';
import { Toast, useNotice } from './notice';
import type { AgentStatus, AgentView, Page, SupplyChain, TeamSummary } from './types';

type Scope = 'downline' | 'team';

const text = {
  zh: {
    summary: '团队人数',
    total: (n: number) => `共 ${n} 人`,
    noTeam: '您还没有团队成员，把招商链接分享给想做代理的朋友吧。',
    members: '团队成员',
    scope: '范围',
    scopes: { downline: '直属下级', team: '全部团队' } as Record<Scope, string>,
    level: '等级',
    status: '状态',
    all: '全部',
    search: '姓名或手机号',
    searchBtn: '搜索',
    empty: '没有符合条件的代理。',
    phone: '手机号',
    wechat: '微信号',
    region: '地区',
    joined: '加入时间',
    reason: '停货原因',
    chain: '供货链（从我到该代理）',
    chainLoading: '正在加载供货链…',
    me: '我',
    call: '打电话',
    copyWechat: '复制微信号',
    wechatCopied: (id: string) => `微信号 ${id} 已复制，去微信添加好友`,
    copyFailed: '复制失败，请长按微信号复制',
    teamOf: (n: number) => (n > 0 ? `TA 的团队 ${n} 人` : 'TA 还没有团队成员'),
  },
  en: {
    summary: 'Team size',
    total: (n: number) => `${n} in all`,
    noTeam: 'No team members yet; share your invite link with people who want to become agents.',
    members: 'Team members',
    scope: 'Show',
    scopes: { downline: 'Direct', team: 'Whole team' } as Record<Scope, string>,
    level: 'Level',
    status: 'Status',
    all: 'All',
    search: 'Name or phone',
    searchBtn: 'Search',
    empty: 'No agents match.',
    phone: 'Phone',
    wechat: 'WeChat ID',
    region: 'Region',
    joined: 'Joined',
    reason: 'Reason',
    chain: 'Supply chain (from me to this agent)',
    chainLoading: 'Loading the chain…',
    me: 'me',
    call: 'Call',
    copyWechat: 'Copy WeChat ID',
    wechatCopied: (id: string) => `WeChat ID ${id} copied; add them in WeChat`,
    copyFailed: 'Could not copy; press and hold the WeChat ID',
    teamOf: (n: number) => (n > 0 ? `Their team: ${n}` : 'No team of their own yet'),
  },
};

function Summary({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [summary, setSummary] = useState<TeamSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<TeamSummary>('/agents/me/team/summary').then((res) =>
      res.ok ? setSummary(res.data) : setError(res.error.message),
    );
  }, []);
  return (
    <section class="card" aria-labelledby="cx-summary">
      <div class="row">
        <h2 id="cx-summary">{t.summary}</h2>
        {summary ? <strong>{t.total(summary.total)}</strong> : null}
      </div>
      <Alert message={error} />
      {summary && summary.total === 0 ? <p class="muted">{t.noTeam}</p> : null}
      {summary && summary.total > 0 ? (
        <ul class="cx-stats">
          {summary.byLevel.map((l) => (
            <li key={l.level}>
              <span class="muted">{levelLabel(ctx.levels, l.level, ctx.lang)}</span>
              <strong>{l.count}</strong>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function Chain({ id, ctx }: { id: string; ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [chain, setChain] = useState<SupplyChain | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<SupplyChain>(`/agents/${encodeURIComponent(id)}/chain`).then((res) =>
      res.ok ? setChain(res.data) : setError(res.error.message),
    );
  }, [id]);
  return (
    <div class="cx-chain">
      <h3>{t.chain}</h3>
      <Alert message={error} />
      {chain ? (
        <ol>
          {chain.links.map((l) => (
            <li key={l.id}>
              {l.name}
              {l.id === ctx.me.id ? `（${t.me}）` : ''}{' '}
              <span class="muted">{levelLabel(ctx.levels, l.level, ctx.lang)}</span>
              {l.status === 'active' ? null : (
                <span class={`badge ${tone(l.status)}`}>{agentStatus[ctx.lang][l.status]}</span>
              )}
            </li>
          ))}
        </ol>
      ) : error ? null : (
        <p class="muted" role="status">
          {t.chainLoading}
        </p>
      )}
    </div>
  );
}

/** The member's own team, counted from its closure rows (a handful of rows whatever the team's size). */
function TeamOf({ id, ctx }: { id: string; ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [summary, setSummary] = useState<TeamSummary | null>(null);
  useEffect(() => {
    api<TeamSummary>(`/agents/${encodeURIComponent(id)}/team/summary`).then((res) => res.ok && setSummary(res.data));
  }, [id]);
  if (!summary) return null;
  return (
    <p class="cx-meta" data-testid="agent-team-size">
      {t.teamOf(summary.total)}
      {summary.byLevel.length > 0
        ? `（${summary.byLevel.map((l) => `${levelLabel(ctx.levels, l.level, ctx.lang)} ${l.count}`).join('，')}）`
        : ''}
    </p>
  );
}

function AgentRow({
  agent,
  ctx,
  notify,
}: {
  agent: AgentView;
  ctx: ConsoleContext;
  notify: (message: string) => void;
}) {
  const t = text[ctx.lang];
  const [open, setOpen] = useState(false);
  const detailId = `cx-agent-${agent.id}`;
  return (
    <li class="cx-item" data-testid={`agent-${agent.id}`}>
      <button
        class="cx-toggle"
        type="button"
        aria-expanded={open}
        aria-controls={detailId}
        onClick={() => setOpen(!open)}
      >
        <span>
          <strong>{agent.name}</strong> <span class="muted">{levelLabel(ctx.levels, agent.level, ctx.lang)}</span>
        </span>
        <span class={`badge ${tone(agent.status)}`}>{agentStatus[ctx.lang][agent.status]}</span>
      </button>
      {open ? (
        <div id={detailId}>
          <div class="cx-contact">
            <a class="btn secondary cx-btn" href={`tel:${agent.phone}`}>
              {t.call}
            </a>
            <button
              class="btn secondary cx-btn"
              type="button"
              onClick={async () => notify((await copyText(agent.wechat)) ? t.wechatCopied(agent.wechat) : t.copyFailed)}
            >
              {t.copyWechat}
            </button>
          </div>
          <TeamOf id={agent.id} ctx={ctx} />
          <dl class="facts">
            <dt>{t.phone}</dt>
            <dd>
              <a href={`tel:${agent.phone}`}>{agent.phone}</a>
            </dd>
            <dt>{t.wechat}</dt>
            <dd>{agent.wechat}</dd>
            <dt>{t.region}</dt>
            <dd>{agent.region}</dd>
            <dt>{t.joined}</dt>
            <dd>{formatDate(agent.createdAt)}</dd>
            {agent.statusReason ? (
              <>
                <dt>{t.reason}</dt>
                <dd>{agent.statusReason}</dd>
              </>
            ) : null}
          </dl>
          <Chain id={agent.id} ctx={ctx} />
        </div>
      ) : null}
    </li>
  );
}

/** 团队: counts per level, then the direct downline or the whole team, filtered and searched. */
export function TeamTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [scope, setScope] = useState<Scope>('downline');
  const [level, setLevel] = useState('');
  const [status, setStatus] = useState<'' | AgentStatus>('');
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [notice, setNotice] = useNotice();
  const query = { level: level || undefined, status: status || undefined, q: q || undefined };
  const paged = usePaged(
    (cursor) => call<Page<AgentView>>(`/agents/me/${scope}`, { query: { ...query, cursor, limit: 20 } }),
    JSON.stringify([scope, query]),
  );
  const lower = ctx.levels.filter((l) => l.rank > ctx.me.level);

  return (
    <>
      <Summary ctx={ctx} />
      <section class="card" aria-labelledby="cx-members">
        <h2 id="cx-members">{t.members}</h2>
        <Segmented
          name="cx-scope"
          legend={t.scope}
          value={scope}
          onChange={setScope}
          options={(['downline', 'team'] as const).map((s) => ({ value: s, label: t.scopes[s] }))}
        />
        <div class="cx-filters">
          <SelectField
            id="cx-team-level"
            label={t.level}
            value={level}
            onChange={(e) => setLevel(e.currentTarget.value)}
          >
            <option value="">{t.all}</option>
            {lower.map((l) => (
              <option key={l.rank} value={String(l.rank)}>
                {l.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="cx-team-status"
            label={t.status}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as '' | AgentStatus)}
          >
            <option value="">{t.all}</option>
            {(['active', 'suspended', 'revoked'] as const).map((s) => (
              <option key={s} value={s}>
                {agentStatus[ctx.lang][s]}
              </option>
            ))}
          </SelectField>
        </div>
        <form
          class="field"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(typed.trim());
          }}
        >
          <label for="cx-team-q">{t.search}</label>
          <div class="cx-copy">
            <input
              id="cx-team-q"
              type="search"
              value={typed}
              maxLength={40}
              enterKeyHint="search"
              autocomplete="off"
              onInput={(e) => {
                setTyped(e.currentTarget.value);
                if (!e.currentTarget.value) setQ('');
              }}
            />
            <button class="btn cx-btn" type="submit">
              {t.searchBtn}
            </button>
          </div>
        </form>
        <PagedList paged={paged} lang={ctx.lang} empty={t.empty}>
          {(items) => (
            <ul class="cx-list" aria-label={t.members}>
              {items.map((agent) => (
                <AgentRow key={agent.id} agent={agent} ctx={ctx} notify={setNotice} />
              ))}
            </ul>
          )}
        </PagedList>
        <Toast message={notice} />
      </section>
    </>
  );
}
