import { useState } from 'preact/hooks';
import { Alert, Segmented, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { type FormErrors, focusFirst, noErrors, placeError } from '../../lib/formErrors';
import { useFormValues, useHydrated, useLang, useTypedChoice } from '../../lib/hooks';
import { PHONE_MAX_TYPED, phoneDigits } from '../../lib/phone';
import { forField } from '../checkout/orders';
import { SmsCodeField } from './SmsCodeField';

const fields = ['phone', 'smsCode', 'newPassword'] as const;
type Field = (typeof fields)[number];
const prefix = 'reset-';
const resetRoles = ['member', 'agent'] as const;
type ResetRole = (typeof resetRoles)[number];

const text = {
  zh: {
    as: '账号类型',
    roles: { member: '会员', agent: '代理' } as Record<ResetRole, string>,
    phone: '手机号',
    newPassword: '新密码',
    hint: '至少 8 位',
    required: '此项必填',
    phoneError: '请输入 11 位手机号',
    codeError: '请输入 6 位短信验证码',
    passwordError: '密码至少 8 位',
    submit: '重置密码',
    busy: '提交中…',
    done: '密码已重置',
    doneLead: '该账号在所有设备上的登录已退出，请用新密码登录。',
    signIn: '去登录',
  },
  en: {
    as: 'Account',
    roles: { member: 'Member', agent: 'Agent' } as Record<ResetRole, string>,
    phone: 'Mobile phone',
    newPassword: 'New password',
    hint: 'At least 8 characters',
    required: 'Required',
    phoneError: 'Enter an 11-digit mobile number',
    codeError: 'Enter the 6-digit code from the text message',
    passwordError: 'At least 8 characters',
    submit: 'Reset password',
    busy: 'Submitting…',
    done: 'Password reset',
    doneLead: 'The account is signed out everywhere; sign in with the new password.',
    signIn: 'Sign in',
  },
};

/** /reset (忘记密码): a member or agent proves its phone with a text message code and sets a new password. */
export function ResetForm() {
  const lang = useLang();
  const ready = useHydrated();
  const t = text[lang];
  const [role, setRole] = useTypedChoice<ResetRole>('reset-role', 'member', resetRoles);
  const [values, setValues] = useFormValues<Field>(prefix, { phone: '', smsCode: '', newPassword: '' });
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  if (done) {
    return (
      <div class="card stack" role="status">
        <h2>{t.done}</h2>
        <p>{t.doneLead}</p>
        <a class="btn" href={`/login?role=${role}`}>
          {t.signIn}
        </a>
      </div>
    );
  }

  async function submit(event: Event) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!/^1[3-9]\d{9}$/.test(phoneDigits(values.phone))) found.phone = values.phone.trim() ? t.phoneError : t.required;
    if (!/^\d{6}$/.test(values.smsCode)) found.smsCode = t.codeError;
    if (values.newPassword.length < 8) found.newPassword = t.passwordError;
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, top: null });
      focusFirst(fields, found, prefix);
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    const res = await api<{ ok: true }>('/auth/reset', {
      method: 'POST',
      body: { role, phone: phoneDigits(values.phone), smsCode: values.smsCode, newPassword: values.newPassword },
    });
    setBusy(false);
    if (res.ok) setDone(true);
    else setErrors(placeError(forField(res.error), fields, prefix));
  }

  return (
    <form class="card" onSubmit={submit} noValidate aria-busy={busy}>
      <Segmented
        name="reset-role"
        legend={t.as}
        value={role}
        onChange={setRole}
        options={resetRoles.map((r) => ({ value: r, label: t.roles[r] }))}
      />
      <Alert message={errors.top} />
      <TextField
        id={`${prefix}phone`}
        label={t.phone}
        error={errors.fields.phone}
        value={values.phone}
        onInput={(e) => setValues((v) => ({ ...v, phone: e.currentTarget.value }))}
        required
        type="tel"
        inputMode="numeric"
        autocomplete="tel-national"
        maxLength={PHONE_MAX_TYPED}
      />
      <SmsCodeField
        id={`${prefix}smsCode`}
        phone={values.phone}
        purpose="reset"
        value={values.smsCode}
        error={errors.fields.smsCode}
        onInput={(smsCode) => setValues((v) => ({ ...v, smsCode }))}
      />
      <TextField
        id={`${prefix}newPassword`}
        label={t.newPassword}
        hint={t.hint}
        error={errors.fields.newPassword}
        value={values.newPassword}
        onInput={(e) => setValues((v) => ({ ...v, newPassword: e.currentTarget.value }))}
        required
        type="password"
        autocomplete="new-password"
        maxLength={64}
      />
      <button class="btn" type="submit" disabled={!ready || busy}>
        {busy ? t.busy : t.submit}
      </button>
    </form>
  );
}
