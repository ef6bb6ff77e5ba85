import { useEffect, useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { type FormErrors, focusFirst, noErrors, placeError } from '../../lib/formErrors';
import { queryParam, useFormValues, useHydrated, useLang } from '../../lib/hooks';
import { PHONE_MAX_TYPED, phoneDigits } from '../../lib/phone';
import { safeNext } from '../../lib/redirect';
import { SmsCodeField } from '../auth/SmsCodeField';
import { forField } from '../checkout/orders';
import { isShopCode, knownShop, refCode, shopUrl } from './types';

const fields = ['phone', 'smsCode', 'name', 'password'] as const;
type Field = (typeof fields)[number];
const prefix = 'signup-';

const text = {
  zh: {
    via: (name: string) => `通过 ${name} 的小店注册，注册后由 ${name} 为您服务。`,
    labels: { phone: '手机号', smsCode: '短信验证码', name: '姓名', password: '密码' } as Record<Field, string>,
    hints: { password: '至少 8 位' } as Partial<Record<Field, string>>,
    required: '此项必填',
    phone: '请输入 11 位手机号',
    smsCode: '请输入 6 位短信验证码',
    password: '密码至少 8 位',
    submit: '注册',
    busy: '注册中…',
    done: '注册成功',
    bound: (name: string) => `已绑定 ${name}`,
    boundLead: '以后的订单由您的专属顾问服务。',
    unbound: '您还没有专属顾问：通过代理分享的小店链接下单即可。',
    continue: '继续',
    shop: '返回小店',
    orders: '我的订单',
    haveAccount: '已有账号？',
    signIn: '登录',
  },
  en: {
    via: (name: string) => `Signing up through ${name}'s shop; ${name} will serve you.`,
    labels: { phone: 'Mobile phone', smsCode: 'Code', name: 'Name', password: 'Password' } as Record<Field, string>,
    hints: { password: 'At least 8 characters' } as Partial<Record<Field, string>>,
    required: 'Required',
    phone: 'Enter an 11-digit mobile number',
    smsCode: 'Enter the 6-digit code from the text message',
    password: 'At least 8 characters',
    submit: 'Sign up',
    busy: 'Signing up…',
    done: 'You are signed up',
    bound: (name: string) => `Bound to ${name}`,
    boundLead: 'Your own adviser serves your orders from now on.',
    unbound: 'You have no adviser yet: order through an agent’s shop link.',
    continue: 'Continue',
    shop: 'Back to the shop',
    orders: 'My orders',
    haveAccount: 'Have an account?',
    signIn: 'Sign in',
  },
};

interface Signed {
  name: string;
  boundAgent: { code: string; name: string } | null;
}

/** /signup: a consumer becomes a member, bound (锁粉) to the agent whose link it came through (?ref= or the cookie). */
export function SignupForm() {
  const lang = useLang();
  const ready = useHydrated();
  const t = text[lang];
  const [ref, setRef] = useState<string | null>(null);
  const [values, setValues] = useFormValues<Field>(prefix, { phone: '', smsCode: '', name: '', password: '' });
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [busy, setBusy] = useState(false);
  const [signed, setSigned] = useState<Signed | null>(null);

  useEffect(() => {
    const fromQuery = queryParam('ref');
    setRef(isShopCode(fromQuery) ? fromQuery : refCode());
  }, []);

  const via = knownShop(ref);
  const next = typeof location === 'undefined' ? null : safeNext(queryParam('next'));

  if (signed) {
    return (
      <div class="card stack" role="status">
        <h2>{t.done}</h2>
        {signed.boundAgent ? (
          <>
            <p class="notice">
              <strong>{t.bound(signed.boundAgent.name)}</strong>
            </p>
            <p>{t.boundLead}</p>
          </>
        ) : (
          <p>{t.unbound}</p>
        )}
        {next ? (
          <a class="btn" href={next}>
            {t.continue}
          </a>
        ) : null}
        {signed.boundAgent ? (
          <a class={next ? 'btn secondary' : 'btn'} href={shopUrl(signed.boundAgent.code)}>
            {t.shop}
          </a>
        ) : null}
        <a class="btn secondary" href="/orders">
          {t.orders}
        </a>
      </div>
    );
  }

  async function submit(event: Event) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    for (const f of fields) if (!values[f].trim()) found[f] = t.required;
    if (!found.phone && !/^1[3-9]\d{9}$/.test(phoneDigits(values.phone))) found.phone = t.phone;
    if (!found.smsCode && !/^\d{6}$/.test(values.smsCode)) found.smsCode = t.smsCode;
    if (!found.password && values.password.length < 8) found.password = t.password;
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, top: null });
      focusFirst(fields, found, prefix);
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    const res = await api<Signed>('/members', {
      method: 'POST',
      body: {
        phone: phoneDigits(values.phone),
        name: values.name.trim(),
        password: values.password,
        smsCode: values.smsCode,
        ...(ref ? { ref } : {}),
      },
    });
    setBusy(false);
    if (res.ok) setSigned(res.data);
    else setErrors(placeError(forField(res.error), fields, prefix));
  }

  const field = (f: Field) => ({
    id: `${prefix}${f}`,
    label: t.labels[f],
    hint: t.hints[f],
    error: errors.fields[f],
    value: values[f],
    onInput: (e: { currentTarget: { value: string } }) => setValues((v) => ({ ...v, [f]: e.currentTarget.value })),
    required: true,
  });

  return (
    <form onSubmit={submit} noValidate aria-busy={busy}>
      {via ? <p class="notice">{t.via(via.name)}</p> : null}
      <Alert message={errors.top} />
      <div class="card">
        <TextField
          {...field('phone')}
          type="tel"
          inputMode="numeric"
          autocomplete="tel-national"
          maxLength={PHONE_MAX_TYPED}
        />
        <SmsCodeField
          id={`${prefix}smsCode`}
          phone={values.phone}
          purpose="signup"
          value={values.smsCode}
          error={errors.fields.smsCode}
          onInput={(smsCode) => setValues((v) => ({ ...v, smsCode }))}
        />
        <TextField {...field('name')} autocomplete="name" maxLength={40} />
        <TextField {...field('password')} type="password" autocomplete="new-password" maxLength={64} />
        <button class="btn" type="submit" disabled={!ready || busy}>
          {busy ? t.busy : t.submit}
        </button>
      </div>
      <p class="muted">
        {t.haveAccount} <a href={`/login?role=member${next ? `&next=${encodeURIComponent(next)}` : ''}`}>{t.signIn}</a>
      </p>
    </form>
  );
}
