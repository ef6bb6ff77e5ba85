import { useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { PayQrEditor } from '../../components/PayQrEditor';
import { api } from '../../lib/api';
import { type FormErrors, focusFirst, noErrors, placeError } from '../../lib/formErrors';
import type { ConsoleContext } from './context';
import { call } from './http';

const fields = ['currentPassword', 'newPassword', 'confirm'] as const;
type Field = (typeof fields)[number];
const prefix = 'cx-pw-';

const text = {
  zh: {
    password: '修改密码',
    current: '当前密码',
    next: '新密码',
    nextHint: '至少 8 位；修改后其他设备上的登录会失效',
    confirm: '确认新密码',
    required: '此项必填',
    short: '密码至少 8 位，最多 64 位',
    mismatch: '两次输入的新密码不一致',
    busy: '提交中…',
    changed: '密码已修改，其他设备已退出登录。',
    account: '账号',
    phone: '登录手机号',
    wechat: '微信号',
    logout: '退出登录',
    leaving: '正在退出…',
  },
  en: {
    password: 'Change password',
    current: 'Current password',
    next: 'New password',
    nextHint: 'At least 8 characters; other devices are signed out',
    confirm: 'Repeat the new password',
    required: 'Required',
    short: 'A password has 8 to 64 characters',
    mismatch: 'The new passwords differ',
    busy: 'Saving…',
    changed: 'Password changed; other devices are signed out.',
    account: 'Account',
    phone: 'Sign-in phone',
    wechat: 'WeChat ID',
    logout: 'Sign out',
    leaving: 'Signing out…',
  },
};

function PasswordForm({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '', confirm: '' });
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!values.currentPassword) found.currentPassword = t.required;
    if (values.newPassword.length < 8 || values.newPassword.length > 64) found.newPassword = t.short;
    if (values.confirm !== values.newPassword) found.confirm = t.mismatch;
    setDone(false);
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, top: null });
      focusFirst(fields, found, prefix);
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    const res = await api<{ ok: true }>('/auth/password', {
      method: 'POST',
      body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
    });
    setBusy(false);
    if (res.ok) {
      setValues({ currentPassword: '', newPassword: '', confirm: '' });
      setDone(true);
    } else setErrors(placeError(res.error, fields, prefix));
  }

  const set = (field: Field) => (event: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.currentTarget.value }));

  return (
    <form class="card" aria-labelledby="cx-password" onSubmit={submit} noValidate aria-busy={busy}>
      <h2 id="cx-password">{t.password}</h2>
      {/* Lets password managers pair the new password with the account. */}
      <input
        type="text"
        class="visually-hidden"
        autocomplete="username"
        value={ctx.me.phone}
        readOnly
        tabIndex={-1}
        aria-hidden="true"
      />
      <Alert message={errors.top} />
      <TextField
        id={`${prefix}currentPassword`}
        label={t.current}
        type="password"
        autocomplete="current-password"
        maxLength={64}
        value={values.currentPassword}
        error={errors.fields.currentPassword}
        onInput={set('currentPassword')}
      />
      <TextField
        id={`${prefix}newPassword`}
        label={t.next}
        hint={t.nextHint}
        type="password"
        autocomplete="new-password"
        maxLength={64}
        value={values.newPassword}
        error={errors.fields.newPassword}
        onInput={set('newPassword')}
      />
      <TextField
        id={`${prefix}confirm`}
        label={t.confirm}
        type="password"
        autocomplete="new-password"
        maxLength={64}
        value={values.confirm}
        error={errors.fields.confirm}
        onInput={set('confirm')}
      />
      <p class="cx-ok" role="status">
        {done ? t.changed : null}
      </p>
      <button class="btn" type="submit" disabled={busy}>
        {busy ? t.busy : t.password}
      </button>
    </form>
  );
}

/** 账户: the sign-in details, a password change, and signing out. */
export function AccountTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function logout() {
    setLeaving(true);
    const res = await api<{ ok: true }>('/auth/logout', { method: 'POST' });
    if (res.ok) {
      location.replace('/login?role=agent');
      return;
    }
    setLeaving(false);
    setError(res.error.message);
  }

  return (
    <>
      <section class="card" aria-labelledby="cx-account-title">
        <h2 id="cx-account-title">{t.account}</h2>
        <dl class="facts">
          <dt>{t.phone}</dt>
          <dd>{ctx.me.phone}</dd>
          <dt>{t.wechat}</dt>
          <dd>{ctx.me.wechat}</dd>
        </dl>
      </section>
      <PayQrEditor call={call} base="/agents/me" lang={ctx.lang} idPrefix="cx-" />
      <PasswordForm ctx={ctx} />
      <Alert message={error} />
      <button class="btn secondary" type="button" onClick={logout} disabled={leaving}>
        {leaving ? t.leaving : t.logout}
      </button>
    </>
  );
}
