import type { FunctionComponent } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { api } from '../../lib/api';
import { useLang } from '../../lib/hooks';
import { homeFor, loginUrl, type Me } from '../auth/roles';
import type { ConsoleContext, TabId } from './context';
import { COUNTS_POLL_MS, type Counts, loadCounts } from './counts';
import { agentStatus, tone } from './labels';
import { MeTab } from './MeTab';
import { type Tab, TabBar } from './TabBar';
import type { AgentDetail, PublicBrand } from './types';
import './console.css';

type TabModule = FunctionComponent<{ ctx: ConsoleContext }>;

// 我的 opens first and ships with the shell; every other tab is its own chunk, fetched when it is first opened.
const load = {
  review: () => import('./ReviewTab').then((m) => m.ReviewTab),
  team: () => import('./TeamTab').then((m) => m.TeamTab),
  board: () => import('./BoardTab').then((m) => m.BoardTab),
  progress: () => import('./ProgressTab').then((m) => m.ProgressTab),
  customers: () => import('./CustomersTab').then((m) => m.CustomersTab),
  stock: () => import('./StockTab').then((m) => m.StockTab),
  orders: () => import('./OrdersTab').then((m) => m.OrdersTab),
  earnings: () => import('./EarningsTab').then((m) => m.EarningsTab),
  share: () => import('./ShareTab').then((m) => m.ShareTab),
  notices: () => import('./NoticesTab').then((m) => m.NoticesTab),
  account: () => import('./AccountTab').then((m) => m.AccountTab),
} satisfies Partial<Record<TabId, () => Promise<TabModule>>>;

// What an agent does all day is on the bar; the rest is under 更多.
const primary: Tab[] = [
  { id: 'me', zh: '我的', en: 'Me' },
  { id: 'orders', zh: '订单', en: 'Orders' },
  { id: 'customers', zh: '客户', en: 'Clients' },
  { id: 'team', zh: '团队', en: 'Team' },
];
const more: Tab[] = [
  { id: 'review', zh: '审核', en: 'Review' },
  { id: 'stock', zh: '进货', en: 'Stock' },
  { id: 'earnings', zh: '收益', en: 'Earnings' },
  { id: 'board', zh: '排行', en: 'PK' },
  { id: 'progress', zh: '成长', en: 'Growth' },
  { id: 'share', zh: '分享', en: 'Share' },
  { id: 'notices', zh: '通知', en: 'Notices' },
  { id: 'account', zh: '账户', en: 'Account' },
];
const tabs = [...primary, ...more];

const text = {
  zh: {
    loading: '加载中…',
    suspended: (reason: string | null) =>
      `您已被停货${reason ? `，原因：${reason}` : ''}。停货期间不能进货，店铺暂停营业，也不产生收益；如有疑问请联系上级或品牌方。`,
    tabFailed: '页面加载失败，请检查网络后重试',
    retry: '重试',
  },
  en: {
    loading: 'Loading…',
    suspended: (reason: string | null) =>
      `Your supply is stopped${reason ? `: ${reason}` : ''}. You cannot restock, your shop is closed and you earn nothing until it is resumed.`,
    tabFailed: 'This section failed to load; check your connection and try again',
    retry: 'Retry',
  },
};

type Session =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; me: AgentDetail; brand: PublicBrand };

function tabFromHash(): TabId {
  const id = location.hash.slice(1);
  return tabs.some((t) => t.id === id) ? (id as TabId) : 'me';
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
      // A new section starts at its top, not where the last one was scrolled to.
      const panel = document.querySelector('.cx-panel');
      if (panel && panel.getBoundingClientRect().top < 0) panel.scrollIntoView();
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
  const agentId = session.kind === 'ready' ? session.me.id : '';
  const refreshCounts = useCallback(() => {
    const mine = ++countsSeq.current;
    if (!agentId) return;
    loadCounts(agentId).then((next) => {
      if (next && mine === countsSeq.current) setCounts(next);
    });
  }, [agentId]);

  useEffect(() => {
    if (session.kind !== 'ready') return;
    refreshCounts();
    // What others did meanwhile (an approval on another device, a fine from the brand): read again when the page
    // comes back into view, and every minute while it stays in view; a hidden page reads nothing.
    let last = Date.now();
    const again = () => {
      if (document.visibilityState !== 'visible' || Date.now() - last < 1_000) return;
      last = Date.now();
      refreshCounts();
    };
    const poll = setInterval(() => {
      if (Date.now() - last >= COUNTS_POLL_MS) again();
    }, COUNTS_POLL_MS / 4);
    addEventListener('focus', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      clearInterval(poll);
      removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, [session.kind, refreshCounts]);

  const loadTab = useCallback((id: TabId) => {
    if (id === 'me') return;
    setFailed(null);
    load[id]().then(
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
  const ctx: ConsoleContext = {
    lang,
    me,
    levels: brand.levels,
    brandName: brand.name,
    stockModel: brand.stockModel ?? 'direct',
    payoutKinds: brand.payoutKinds ?? ['wechat', 'alipay', 'bank'],
    refreshCounts,
  };
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
      <TabBar primary={primary} more={more} current={tab} counts={counts} lang={lang} />
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
