import { useEffect, useState } from 'preact/hooks';
import { Alert, Segmented, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { type FormErrors, focusFirst, noErrors, placeError } from '../../lib/formErrors';
import { queryParam, useFormValues, useHydrated, useLang, useTypedChoice } from '../../lib/hooks';
import { safeNext } from '../../lib/redirect';
import { homeFor, isRole, type Me, type Role, roles } from './roles';

const fields = ['account', 'password'] as const;
type Field = (typeof fields)[number];
const prefix = 'login-';

const text = {
  zh: {
    as: '登录身份',
    roles: { agent: '代理', member: '会员', admin: '品牌方' } as Record<Role, string>,
    phone: '手机号',
    username: '用户名',
    password: '密码',
    required: '此项必填',
    submit: '登录',
    busy: '登录中…',
    pending: '查看申请进度',
  },
  en: {
    as: 'Sign in as',
    roles: { agent: 'Agent', member: 'Member', admin: 'Brand' } as Record<Role, string>,
    phone: 'Mobile phone',
    username: 'Username',
    password: 'Password',
    required: 'Required',
    submit: 'Sign in',
    busy: 'Signing in…',
    pending: 'See the application’s progress',
  },
};

/** 登录: agents and members sign in with their phone, the brand with a username. */
export function LoginForm() {
  const lang = useLang();
  const ready = useHydrated();
  const t = text[lang];
  const [role, setRole] = useTypedChoice<Role>('role', 'agent', roles);
  const [values, setValues] = useFormValues<Field>(prefix, { account: '', password: '' });
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [pending, setPending] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const asked = queryParam('role');
    // A role the visitor picked before the page was ready wins over the link's.
    if (isRole(asked)) setRole((current) => (current === 'agent' ? asked : current));
  }, []);

  function choose(next: Role) {
    setRole(next);
    setErrors(noErrors);
    setPending(false);
  }

  async function submit(event: Event) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!values.account.trim()) found.account = t.required;
    if (!values.password) found.password = t.required;
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, top: null });
      focusFirst(fields, found, prefix);
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    setPending(false);
    const res = await api<Me>('/auth/login', {
      method: 'POST',
      body: { role, account: values.account.trim(), password: values.password },
    });
    if (res.ok) {
      location.assign(safeNext(queryParam('next')) ?? homeFor(res.data.role));
      return;
    }
    setBusy(false);
    setPending(res.error.code === 'APPLICATION_PENDING');
    setErrors(placeError(res.error, fields, prefix));
  }

  const set = (field: Field) => (event: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.currentTarget.value }));
  const byPhone = role !== 'admin';

  return (
    <form class="card" onSubmit={submit} noValidate aria-busy={busy}>
      <Segmented
        name="role"
        legend={t.as}
        value={role}
        onChange={choose}
        options={roles.map((r) => ({ value: r, label: t.roles[r] }))}
      />
      <Alert message={errors.top} />
      {pending ? (
        <p>
          <a href="/application">{t.pending}</a>
        </p>
      ) : null}
      <TextField
        id={`${prefix}account`}
        label={byPhone ? t.phone : t.username}
        error={errors.fields.account}
        value={values.account}
        onInput={set('account')}
        required
        autocomplete="username"
        autocapitalize="none"
        spellcheck={false}
        maxLength={byPhone ? 11 : 64}
        {...(byPhone ? { type: 'tel', inputMode: 'numeric' } : { type: 'text' })}
      />
      <TextField
        id={`${prefix}password`}
        label={t.password}
        error={errors.fields.password}
        value={values.password}
        onInput={set('password')}
        required
        type="password"
        autocomplete="current-password"
        maxLength={64}
      />
      <button class="btn" type="submit" disabled={!ready || busy}>
        {busy ? t.busy : t.submit}
      </button>
    </form>
  );
}
