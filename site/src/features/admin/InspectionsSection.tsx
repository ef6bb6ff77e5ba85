import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert, SelectField, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import type { Lang } from '../../lib/i18n';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import { type AdminContext, keepListFilters, listHref, routeHref } from './context';
import { RadioGroup } from './fields';
import { call, fieldText, seg } from './http';
import { Toast, useNotice } from './notice';
import type { Page } from './types';
import { parseYuanToFen } from './yuan';

type CaseStatus = 'open' | 'dismissed' | 'warned' | 'fined' | 'supply_stopped' | 'revoked';
type CaseKind = 'cross_region' | 'price_report';
type Action = 'dismiss' | 'warn' | 'fine' | 'stop_supply' | 'revoke';

interface CaseAgent {
  id: string;
  name: string;
  code: string;
  level: number;
  levelName: string;
  region: string;
  status: 'active' | 'suspended' | 'revoked';
  supplyStopped: boolean;
  supplyStoppedAt: number | null;
}

/** GET /api/brand/inspections item. */
interface Case {
  id: string;
  kind: CaseKind;
  status: CaseStatus;
  agent: CaseAgent;
  code: string | null;
  productId: string | null;
  productName: string | null;
  regionSeen: string | null;
  authorizedRegion: string | null;
  priceSeenFen: number | null;
  retailFen: number | null;
  note: string | null;
  reporterContact: string | null;
  hits: number;
  resolution: string | null;
  fineFen: number | null;
  decidedAt: number | null;
  createdAt: number;
  allowedActions: Action[];
}

const statuses: CaseStatus[] = ['open', 'dismissed', 'warned', 'fined', 'supply_stopped', 'revoked'];
const kinds: CaseKind[] = ['cross_region', 'price_report'];
const FINE_MAX_FEN = 10_000_000;

const labels = {
  zh: {
    status: {
      open: '待处理',
      dismissed: '已驳回',
      warned: '已警告',
      fined: '已罚款',
      supply_stopped: '已停货',
      revoked: '已撤销授权',
    } as Record<CaseStatus, string>,
    kind: { cross_region: '串货', price_report: '乱价举报' } as Record<CaseKind, string>,
    action: { dismiss: '驳回', warn: '警告', fine: '罚款', stop_supply: '停货', revoke: '撤销授权' } as Record<
      Action,
      string
    >,
    actionHint: {
      dismiss: '不成立或已核实无违规；不通知代理',
      warn: '通知代理，不做其他处罚',
      fine: '从代理可提现余额扣款，不足部分计为欠款，还清前不能提现',
      stop_supply: '代理不能进货和提货，直到恢复供货',
      revoke: '最终处理：授权书显示已撤销，直属下级转给其上级，代理被强制退出',
    } as Record<Action, string>,
  },
  en: {
    status: {
      open: 'Open',
      dismissed: 'Dismissed',
      warned: 'Warned',
      fined: 'Fined',
      supply_stopped: 'Supply stopped',
      revoked: 'Revoked',
    } as Record<CaseStatus, string>,
    kind: { cross_region: 'Cross-selling', price_report: 'Price report' } as Record<CaseKind, string>,
    action: { dismiss: 'Dismiss', warn: 'Warn', fine: 'Fine', stop_supply: 'Stop supply', revoke: 'Revoke' } as Record<
      Action,
      string
    >,
    actionHint: {
      dismiss: 'Unfounded or checked; the agent is not told',
      warn: 'Tell the agent, nothing else',
      fine: 'Taken from the available balance; a shortfall is a debt that blocks withdrawals',
      stop_supply: 'No restocks or pickups until supply is resumed',
      revoke: 'Final: the certificate shows revoked, the direct downline moves up, the agent is signed out',
    } as Record<Action, string>,
  },
};

const text = {
  zh: {
    title: '稽查',
    lead: '防伪码在授权区域外查验产生的串货记录，以及公众提交的乱价举报。核实后驳回、警告、罚款、停货或撤销授权；每次处理都会通知代理并记入操作记录。',
    filters: '筛选稽查记录',
    statusLabel: '状态',
    kindLabel: '类型',
    any: '全部',
    onlyAgent: (name: string) => `只看代理：${name}`,
    allAgents: '查看全部代理',
    list: '稽查记录',
    empty: '没有符合条件的稽查记录。',
    time: '时间',
    agent: '代理',
    product: '商品',
    finding: '情况',
    seenIn: (seen: string, authorized: string) => `在 ${seen} 查验（授权区域：${authorized}）`,
    hits: (n: number) => `${n} 次`,
    price: (seen: string) => `售价 ${seen}`,
    below: (diff: string, pct: number) => `低于零售价 ${diff}（${pct}%）`,
    back: '返回稽查列表',
    loading: '加载中…',
    facts: '记录详情',
    caseTitle: (kind: string) => `${kind}记录`,
    code: '防伪码',
    regionSeen: '查验地区',
    authorizedRegion: '授权区域',
    hitCount: '区域外查验次数',
    priceSeen: '举报售价',
    retail: '零售价',
    note: '举报说明',
    contact: '举报人联系方式',
    created: '发现时间',
    decided: '处理时间',
    resolution: '处理原因',
    fine: '罚款金额',
    agentTitle: '涉事代理',
    level: '等级',
    region: '授权区域',
    supply: '供货',
    supplied: '正常供货',
    stoppedSince: (at: string) => `已停货（${at} 起）`,
    agentRevoked: '授权已撤销',
    act: '处理',
    actLegend: '处理方式',
    reason: '处理原因',
    reasonHint: '2–200 字，代理会在通知中看到（驳回除外）',
    fineAmount: '罚款金额（元）',
    fineHint: '例如 500 或 500.00，最高 100000 元',
    submit: (action: string) => `确认${action}`,
    busy: '处理中…',
    closed: '该记录已处理。',
    needReason: '请填写处理原因（至少 2 个字）',
    badFine: '请输入 0.01 至 100000 元之间的金额，最多两位小数',
    done: (label: string) => `已处理：${label}。`,
    supplyTitle: '停货 / 恢复供货',
    supplyLead: '不经稽查记录直接停货或恢复供货，代理会收到通知。',
    supplyReason: '原因',
    stop: '停货',
    resume: '恢复供货',
    stopped: '已停货，代理收到通知。',
    resumed: '已恢复供货，代理收到通知。',
  },
  en: {
    title: 'Policing',
    lead: 'Cross-selling flags raised when a code is verified outside the agent’s authorized region, and price-breaking reports from the public. Dismiss, warn, fine, stop supply or revoke; each decision tells the agent and is audited.',
    filters: 'Filter cases',
    statusLabel: 'Status',
    kindLabel: 'Kind',
    any: 'All',
    onlyAgent: (name: string) => `Agent: ${name}`,
    allAgents: 'All agents',
    list: 'Cases',
    empty: 'No cases match.',
    time: 'When',
    agent: 'Agent',
    product: 'Product',
    finding: 'Finding',
    seenIn: (seen: string, authorized: string) => `Verified in ${seen} (authorized: ${authorized})`,
    hits: (n: number) => `${n}×`,
    price: (seen: string) => `Sold at ${seen}`,
    below: (diff: string, pct: number) => `${diff} below retail (${pct}%)`,
    back: 'Back to cases',
    loading: 'Loading…',
    facts: 'Case',
    caseTitle: (kind: string) => kind,
    code: 'Code',
    regionSeen: 'Verified in',
    authorizedRegion: 'Authorized region',
    hitCount: 'Out-of-region verifications',
    priceSeen: 'Price seen',
    retail: 'Retail price',
    note: 'Report',
    contact: 'Reporter contact',
    created: 'Raised',
    decided: 'Decided',
    resolution: 'Reason',
    fine: 'Fine',
    agentTitle: 'Agent',
    level: 'Level',
    region: 'Authorized region',
    supply: 'Supply',
    supplied: 'Supplied',
    stoppedSince: (at: string) => `Stopped since ${at}`,
    agentRevoked: 'Revoked',
    act: 'Decide',
    actLegend: 'Decision',
    reason: 'Reason',
    reasonHint: '2–200 characters; the agent sees it (except for a dismissal)',
    fineAmount: 'Fine (yuan)',
    fineHint: 'e.g. 500 or 500.00, at most 100000',
    submit: (action: string) => `Confirm: ${action}`,
    busy: 'Working…',
    closed: 'This case is closed.',
    needReason: 'Enter a reason (at least 2 characters)',
    badFine: 'Enter an amount from 0.01 to 100000 yuan, with at most two decimals',
    done: (label: string) => `Done: ${label}.`,
    supplyTitle: 'Stop or resume supply',
    supplyLead: 'Stop or resume supply outside a case; the agent is told.',
    supplyReason: 'Reason',
    stop: 'Stop supply',
    resume: 'Resume supply',
    stopped: 'Supply stopped; the agent is told.',
    resumed: 'Supply resumed; the agent is told.',
  },
};

function statusTone(status: CaseStatus): string {
  if (status === 'open') return 'pending';
  if (status === 'dismissed') return 'expired';
  return status === 'warned' ? 'ad-info' : 'revoked';
}

/** What was seen: where a code was verified, or the price against retail. */
function finding(item: Case, lang: Lang): string {
  const t = text[lang];
  if (item.kind === 'cross_region') {
    return `${t.seenIn(item.regionSeen ?? '—', item.authorizedRegion ?? item.agent.region)} · ${t.hits(item.hits)}`;
  }
  if (item.priceSeenFen === null) return '—';
  const seen = t.price(formatFen(item.priceSeenFen));
  if (item.retailFen === null || item.priceSeenFen >= item.retailFen) return seen;
  const diff = item.retailFen - item.priceSeenFen;
  return `${seen}，${t.below(formatFen(diff), Math.round((diff * 100) / item.retailFen))}`;
}

interface Filters {
  status: '' | CaseStatus;
  kind: '' | CaseKind;
  agentId: string;
}

function CaseList({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const l = labels[ctx.lang];
  const [filters, setFilters] = useState<Filters>(() => {
    const status = ctx.route.params.get('status');
    const kind = ctx.route.params.get('kind') ?? '';
    return {
      // The queue opens on what needs a decision; "全部" is status=all in the address.
      status: status === 'all' ? '' : statuses.includes(status as CaseStatus) ? (status as CaseStatus) : 'open',
      kind: kinds.includes(kind as CaseKind) ? (kind as CaseKind) : '',
      agentId: /^agt_[0-9a-z]{26}$/.test(ctx.route.params.get('agentId') ?? '')
        ? (ctx.route.params.get('agentId') ?? '')
        : '',
    };
  });
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

  useEffect(() => {
    const params: Record<string, string> = { status: filters.status || 'all' };
    if (filters.kind) params.kind = filters.kind;
    if (filters.agentId) params.agentId = filters.agentId;
    keepListFilters('inspections', params);
  }, [filters]);

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
      <div class="card ad-table-card">
        <PagedList paged={paged} lang={ctx.lang} empty={t.empty} tally>
          {(items) => (
            <table class="ad-table">
              <caption class="visually-hidden">{t.list}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.agent}</th>
                  <th scope="col">{t.kindLabel}</th>
                  <th scope="col">{t.finding}</th>
                  <th scope="col">{t.product}</th>
                  <th scope="col">{t.time}</th>
                  <th scope="col">{t.statusLabel}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
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
                ))}
              </tbody>
            </table>
          )}
        </PagedList>
      </div>
    </>
  );
}

type ActionErrors = { action?: string; reason?: string; fineFen?: string; top?: string };

function ActionForm({ ctx, item, onDone }: { ctx: AdminContext; item: Case; onDone: (next: Case) => void }) {
  const t = text[ctx.lang];
  const l = labels[ctx.lang];
  const [action, setAction] = useState<Action>(item.allowedActions[0] ?? 'dismiss');
  const [reason, setReason] = useState('');
  const [fine, setFine] = useState('');
  const [errors, setErrors] = useState<ActionErrors>({});
  const [busy, setBusy] = useState(false);

  function fail(next: ActionErrors) {
    setErrors(next);
    const field = next.reason ? 'ad-ins-reason' : next.fineFen ? 'ad-ins-fine' : next.action ? 'ad-ins-action' : null;
    if (field) document.getElementById(field)?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    const fineFen = action === 'fine' ? parseYuanToFen(fine) : null;
    if (reason.trim().length < 2) return fail({ reason: t.needReason });
    if (action === 'fine' && (fineFen === null || fineFen < 1 || fineFen > FINE_MAX_FEN))
      return fail({ fineFen: t.badFine });
    setBusy(true);
    setErrors({});
    const res = await call<Case>(`/brand/inspections/${seg(item.id)}/actions`, {
      method: 'POST',
      body: { action, reason: reason.trim(), ...(fineFen !== null ? { fineFen } : {}) },
    });
    setBusy(false);
    if (res.ok) return onDone(res.data);
    const field = res.error.field;
    if (field === 'action' || field === 'reason' || field === 'fineFen') fail({ [field]: fieldText(res.error) });
    else fail({ top: res.error.message });
  }

  return (
    <form onSubmit={submit} noValidate class="card" aria-labelledby="ad-ins-act">
      <h3 id="ad-ins-act">{t.act}</h3>
      <Alert message={errors.top} />
      <RadioGroup
        name="ad-ins-action"
        legend={t.actLegend}
        value={action}
        onChange={(next) => {
          setAction(next);
          setErrors({});
        }}
        error={errors.action}
        options={item.allowedActions.map((a) => ({ value: a, label: l.action[a], hint: l.actionHint[a] }))}
      />
      {action === 'fine' ? (
        <TextField
          id="ad-ins-fine"
          label={t.fineAmount}
          hint={t.fineHint}
          error={errors.fineFen}
          value={fine}
          onInput={(e) => setFine(e.currentTarget.value)}
          inputMode="decimal"
          autocomplete="off"
          maxLength={16}
        />
      ) : null}
      <TextField
        id="ad-ins-reason"
        label={t.reason}
        hint={t.reasonHint}
        error={errors.reason}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
        maxLength={200}
      />
      <button
        class={`btn ad-btn${action === 'revoke' || action === 'stop_supply' ? ' ad-danger' : ''}`}
        type="submit"
        disabled={busy}
      >
        {busy ? t.busy : t.submit(l.action[action])}
      </button>
    </form>
  );
}

function SupplyForm({ ctx, agent, onDone }: { ctx: AdminContext; agent: CaseAgent; onDone: (a: CaseAgent) => void }) {
  const t = text[ctx.lang];
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stopping = !agent.supplyStopped;

  async function submit(event: Event) {
    event.preventDefault();
    if (reason.trim().length < 2) {
      setError(t.needReason);
      document.getElementById('ad-supply-reason')?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setTop(null);
    const res = await call<CaseAgent>(`/brand/agents/${seg(agent.id)}/supply`, {
      method: 'POST',
      body: { stopped: stopping, reason: reason.trim() },
    });
    setBusy(false);
    if (res.ok) {
      setReason('');
      onDone(res.data);
    } else if (res.error.field === 'reason') setError(fieldText(res.error));
    else setTop(res.error.message);
  }

  return (
    <form onSubmit={submit} noValidate class="ad-subform" aria-labelledby="ad-supply-title">
      <h4 id="ad-supply-title">{t.supplyTitle}</h4>
      <p class="muted">{t.supplyLead}</p>
      <Alert message={top} />
      <TextField
        id="ad-supply-reason"
        label={t.supplyReason}
        error={error}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
        maxLength={200}
      />
      <button class={`btn ad-btn${stopping ? ' ad-danger' : ''}`} type="submit" disabled={busy}>
        {busy ? t.busy : stopping ? t.stop : t.resume}
      </button>
    </form>
  );
}

function CasePage({ ctx, id }: { ctx: AdminContext; id: string }) {
  const t = text[ctx.lang];
  const l = labels[ctx.lang];
  const [item, setItem] = useState<Case | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useNotice();

  useEffect(() => {
    call<Case>(`/brand/inspections/${seg(id)}`).then((res) =>
      res.ok ? setItem(res.data) : setError(res.error.message),
    );
  }, [id]);

  const back = (
    <p class="ad-back">
      <a href={listHref('inspections')}>← {t.back}</a>
    </p>
  );
  if (error || !item)
    return (
      <section>
        {back}
        {error ? <Alert message={error} /> : <p role="status">{t.loading}</p>}
      </section>
    );

  const facts: [string, string | null][] =
    item.kind === 'cross_region'
      ? [
          [t.code, item.code],
          [t.regionSeen, item.regionSeen],
          [t.authorizedRegion, item.authorizedRegion],
          [t.hitCount, String(item.hits)],
        ]
      : [
          [t.priceSeen, item.priceSeenFen === null ? null : finding(item, ctx.lang)],
          [t.retail, item.retailFen === null ? null : formatFen(item.retailFen)],
          [t.note, item.note],
          [t.contact, item.reporterContact],
        ];
  const decided: [string, string | null][] = [
    [t.decided, item.decidedAt ? formatDateTime(item.decidedAt) : null],
    [t.resolution, item.resolution],
    [t.fine, item.fineFen === null ? null : formatFen(item.fineFen)],
  ];
  const agent = item.agent;

  return (
    <section aria-labelledby="ad-ins-title">
      {back}
      <Toast message={notice} />
      <div class="ad-head">
        <h2 id="ad-ins-title" class="ad-title">
          {t.caseTitle(l.kind[item.kind])}
        </h2>
        <span class={`badge ${statusTone(item.status)}`}>{l.status[item.status]}</span>
      </div>
      <div class="ad-grid ad-grid-wide">
        <div>
          <section class="card" aria-labelledby="ad-ins-facts">
            <h3 id="ad-ins-facts">{t.facts}</h3>
            <dl class="facts ad-facts">
              <dt>{t.product}</dt>
              <dd>{item.productName ?? '—'}</dd>
              {[...facts, [t.created, formatDateTime(item.createdAt)] as [string, string], ...decided].map(
                ([label, value]) =>
                  value === null ? null : (
                    <Fragment key={label}>
                      <dt>{label}</dt>
                      <dd>{value}</dd>
                    </Fragment>
                  ),
              )}
            </dl>
          </section>
          {item.status === 'open' && item.allowedActions.length > 0 ? (
            <ActionForm
              key={item.status}
              ctx={ctx}
              item={item}
              onDone={(next) => {
                setItem(next);
                setNotice(t.done(l.status[next.status]));
                ctx.refreshCounts();
              }}
            />
          ) : (
            <p class="muted">{t.closed}</p>
          )}
        </div>
        <section class="card" aria-labelledby="ad-ins-agent">
          <h3 id="ad-ins-agent">{t.agentTitle}</h3>
          <dl class="facts ad-facts">
            <dt>{t.agent}</dt>
            <dd>
              <a href={routeHref('agents', agent.id)}>{agent.name}</a>
            </dd>
            <dt>{t.level}</dt>
            <dd>{agent.levelName}</dd>
            <dt>{t.region}</dt>
            <dd>{agent.region}</dd>
            <dt>{t.supply}</dt>
            <dd>
              {agent.status === 'revoked' ? (
                <span class="badge revoked">{t.agentRevoked}</span>
              ) : agent.supplyStoppedAt !== null ? (
                <span class="badge revoked">{t.stoppedSince(formatDateTime(agent.supplyStoppedAt))}</span>
              ) : (
                <span class="badge valid">{t.supplied}</span>
              )}
            </dd>
          </dl>
          <p>
            <a href={routeHref('inspections', null, { status: 'all', agentId: agent.id })}>{t.onlyAgent(agent.name)}</a>
          </p>
          {agent.status === 'revoked' ? null : (
            <SupplyForm
              key={String(agent.supplyStopped)}
              ctx={ctx}
              agent={agent}
              onDone={(next) => {
                setItem({ ...item, agent: next });
                setNotice(next.supplyStopped ? t.stopped : t.resumed);
              }}
            />
          )}
        </section>
      </div>
    </section>
  );
}

/** 稽查: the queue of cross-selling flags and price-breaking reports, or one case (#inspections/<id>) to decide. */
export function InspectionsSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  if (ctx.route.id) return <CasePage key={ctx.route.id} ctx={ctx} id={ctx.route.id} />;
  return (
    <section aria-labelledby="ad-inspections">
      <h2 id="ad-inspections" class="ad-title">
        {t.title}
      </h2>
      <p class="muted">{t.lead}</p>
      <CaseList key={ctx.route.params.toString()} ctx={ctx} />
    </section>
  );
}
