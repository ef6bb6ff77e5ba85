import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { api } from '../../lib/api';
import { useLang } from '../../lib/hooks';
import { homeFor, loginUrl, type Me, type Role } from './roles';

const text = {
  zh: {
    loading: '加载中…',
    hello: (name: string) => `你好，${name}`,
    roles: { agent: '代理', member: '会员', admin: '品牌方' } as Record<Role, string>,
    soon: '控制台正在建设中。',
    logout: '退出登录',
    busy: '正在退出…',
  },
  en: {
    loading: 'Loading…',
    hello: (name: string) => `Hello, ${name}`,
    roles: { agent: 'Agent', member: 'Member', admin: 'Brand' } as Record<Role, string>,
    soon: 'The console is on its way.',
    logout: 'Sign out',
    busy: 'Signing out…',
  },
};

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; me: Me };

/** The signed-in greeting of a console page; sends the reader to /login without a session, or home for another role. */
export function SessionGreeting({ expected }: { expected: Role }) {
  const lang = useLang();
  const t = text[lang];
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Me>('/auth/me').then((res) => {
      if (res.ok && res.data.role === expected) setState({ kind: 'ready', me: res.data });
      else if (res.ok) location.replace(homeFor(res.data.role));
      else if (res.status === 401) location.replace(loginUrl(expected, location.pathname));
      else setState({ kind: 'error', message: res.error.message });
    });
  }, [expected]);

  async function logout() {
    setBusy(true);
    const res = await api<{ ok: true }>('/auth/logout', { method: 'POST' });
    if (res.ok) {
      location.replace(`/login?role=${expected}`);
      return;
    }
    setBusy(false);
    setState({ kind: 'error', message: res.error.message });
  }

  if (state.kind === 'loading') return <p role="status">{t.loading}</p>;
  if (state.kind === 'error') return <Alert message={state.message} />;
  return (
    <section class="card" aria-labelledby="hello">
      <h2 id="hello">{t.hello(state.me.name)}</h2>
      <p class="muted">
        {t.roles[state.me.role]} · {t.soon}
      </p>
      <button class="btn secondary" type="button" onClick={logout} disabled={busy}>
        {busy ? t.busy : t.logout}
      </button>
    </section>
  );
}
