import { useEffect, useMemo, useState } from 'preact/hooks';
import { Alert } from '../../../components/Field';
import type { ApiResult } from '../../../lib/api';
import { formatFen } from '../../../lib/money';
import type { AdminContext } from '../context';
import { call } from '../http';
import type { Page } from '../types';
import { Chart } from './Chart';
import { TeamBoard } from './TeamBoard';
import type { BoardAgentRow, BreakdownRow, Buyers, DayRow } from './types';
import './dashboard.css';

const text = {
  zh: {
    title: '数据看板',
    month: '月份',
    sales90: '近 90 天销售额（净额，按支付日）',
    growth: '近 90 天新增代理与会员',
    newAgents: '新增代理',
    newMembers: '新增会员',
    sales: '销售额',
    byLevel: '按代理等级',
    byProvince: '按地区',
    byProduct: '按商品',
    topAgents: '业绩前十代理',
    repeat: '复购率',
    repeatHint: (b: number, r: number) => `${b} 位下单顾客中 ${r} 位买过两次及以上`,
    units: (n: number) => `${n} 件`,
    none: '本月暂无数据',
    loading: '加载中…',
    chartOf: (what: string, total: string) => `${what}：合计 ${total}`,
  },
  en: {
    title: 'Dashboard',
    month: 'Month',
    sales90: 'Net sales, last 90 days (by payment day)',
    growth: 'New agents and members, last 90 days',
    newAgents: 'New agents',
    newMembers: 'New members',
    sales: 'Sales',
    byLevel: 'By agent level',
    byProvince: 'By region',
    byProduct: 'By product',
    topAgents: 'Top 10 agents',
    repeat: 'Repeat-purchase rate',
    repeatHint: (b: number, r: number) => `${r} of ${b} paying consumers bought twice or more`,
    units: (n: number) => `${n} units`,
    none: 'Nothing this month yet',
    loading: 'Loading…',
    chartOf: (what: string, total: string) => `${what}: ${total} in total`,
  },
};

export const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
const ninetyDays = () => {
  const now = Date.now() + 8 * 3600_000;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(now - 89 * 86_400_000), to: day(now) };
};

interface Month {
  levels: BreakdownRow[];
  provinces: BreakdownRow[];
  products: BreakdownRow[];
  top: BoardAgentRow[];
}

const rows = <T,>(res: ApiResult<Page<T>>) => (res.ok ? res.data.items : []);

function Ranked({
  title,
  items,
  unit,
  lang,
}: {
  title: string;
  items: BreakdownRow[];
  unit?: boolean;
  lang: 'zh' | 'en';
}) {
  const t = text[lang];
  const max = Math.max(1, ...items.map((r) => r.salesFen));
  return (
    <section class="card" aria-label={title}>
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p class="muted">{t.none}</p>
      ) : (
        <ol class="db-ranked">
          {items.map((r) => (
            <li key={r.key}>
              <span>{r.label}</span>
              <meter min={0} max={max} value={Math.max(0, r.salesFen)} aria-hidden="true" />
              <strong>{formatFen(r.salesFen)}</strong>
              {unit ? <small class="muted">{t.units(r.units)}</small> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** 数据看板: trends and breakdowns, all read from the rollup rows the order, agent and member writes keep. */
export function DashboardSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [month, setMonth] = useState(thisMonth());
  const [days, setDays] = useState<DayRow[] | null>(null);
  const [data, setData] = useState<Month | null>(null);
  const [buyers, setBuyers] = useState<Buyers | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([
      call<{ days: DayRow[] }>('/dashboard/daily', { query: ninetyDays() }),
      call<Buyers>('/dashboard/buyers'),
    ]).then(([d, b]) => {
      if (d.ok) setDays(d.data.days);
      else setError(d.error.message);
      if (b.ok) setBuyers(b.data);
    });
  }, []);

  useEffect(() => {
    setData(null);
    const part = (dim: string) =>
      call<Page<BreakdownRow>>('/dashboard/breakdown', { query: { month, dim, limit: 10 } });
    Promise.all([
      part('level'),
      part('province'),
      part('product'),
      call<Page<BoardAgentRow>>('/board/agents', { query: { month, metric: 'sales', limit: 10 } }),
    ]).then(([levels, provinces, products, top]) => {
      const failed = [levels, provinces, products, top].find((r) => !r.ok);
      if (failed && !failed.ok) setError(failed.error.message);
      setData({ levels: rows(levels), provinces: rows(provinces), products: rows(products), top: rows(top) });
    });
  }, [month]);

  const labels = useMemo(() => days?.map((d) => d.day.slice(5)) ?? [], [days]);
  const salesSeries = useMemo(
    () => [{ label: t.sales, values: days?.map((d) => d.salesFen) ?? [], color: '#0f766e', format: formatFen }],
    [days, t],
  );
  const growthSeries = useMemo(
    () => [
      { label: t.newAgents, values: days?.map((d) => d.newAgents) ?? [], color: '#7c3aed', format: String },
      { label: t.newMembers, values: days?.map((d) => d.newMembers) ?? [], color: '#ea580c', format: String },
    ],
    [days, t],
  );
  const levelLabels = useMemo(() => data?.levels.map((l) => l.label) ?? [], [data]);
  const levelSeries = useMemo(
    () => [{ label: t.sales, values: data?.levels.map((l) => l.salesFen) ?? [], color: '#2563eb', format: formatFen }],
    [data, t],
  );
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  return (
    <section aria-labelledby="ad-dashboard" class="db">
      <div class="db-head">
        <h2 id="ad-dashboard" class="ad-title">
          {t.title}
        </h2>
        <label>
          {t.month}{' '}
          <input type="month" value={month} onChange={(e) => setMonth(e.currentTarget.value || thisMonth())} />
        </label>
      </div>
      <Alert message={error} />
      {days ? (
        <div class="ad-grid db-wide">
          <section class="card" aria-label={t.sales90}>
            <h3>{t.sales90}</h3>
            <Chart
              kind="line"
              labels={labels}
              series={salesSeries}
              summary={t.chartOf(t.sales90, formatFen(total(days.map((d) => d.salesFen))))}
            />
          </section>
          <section class="card" aria-label={t.growth}>
            <h3>{t.growth}</h3>
            <Chart
              kind="line"
              labels={labels}
              series={growthSeries}
              summary={t.chartOf(t.newAgents, String(total(days.map((d) => d.newAgents))))}
            />
          </section>
        </div>
      ) : (
        <p class="muted">{t.loading}</p>
      )}
      {data ? (
        <div class="ad-grid">
          <section class="card" aria-label={t.byLevel}>
            <h3>{t.byLevel}</h3>
            {data.levels.length === 0 ? (
              <p class="muted">{t.none}</p>
            ) : (
              <Chart
                kind="bar"
                labels={levelLabels}
                series={levelSeries}
                summary={data.levels.map((l) => `${l.label} ${formatFen(l.salesFen)}`).join('，')}
              />
            )}
          </section>
          <Ranked title={t.byProvince} items={data.provinces} lang={ctx.lang} />
          <Ranked title={t.byProduct} items={data.products} unit lang={ctx.lang} />
          <section class="card" aria-label={t.topAgents}>
            <h3>{t.topAgents}</h3>
            {data.top.length === 0 ? (
              <p class="muted">{t.none}</p>
            ) : (
              <ol class="db-top">
                {data.top.map((a) => (
                  <li key={a.agentId}>
                    <span>{a.name}</span>
                    <strong>{formatFen(a.value)}</strong>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section class="card" aria-label={t.repeat}>
            <h3>{t.repeat}</h3>
            {buyers ? (
              <p class="ad-big">
                <strong data-testid="repeat-rate">{(buyers.repeatRatePermille / 10).toFixed(1)}%</strong>
                <small class="muted">{t.repeatHint(buyers.buyers, buyers.repeaters)}</small>
              </p>
            ) : (
              <p class="muted">{t.loading}</p>
            )}
          </section>
        </div>
      ) : null}
      <TeamBoard lang={ctx.lang} month={month} />
    </section>
  );
}
