import type { FunctionComponent } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { type ApiResult, api } from '../../lib/api';
import { useLang } from '../../lib/hooks';
import { homeFor, loginUrl, type Me } from '../auth/roles';
import type { ConsoleContext, TabId } from './context';
import { agentStatus, tone } from './labels';
import { MeTab } from './MeTab';
import type { AgentDetail, ApplicationView, OrderSummary, Page, PublicBrand } from './types';
import './console.css';

type TabModule = FunctionComponent<{ ctx: ConsoleContext }>;

// 我的 opens first and ships with the shell; every other tab is its own chunk, fetched when it is first opened.
const tabs: { id: TabId; zh: string; en: string; load?: () => Promise<TabModule> }[] = [
  { id: 'me', zh: '我的', en: 'Me' },
  { id: 'review', zh: '审核', en: 'Review', load: () => import('./ReviewTab').then((m) => m.ReviewTab) },
  { id: 'team', zh: '团队', en: 'Team', load: () => import('./TeamTab').then((m) => m.TeamTab) },
  { id: 'board', zh: '排行', en: 'PK', load: () => import('./BoardTab').then((m) => m.BoardTab) },
  { id: 'stock', zh: '进货', en: 'Stock', load: () => import('./StockTab').then((m) => m.StockTab) },
  { id: 'orders', zh: '订单', en: 'Orders', load: () => import('./OrdersTab').then((m) => m.OrdersTab) },
  { id: 'earnings', zh: '收益', en: 'Earnings', load: () => import('./EarningsTab').then((m) => m.EarningsTab) },
  { id: 'progress', zh: '成长', en: 'Growth', load: () => import('./ProgressTab').then((m) => m.ProgressTab) },
  { id: 'notices', zh: '通知', en: 'Notices', load: () => import('./NoticesTab').then((m) => m.NoticesTab) },
  { id: 'account', zh: '账户', en: 'Account', load: () => import('./AccountTab').then((m) => m.AccountTab) },
];

const text = {
  zh: {
    loading: '加载中…',
    nav: '控制台栏目',
    suspended: (reason: string | null) =>
      `您已被停货${reason ? `，原因：${reason}` : ''}。停货期间不能进货，店铺暂停营业，也不产生收益；如有疑问请联系上级或品牌方。`,
    todo: (n: string) => `${n} 项待处理`,
    tabFailed: '页面加载失败，请检查网络后重试',
    retry: '重试',
  },
  en: {
    loading: 'Loading…',
    nav: 'Console sections',
    suspended: (reason: string | null) =>
      `Your supply is stopped${reason ? `: ${reason}` : ''}. You cannot restock, your shop is closed and you earn nothing until it is resumed.`,
    todo: (n: string) => `${n} to do`,
    tabFailed: 'This section failed to load; check your connection and try again',
    retry: 'Retry',
  },
};

type Session =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; me: AgentDetail; brand: PublicBrand };

type Counts = Partial<Record<TabId, string>>;

function tabFromHash(): TabId {
  const id = location.hash.slice(1);
  return tabs.some((t) => t.id === id) ? (id as TabId) : 'me';
}

// A page of up to 20 is enough to say "3" or "20+" on the tab bar without counting the whole table.
function countOf<T>(res: ApiResult<Page<T>>, keep: (item: T) => boolean = () => true) {
  return res.ok ? { n: res.data.items.filter(keep).length, more: res.data.nextCursor !== null } : { n: 0, more: false };
}

function show(...parts: { n: number; more: boolean }[]): string | undefined {
  const n = parts.reduce((sum, p) => sum + p.n, 0);
  return n > 0 ? `${n}${parts.some((p) => p.more) ? '+' : ''}` : undefined;
}

async function loadCounts(): Promise<Counts> {
  const [apps, toShip, toConfirm] = await Promise.all([
    api<Page<ApplicationView>>('/applications', { query: { status: 'pending', limit: 20 } }),
    api<Page<OrderSummary>>('/orders', { query: { role: 'to_ship', status: 'paid', limit: 20 } }),
    api<Page<OrderSummary>>('/orders', { query: { role: 'to_confirm', status: 'pending_payment', limit: 20 } }),
  ]);
  const offline = (o: OrderSummary) => o.paymentMethod === 'offline';
  return { review: show(countOf(apps)), orders: show(countOf(toShip), countOf(toConfirm, offline)) };
}

/** 代理控制台: checks the session (401 → /login), then a bar of sections, each loaded when opened. */
export function ConsoleApp() {
  const lang = useLang();
  const t = text[lang];
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  const [tab, setTab] = useState<TabId>('me');
  const [counts, setCounts] = useState<Counts>({});
  const [modules, setModules] = useState<Partial<Record<TabId, TabModule>>>({});
  const [failed, setFailed] = useState<TabId | null>(null);

  useEffect(() => {
    setTab(tabFromHash());
    const onHash = () => {
      setTab(tabFromHash());
      const nav = document.getElementById('cx-nav');
      if (nav && nav.getBoundingClientRect().top < 0) nav.scrollIntoView();
    };
    addEventListener('hashchange', onHash);
    Promise.all([api<Me>('/auth/me'), api<AgentDetail>('/agents/me'), api<PublicBrand>('/brand')]).then(
      ([who, me, brand]) => {
        if (who.ok && who.data.role !== 'agent') location.replace(homeFor(who.data.role));
        else if (who.status === 401 || me.status === 401)
          location.replace(loginUrl('agent', location.pathname + location.hash));
        else if (!me.ok) setSession({ kind: 'error', message: me.error.message });
        else setSession({ kind: 'ready', me: me.data, brand: brand.ok ? brand.data : { name: '', levels: [] } });
      },
    );
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const countsSeq = useRef(0);
  const refreshCounts = useCallback(() => {
    const mine = ++countsSeq.current;
    loadCounts().then((next) => {
      if (mine === countsSeq.current) setCounts(next);
    });
  }, []);

  useEffect(() => {
    if (session.kind === 'ready') refreshCounts();
  }, [session.kind, refreshCounts]);

  const loadTab = useCallback((id: TabId) => {
    const entry = tabs.find((x) => x.id === id);
    if (!entry?.load) return;
    setFailed(null);
    entry.load().then(
      (component) => setModules((m) => ({ ...m, [id]: component })),
      () => setFailed(id),
    );
  }, []);

  useEffect(() => {
    if (tab !== 'me' && !modules[tab]) loadTab(tab);
  }, [tab, modules, loadTab]);

  if (session.kind === 'loading') return <p role="status">{t.loading}</p>;
  if (session.kind === 'error') return <Alert message={session.message} />;

  const { me, brand } = session;
  const ctx: ConsoleContext = { lang, me, levels: brand.levels, refreshCounts };
  const Current = tab === 'me' ? MeTab : modules[tab];

  return (
    <>
      <section class="card cx-head" aria-labelledby="cx-name">
        <div class="row">
          <h2 id="cx-name">{me.name}</h2>
          <span class={`badge ${tone(me.status)}`}>{agentStatus[lang][me.status]}</span>
        </div>
        <p class="muted cx-sub">
          {me.levelName} · {me.region}
        </p>
        {me.status === 'suspended' ? (
          <p class="alert" role="alert">
            {t.suspended(me.statusReason)}
          </p>
        ) : null}
      </section>
      <nav id="cx-nav" class="cx-nav" aria-label={t.nav}>
        {tabs.map((x) => (
          <span class="cx-tab" key={x.id}>
            <a
              href={`#${x.id}`}
              aria-current={tab === x.id ? 'page' : undefined}
              aria-describedby={counts[x.id] ? `cx-todo-${x.id}` : undefined}
            >
              {x[lang]}
            </a>
            {counts[x.id] ? (
              <>
                <span class="cx-count" aria-hidden="true">
                  {counts[x.id]}
                </span>
                <span hidden id={`cx-todo-${x.id}`}>
                  {t.todo(counts[x.id] ?? '')}
                </span>
              </>
            ) : null}
          </span>
        ))}
      </nav>
      <div class="cx-panel">
        {Current ? (
          <Current key={tab} ctx={ctx} />
        ) : failed === tab ? (
          <>
            <Alert message={t.tabFailed} />
            {/* A reload also picks up a new deploy, whose chunks have other names than the ones this page knows. */}
            <button class="btn secondary" type="button" onClick={() => location.reload()}>
              {t.retry}
            </button>
          </>
        ) : (
          <p role="status">{t.loading}</p>
        )}
      </div>
    </>
  );
}
