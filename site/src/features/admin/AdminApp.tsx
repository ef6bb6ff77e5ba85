import type { FunctionComponent } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import type { ApiResult } from '../../lib/api';
import { useLang } from '../../lib/hooks';
import { homeFor, loginUrl, type Me } from '../auth/roles';
import { type AdminContext, parseRoute, type Route, type SectionId } from './context';
import { call } from './http';
import { OverviewSection } from './OverviewSection';
import { SetupStep } from './SetupStep';
import type { ApplicationView, OrderSummary, Page, Settings, Withdrawal } from './types';
import './admin.css';

type SectionModule = FunctionComponent<{ ctx: AdminContext }>;

// 概览 opens first and ships with the shell; every other section is its own chunk, fetched when first opened.
const sections: { id: SectionId; zh: string; en: string; load?: () => Promise<SectionModule> }[] = [
  { id: 'overview', zh: '概览', en: 'Overview' },
  {
    id: 'dashboard',
    zh: '数据看板',
    en: 'Dashboard',
    load: () => import('./dashboard/DashboardSection').then((m) => m.DashboardSection),
  },
  {
    id: 'applications',
    zh: '申请',
    en: 'Applications',
    load: () => import('./ApplicationsSection').then((m) => m.ApplicationsSection),
  },
  { id: 'agents', zh: '代理', en: 'Agents', load: () => import('./AgentsSection').then((m) => m.AgentsSection) },
  { id: 'orders', zh: '订单', en: 'Orders', load: () => import('./OrdersSection').then((m) => m.OrdersSection) },
  {
    id: 'withdrawals',
    zh: '提现',
    en: 'Withdrawals',
    load: () => import('./WithdrawalsSection').then((m) => m.WithdrawalsSection),
  },
  {
    id: 'reconciliation',
    zh: '对账',
    en: 'Reconciliation',
    load: () => import('./ReconciliationSection').then((m) => m.ReconciliationSection),
  },
  { id: 'codes', zh: '防伪码', en: 'Codes', load: () => import('./CodesSection').then((m) => m.CodesSection) },
  {
    id: 'inspections',
    zh: '稽查',
    en: 'Policing',
    load: () => import('./InspectionsSection').then((m) => m.InspectionsSection),
  },
  {
    id: 'products',
    zh: '商品',
    en: 'Products',
    load: () => import('./ProductsSection').then((m) => m.ProductsSection),
  },
  {
    id: 'materials',
    zh: '素材库',
    en: 'Materials',
    load: () => import('./MaterialsSection').then((m) => m.MaterialsSection),
  },
  { id: 'stock', zh: '仓库', en: 'Warehouse', load: () => import('./StockSection').then((m) => m.StockSection) },
  {
    id: 'settings',
    zh: '设置',
    en: 'Settings',
    load: () => import('./SettingsSection').then((m) => m.SettingsSection),
  },
];

const text = {
  zh: {
    loading: '加载中…',
    console: '品牌后台',
    nav: '后台栏目',
    todo: (n: string) => `${n} 项待处理`,
    failed: '栏目加载失败，请检查网络后重试',
    retry: '重试',
    logout: '退出登录',
    loggingOut: '正在退出…',
  },
  en: {
    loading: 'Loading…',
    console: 'Brand console',
    nav: 'Console sections',
    todo: (n: string) => `${n} to do`,
    failed: 'This section failed to load; check your connection and try again',
    retry: 'Retry',
    logout: 'Sign out',
    loggingOut: 'Signing out…',
  },
};

type Session = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; settings: Settings };
type Counts = Partial<Record<SectionId, string>>;

// A page of up to 20 is enough to say "3" or "20+" beside a section without counting the whole table.
function countOf<T>(res: ApiResult<Page<T>>): string | undefined {
  if (!res.ok || res.data.items.length === 0) return undefined;
  return `${res.data.items.length}${res.data.nextCursor ? '+' : ''}`;
}

async function loadCounts(): Promise<Counts> {
  const [apps, toShip, withdrawals, cases] = await Promise.all([
    call<Page<ApplicationView>>('/applications', { query: { status: 'pending', limit: 20 } }),
    call<Page<OrderSummary>>('/orders', { query: { status: 'paid', limit: 20 } }),
    call<Page<Withdrawal>>('/withdrawals', { query: { status: 'requested', limit: 20 } }),
    call<Page<unknown>>('/brand/inspections', { query: { status: 'open', limit: 20 } }),
  ]);
  return {
    applications: countOf(apps),
    orders: countOf(toShip),
    withdrawals: countOf(withdrawals),
    inspections: countOf(cases),
  };
}

/** 品牌后台: checks the session (401 → /login), then a sidebar of sections, each loaded when first opened. */
export function AdminApp() {
  const lang = useLang();
  const t = text[lang];
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  const [route, setRoute] = useState<Route>(() => parseRoute(''));
  const [counts, setCounts] = useState<Counts>({});
  const [modules, setModules] = useState<Partial<Record<SectionId, SectionModule>>>({});
  const [failed, setFailed] = useState<SectionId | null>(null);
  const [leaving, setLeaving] = useState(false);
  const [logoutError, setLogoutError] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setRoute(parseRoute(location.hash));
    const onHash = () => {
      setRoute(parseRoute(location.hash));
      // Moving to another section or record: start reading it from its top, as after a page load.
      const box = panel.current;
      if (box) {
        if (box.getBoundingClientRect().top < 0) box.scrollIntoView();
        box.focus({ preventScroll: true });
      }
    };
    addEventListener('hashchange', onHash);
    Promise.all([call<Me>('/auth/me'), call<Settings>('/brand/settings')]).then(([who, settings]) => {
      if (who.ok && who.data.role !== 'admin') location.replace(homeFor(who.data.role));
      else if (who.status === 401 || settings.status === 401)
        location.replace(loginUrl('admin', location.pathname + location.hash));
      else if (!settings.ok) setSession({ kind: 'error', message: settings.error.message });
      else setSession({ kind: 'ready', settings: settings.data });
    });
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const countsSeq = useRef(0);
  const refreshCounts = useCallback(() => {
    const mine = ++countsSeq.current;
    loadCounts().then((next) => {
      if (mine === countsSeq.current) setCounts(next);
    });
  }, []);

  const consoleReady = session.kind === 'ready' && !session.settings.setupNeeded;
  useEffect(() => {
    if (!consoleReady) return;
    refreshCounts();
    // Agents apply and withdraw while the console stays open: read the counts again when the page comes back into view.
    let last = Date.now();
    const again = () => {
      if (document.visibilityState !== 'visible' || Date.now() - last < 1_000) return;
      last = Date.now();
      refreshCounts();
    };
    addEventListener('focus', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, [consoleReady, refreshCounts]);

  const loadSection = useCallback((id: SectionId) => {
    const entry = sections.find((s) => s.id === id);
    if (!entry?.load) return;
    setFailed(null);
    entry.load().then(
      (component) => setModules((m) => ({ ...m, [id]: component })),
      () => setFailed(id),
    );
  }, []);

  useEffect(() => {
    if (route.section !== 'overview' && !modules[route.section]) loadSection(route.section);
  }, [route.section, modules, loadSection]);

  const setSettings = useCallback((settings: Settings) => setSession({ kind: 'ready', settings }), []);

  async function logout() {
    setLeaving(true);
    setLogoutError(null);
    const res = await call<{ ok: true }>('/auth/logout', { method: 'POST' });
    if (res.ok) {
      location.replace('/login?role=admin');
      return;
    }
    setLeaving(false);
    setLogoutError(res.error.message);
  }

  if (session.kind === 'loading') return <p role="status">{t.loading}</p>;
  if (session.kind === 'error') return <Alert message={session.message} />;
  // A fresh deployment has no brand yet: the first sign-in runs the setup step before the console.
  if (session.settings.setupNeeded) return <SetupStep lang={lang} onDone={setSettings} />;

  const ctx: AdminContext = { lang, settings: session.settings, setSettings, route, refreshCounts };
  const Current = route.section === 'overview' ? OverviewSection : modules[route.section];

  return (
    <div class="ad-shell">
      <aside class="ad-side">
        <p class="ad-brand">
          <strong>{session.settings.name}</strong>
          <span class="muted">{t.console}</span>
        </p>
        <nav class="ad-nav" aria-label={t.nav}>
          <ul>
            {sections.map((s) => (
              <li key={s.id}>
                <a
                  href={`#${s.id}`}
                  aria-current={route.section === s.id ? 'page' : undefined}
                  aria-describedby={counts[s.id] ? `ad-todo-${s.id}` : undefined}
                >
                  <span>{s[lang]}</span>
                  {counts[s.id] ? (
                    <span class="ad-badge" aria-hidden="true">
                      {counts[s.id]}
                    </span>
                  ) : null}
                </a>
                {counts[s.id] ? (
                  <span hidden id={`ad-todo-${s.id}`}>
                    {t.todo(counts[s.id] ?? '')}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </nav>
        <button class="ad-logout" type="button" onClick={logout} disabled={leaving}>
          {leaving ? t.loggingOut : t.logout}
        </button>
        <Alert message={logoutError} />
      </aside>
      <div class="ad-panel" ref={panel} tabIndex={-1}>
        {Current ? (
          <Current key={route.section} ctx={ctx} />
        ) : failed === route.section ? (
          <>
            <Alert message={t.failed} />
            <button class="btn secondary ad-btn" type="button" onClick={() => loadSection(route.section)}>
              {t.retry}
            </button>
          </>
        ) : (
          <p role="status">{t.loading}</p>
        )}
      </div>
    </div>
  );
}
