import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import type { ApiResult } from '../../lib/api';
import { formatFen } from '../../lib/money';
import { type AdminContext, routeHref } from './context';
import { call } from './http';
import type { ApplicationView, BrandWallet, OrderSummary, Page, TeamSummary, Withdrawal } from './types';

const text = {
  zh: {
    title: '概览',
    network: '代理网络',
    total: '有效代理',
    totalHint: '正常与暂停中的代理，不含已撤销',
    perLevel: '各等级人数',
    people: (n: number) => `${n} 人`,
    money: '品牌资金',
    revenue: '品牌收入',
    revenueHint: '每笔订单中品牌自留的部分',
    clearing: '清算中',
    clearingHint: '已收款、尚未分账给任何人',
    paidOut: '已打款提现',
    paidOutHint: '已支付给代理的提现',
    todo: '待办',
    applications: '待审核申请',
    toShip: '待发货订单',
    toConfirm: '待确认线下收款',
    withdrawals: '待审核提现',
    lateRefunds: '取消后到账待退款',
    none: '暂无',
    loading: '加载中…',
  },
  en: {
    title: 'Overview',
    network: 'Agent network',
    total: 'Agents',
    totalHint: 'Active and suspended, revoked not counted',
    perLevel: 'Agents per level',
    people: (n: number) => `${n}`,
    money: 'Brand money',
    revenue: 'Brand revenue',
    revenueHint: 'The brand’s own part of every order',
    clearing: 'In clearing',
    clearingHint: 'Collected, not yet credited to anyone',
    paidOut: 'Withdrawals paid',
    paidOutHint: 'Paid out to agents',
    todo: 'To do',
    applications: 'Applications to review',
    toShip: 'Orders to ship',
    toConfirm: 'Offline payments to confirm',
    withdrawals: 'Withdrawals to review',
    lateRefunds: 'Payments after cancellation to refund',
    none: 'None',
    loading: 'Loading…',
  },
};

interface Todo {
  applications: string;
  toShip: string;
  toConfirm: string;
  withdrawals: string;
  lateRefunds: string;
}

function count<T>(res: ApiResult<Page<T>>, keep: (item: T) => boolean = () => true): string {
  if (!res.ok) return '–';
  const n = res.data.items.filter(keep).length;
  return `${n}${res.data.nextCursor && n > 0 ? '+' : ''}`;
}

/** 概览: agents per level across the whole network, the brand's money and what waits for a decision. */
export function OverviewSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [summary, setSummary] = useState<TeamSummary | null>(null);
  const [wallet, setWallet] = useState<BrandWallet | null>(null);
  const [todo, setTodo] = useState<Todo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([
      call<TeamSummary>('/agents/brand/team/summary'),
      call<BrandWallet>('/brand/wallet'),
      call<Page<ApplicationView>>('/applications', { query: { status: 'pending', limit: 20 } }),
      call<Page<OrderSummary>>('/orders', { query: { status: 'paid', limit: 20 } }),
      call<Page<OrderSummary>>('/orders', { query: { status: 'pending_payment', limit: 50 } }),
      call<Page<Withdrawal>>('/withdrawals', { query: { status: 'requested', limit: 20 } }),
      call<Page<OrderSummary>>('/orders', { query: { lateRefundDue: '1', limit: 20 } }),
    ]).then(([team, money, apps, toShip, unpaid, withdrawals, late]) => {
      if (team.ok) setSummary(team.data);
      if (money.ok) setWallet(money.data);
      const failed = [team, money].find((r) => !r.ok);
      if (failed && !failed.ok) setError(failed.error.message);
      setTodo({
        applications: count(apps),
        toShip: count(toShip),
        toConfirm: count(unpaid, (o) => o.paymentMethod === 'offline' && o.payeeId === 'brand'),
        withdrawals: count(withdrawals),
        lateRefunds: count(late),
      });
    });
  }, []);

  const byLevel = new Map(summary?.byLevel.map((l) => [l.level, l.count]) ?? []);

  return (
    <section aria-labelledby="ad-overview">
      <h2 id="ad-overview" class="ad-title">
        {t.title}
      </h2>
      <Alert message={error} />
      <div class="ad-grid">
        <section class="card" aria-labelledby="ad-network">
          <h3 id="ad-network">{t.network}</h3>
          {summary ? (
            <>
              <p class="ad-big">
                <span class="muted">{t.total}</span>
                <strong>{summary.total}</strong>
                <small class="muted">{t.totalHint}</small>
              </p>
              <ul class="ad-stats" aria-label={t.perLevel}>
                {ctx.settings.levels.map((l) => (
                  <li key={l.rank}>
                    <a href={routeHref('agents', null, { level: String(l.rank) })}>
                      <span class="muted">{l.name}</span>
                      <strong>{t.people(byLevel.get(l.rank) ?? 0)}</strong>
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p class="muted" role="status">
              {t.loading}
            </p>
          )}
        </section>
        <section class="card" aria-labelledby="ad-money">
          <h3 id="ad-money">{t.money}</h3>
          {wallet ? (
            <dl class="ad-money">
              <div>
                <dt>{t.revenue}</dt>
                <dd>
                  <strong>{formatFen(wallet.revenueFen)}</strong>
                  <small class="muted">{t.revenueHint}</small>
                </dd>
              </div>
              <div>
                <dt>{t.clearing}</dt>
                <dd>
                  <strong>{formatFen(wallet.clearingFen)}</strong>
                  <small class="muted">{t.clearingHint}</small>
                </dd>
              </div>
              <div>
                <dt>{t.paidOut}</dt>
                <dd>
                  <strong>{formatFen(wallet.paidOutFen)}</strong>
                  <small class="muted">{t.paidOutHint}</small>
                </dd>
              </div>
            </dl>
          ) : (
            <p class="muted" role="status">
              {t.loading}
            </p>
          )}
        </section>
        <section class="card" aria-labelledby="ad-todo">
          <h3 id="ad-todo">{t.todo}</h3>
          {todo ? (
            <ul class="ad-todo">
              <li>
                <a href={routeHref('applications')}>{t.applications}</a>
                <strong>{todo.applications}</strong>
              </li>
              <li>
                <a href={routeHref('orders', null, { status: 'paid' })}>{t.toShip}</a>
                <strong>{todo.toShip}</strong>
              </li>
              <li>
                <a href={routeHref('orders', null, { status: 'pending_payment' })}>{t.toConfirm}</a>
                <strong>{todo.toConfirm}</strong>
              </li>
              <li>
                <a href={routeHref('withdrawals')}>{t.withdrawals}</a>
                <strong>{todo.withdrawals}</strong>
              </li>
              {todo.lateRefunds !== '0' ? (
                <li>
                  <a href={routeHref('orders', null, { lateRefundDue: '1' })}>{t.lateRefunds}</a>
                  <strong>{todo.lateRefunds}</strong>
                </li>
              ) : null}
            </ul>
          ) : (
            <p class="muted" role="status">
              {t.loading}
            </p>
          )}
        </section>
      </div>
    </section>
  );
}
