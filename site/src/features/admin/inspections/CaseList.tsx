import { SelectField } from '../../../components/Field';
import { formatDateTime } from '../../../lib/dates';
import { usePaged } from '../../../lib/paged';
import { type AdminContext, routeHref } from '../context';
import { call } from '../http';
import { useListFilters } from '../listFilters';
import { PagedTable } from '../PagedTable';
import type { Page } from '../types';
import { type Case, type CaseKind, type CaseStatus, kinds, statuses } from './types';
import { finding, labels, statusTone, text } from './wording';

interface Filters {
  status: '' | CaseStatus;
  kind: '' | CaseKind;
  agentId: string;
}

function filtersFrom(params: URLSearchParams): Filters {
  const status = params.get('status');
  const kind = params.get('kind') ?? '';
  const agentId = params.get('agentId') ?? '';
  return {
    // The queue opens on what needs a decision; "全部" is status=all in the address.
    status: status === 'all' ? '' : statuses.includes(status as CaseStatus) ? (status as CaseStatus) : 'open',
    kind: kinds.includes(kind as CaseKind) ? (kind as CaseKind) : '',
    agentId: /^agt_[0-9a-z]{26}$/.test(agentId) ? agentId : '',
  };
}

/** The queue of cases, filtered by status, kind and agent. */
export function CaseList({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const l = labels[ctx.lang];
  const [filters, setFilters] = useListFilters('inspections', ctx.route.params, filtersFrom, (f) => ({
    ...f,
    status: f.status || 'all',
  }));
  const paged = usePaged(
    (cursor) =>
      call<Page<Case>>('/brand/inspections', {
        query: {
          status: filters.status || undefined,
          kind: filters.kind || undefined,
          agentId: filters.agentId || undefined,
          cursor,
          limit: 20,
        },
      }),
    JSON.stringify(filters),
  );

  const agentName = paged.items.find((i) => i.agent.id === filters.agentId)?.agent.name ?? filters.agentId;

  return (
    <>
      <form class="card ad-filters" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="ad-ins-status"
          label={t.statusLabel}
          value={filters.status}
          onChange={(e) => setFilters((f) => ({ ...f, status: e.currentTarget.value as Filters['status'] }))}
        >
          <option value="">{t.any}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {l.status[s]}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="ad-ins-kind"
          label={t.kindLabel}
          value={filters.kind}
          onChange={(e) => setFilters((f) => ({ ...f, kind: e.currentTarget.value as Filters['kind'] }))}
        >
          <option value="">{t.any}</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {l.kind[k]}
            </option>
          ))}
        </SelectField>
        {filters.agentId ? (
          <div class="ad-filter-buttons">
            <span>{t.onlyAgent(agentName)}</span>
            <button
              class="btn secondary ad-btn"
              type="button"
              onClick={() => setFilters((f) => ({ ...f, agentId: '' }))}
            >
              {t.allAgents}
            </button>
          </div>
        ) : null}
      </form>
      <PagedTable
        paged={paged}
        lang={ctx.lang}
        empty={t.empty}
        caption={t.list}
        head={
          <>
            <th scope="col">{t.agent}</th>
            <th scope="col">{t.kindLabel}</th>
            <th scope="col">{t.finding}</th>
            <th scope="col">{t.product}</th>
            <th scope="col">{t.time}</th>
            <th scope="col">{t.statusLabel}</th>
          </>
        }
      >
        {(item) => (
          <tr key={item.id} data-testid={`inspection-${item.id}`}>
            <th scope="row" data-label={t.agent}>
              <a href={routeHref('inspections', item.id)}>{item.agent.name}</a>
              <span class="muted ad-block">
                {item.agent.levelName} · {item.agent.region}
              </span>
            </th>
            <td data-label={t.kindLabel}>{l.kind[item.kind]}</td>
            <td data-label={t.finding}>{finding(item, ctx.lang)}</td>
            <td data-label={t.product}>{item.productName ?? '—'}</td>
            <td data-label={t.time}>{formatDateTime(item.createdAt)}</td>
            <td data-label={t.statusLabel}>
              <span class={`badge ${statusTone(item.status)}`}>{l.status[item.status]}</span>
            </td>
          </tr>
        )}
      </PagedTable>
    </>
  );
}
