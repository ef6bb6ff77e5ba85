import { useState } from 'preact/hooks';
import { SelectField, TextField } from '../../components/Field';
import { formatDate } from '../../lib/dates';
import { usePaged } from '../../lib/paged';
import { AgentPage } from './AgentPage';
import { type AdminContext, routeHref } from './context';
import { call } from './http';
import { agentStatus, levelLabel, tone } from './labels';
import { useListFilters } from './listFilters';
import { PagedTable } from './PagedTable';
import type { AgentStatus, AgentView, Page } from './types';

const text = {
  zh: {
    title: '代理',
    filters: '筛选代理',
    q: '搜索姓名或手机号',
    qHint: '姓名包含，或手机号开头',
    level: '等级',
    status: '状态',
    any: '全部',
    search: '搜索',
    clear: '清除筛选',
    list: '代理列表',
    name: '姓名',
    phone: '手机号',
    wechat: '微信号',
    region: '地区',
    joined: '加入时间',
    empty: '没有符合条件的代理。',
  },
  en: {
    title: 'Agents',
    filters: 'Filter agents',
    q: 'Search name or phone',
    qHint: 'Name contains, or phone starts with',
    level: 'Level',
    status: 'Status',
    any: 'All',
    search: 'Search',
    clear: 'Clear filters',
    list: 'Agents',
    name: 'Name',
    phone: 'Phone',
    wechat: 'WeChat ID',
    region: 'Region',
    joined: 'Joined',
    empty: 'No agents match.',
  },
};

interface Filters {
  q: string;
  level: string;
  status: '' | AgentStatus;
}

function filtersFrom(params: URLSearchParams): Filters {
  const level = params.get('level') ?? '';
  const status = params.get('status') ?? '';
  return {
    q: params.get('q') ?? '',
    level: /^[1-9]$/.test(level) ? level : '',
    status: status in agentStatus.zh ? (status as AgentStatus) : '',
  };
}

function AgentList({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [filters, setFilters] = useListFilters('agents', ctx.route.params, filtersFrom);
  const [typed, setTyped] = useState(filters.q);
  const key = JSON.stringify(filters);
  const paged = usePaged(
    (cursor) =>
      call<Page<AgentView>>('/agents', {
        query: {
          q: filters.q.trim() || undefined,
          level: filters.level || undefined,
          status: filters.status || undefined,
          cursor,
          limit: 20,
        },
      }),
    key,
  );
  const filtered = filters.q || filters.level || filters.status;

  return (
    <>
      <form
        class="card ad-filters"
        aria-label={t.filters}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters((f) => ({ ...f, q: typed.trim() }));
        }}
      >
        <TextField
          id="ad-agent-q"
          label={t.q}
          hint={t.qHint}
          type="search"
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
          maxLength={40}
          autocomplete="off"
        />
        <SelectField
          id="ad-agent-level"
          label={t.level}
          value={filters.level}
          onChange={(e) => setFilters((f) => ({ ...f, level: e.currentTarget.value }))}
        >
          <option value="">{t.any}</option>
          {ctx.settings.levels.map((l) => (
            <option key={l.rank} value={String(l.rank)}>
              {l.rank} · {l.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="ad-agent-status"
          label={t.status}
          value={filters.status}
          onChange={(e) => setFilters((f) => ({ ...f, status: e.currentTarget.value as Filters['status'] }))}
        >
          <option value="">{t.any}</option>
          {(['active', 'suspended', 'revoked'] as const).map((s) => (
            <option key={s} value={s}>
              {agentStatus[ctx.lang][s]}
            </option>
          ))}
        </SelectField>
        <div class="ad-filter-buttons">
          <button class="btn ad-btn" type="submit">
            {t.search}
          </button>
          {filtered ? (
            <button
              class="btn secondary ad-btn"
              type="button"
              onClick={() => {
                setTyped('');
                setFilters({ q: '', level: '', status: '' });
              }}
            >
              {t.clear}
            </button>
          ) : null}
        </div>
      </form>
      <PagedTable
        paged={paged}
        lang={ctx.lang}
        empty={t.empty}
        caption={t.list}
        head={
          <>
            <th scope="col">{t.name}</th>
            <th scope="col">{t.level}</th>
            <th scope="col">{t.phone}</th>
            <th scope="col">{t.wechat}</th>
            <th scope="col">{t.region}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.joined}</th>
          </>
        }
      >
        {(a) => (
          <tr key={a.id} data-testid={`agent-${a.id}`}>
            <th scope="row" data-label={t.name}>
              <a href={routeHref('agents', a.id)}>{a.name}</a>
            </th>
            <td data-label={t.level}>{levelLabel(ctx.settings.levels, a.level, ctx.lang)}</td>
            <td data-label={t.phone}>{a.phone}</td>
            <td data-label={t.wechat}>{a.wechat}</td>
            <td data-label={t.region}>{a.region}</td>
            <td data-label={t.status}>
              <span class={`badge ${tone(a.status)}`}>{agentStatus[ctx.lang][a.status]}</span>
            </td>
            <td data-label={t.joined}>{formatDate(a.createdAt)}</td>
          </tr>
        )}
      </PagedTable>
    </>
  );
}

/** 代理: the whole network searched and filtered, or one agent's page (#agents/<id>). */
export function AgentsSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  if (ctx.route.id) return <AgentPage key={ctx.route.id} ctx={ctx} id={ctx.route.id} />;
  return (
    <section aria-labelledby="ad-agents">
      <h2 id="ad-agents" class="ad-title">
        {t.title}
      </h2>
      <AgentList key={ctx.route.params.toString()} ctx={ctx} />
    </section>
  );
}
