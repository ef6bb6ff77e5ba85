import { useEffect, useState } from 'preact/hooks';
import { Alert, SelectField, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { type FormErrors, focusFirst, noErrors, placeError } from '../../lib/formErrors';
import { queryParam, useFormValues, useHydrated, useLang } from '../../lib/hooks';
import { PHONE_MAX_TYPED, phoneDigits } from '../../lib/phone';
import {
  type ApplicationStatus,
  applicationPageUrl,
  type Invite,
  type Level,
  type PublicBrand,
  rememberApplication,
} from './types';

const fields = ['name', 'phone', 'wechat', 'region', 'level', 'password'] as const;
type Field = (typeof fields)[number];
type Values = Record<Field, string>;
const prefix = 'apply-';

const text = {
  zh: {
    loading: '加载中…',
    invited: (name: string, level: string) => `${name}（${level}）邀请您加入`,
    direct: (brand: string) => `申请成为「${brand}」的代理，由品牌方审核。`,
    withoutInvite: '不使用邀请链接，直接向品牌方申请',
    labels: {
      name: '姓名',
      phone: '手机号',
      wechat: '微信号',
      region: '所在地区',
      level: '申请等级',
      password: '密码',
    },
    hints: {
      wechat: '6–20 位，以字母开头',
      region: '如：浙江省杭州市',
      password: '至少 8 位；审核通过后用手机号和此密码登录',
    } as Partial<Record<Field, string>>,
    choose: '请选择',
    required: '此项必填',
    phone: '请输入 11 位手机号',
    wechat: '微信号为 6–20 位',
    password: '密码至少 8 位',
    submit: '提交申请',
    busy: '提交中…',
  },
  en: {
    loading: 'Loading…',
    invited: (name: string, level: string) => `${name} (${level}) invites you to join`,
    direct: (brand: string) => `Apply to become an agent of ${brand}; the brand reviews your application.`,
    withoutInvite: 'Apply to the brand directly, without the invite',
    labels: {
      name: 'Name',
      phone: 'Mobile phone',
      wechat: 'WeChat ID',
      region: 'Region',
      level: 'Level applied for',
      password: 'Password',
    },
    hints: {
      wechat: '6–20 characters, starting with a letter',
      region: 'e.g. 浙江省杭州市',
      password: 'At least 8 characters; sign in with your phone and this password once approved',
    } as Partial<Record<Field, string>>,
    choose: 'Choose',
    required: 'Required',
    phone: 'Enter an 11-digit mobile number',
    wechat: 'A WeChat ID has 6–20 characters',
    password: 'At least 8 characters',
    submit: 'Submit application',
    busy: 'Submitting…',
  },
};

type Source =
  | { kind: 'loading' }
  | { kind: 'invite'; invite: Invite }
  | { kind: 'brand'; brand: PublicBrand }
  | { kind: 'error'; message: string; invite: boolean };

/** Light checks only (required, lengths); the server is the authority and its errors land on the same fields. */
function check(v: Values, t: (typeof text)['zh']): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  for (const f of fields) if (!v[f].trim()) errors[f] = t.required;
  if (!errors.phone && !/^\d{11}$/.test(phoneDigits(v.phone))) errors.phone = t.phone;
  const wechat = v.wechat.trim().length;
  if (!errors.wechat && (wechat < 6 || wechat > 20)) errors.wechat = t.wechat;
  if (!errors.password && v.password.length < 8) errors.password = t.password;
  return errors;
}

/** 申请代理: with ?code= the inviting agent recruits (and placement picks the approver); without, the brand does. */
export function ApplyForm() {
  const lang = useLang();
  const ready = useHydrated();
  const t = text[lang];
  const [source, setSource] = useState<Source>({ kind: 'loading' });
  const [values, setValues] = useFormValues<Field>(prefix, {
    name: '',
    phone: '',
    wechat: '',
    region: '',
    level: '',
    password: '',
  });
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const code = queryParam('code')?.trim();
    if (code) {
      api<Invite>(`/invites/${encodeURIComponent(code)}`).then((res) =>
        setSource(
          res.ok ? { kind: 'invite', invite: res.data } : { kind: 'error', message: res.error.message, invite: true },
        ),
      );
    } else {
      api<PublicBrand>('/brand').then((res) =>
        setSource(
          res.ok ? { kind: 'brand', brand: res.data } : { kind: 'error', message: res.error.message, invite: false },
        ),
      );
    }
  }, []);

  if (source.kind === 'error' && source.invite) {
    return (
      <>
        <Alert message={source.message} />
        <a class="btn secondary" href="/join">
          {t.withoutInvite}
        </a>
      </>
    );
  }

  const levels: Level[] =
    source.kind === 'invite' ? source.invite.levels : source.kind === 'brand' ? source.brand.levels : [];

  const set = (field: Field) => (event: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.currentTarget.value }));

  async function submit(event: Event) {
    event.preventDefault();
    const found = check(values, t);
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, top: null });
      focusFirst(fields, found, prefix);
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    const res = await api<ApplicationStatus>('/applications', {
      method: 'POST',
      body: {
        ...(source.kind === 'invite' ? { inviteCode: source.invite.code } : {}),
        name: values.name.trim(),
        phone: phoneDigits(values.phone),
        wechat: values.wechat.trim(),
        region: values.region.trim(),
        level: Number(values.level),
        password: values.password,
      },
    });
    if (res.ok) {
      rememberApplication(res.data.id);
      location.assign(applicationPageUrl(res.data.id));
      return;
    }
    setBusy(false);
    setErrors(placeError(res.error, fields, prefix));
  }

  const field = (f: Field) => ({
    id: `${prefix}${f}`,
    label: t.labels[f],
    hint: t.hints[f],
    error: errors.fields[f],
    value: values[f],
    onInput: set(f),
    required: true,
  });

  return (
    <form onSubmit={submit} noValidate aria-busy={busy}>
      {source.kind === 'loading' ? <p role="status">{t.loading}</p> : null}
      {source.kind === 'invite' ? (
        <p class="lead">
          <strong>{t.invited(source.invite.agent.name, source.invite.agent.levelName)}</strong>
        </p>
      ) : null}
      {source.kind === 'brand' ? <p class="lead">{t.direct(source.brand.name)}</p> : null}
      <Alert message={source.kind === 'error' ? source.message : errors.top} />
      <div class="card">
        <TextField {...field('name')} autocomplete="name" maxLength={40} />
        <TextField
          {...field('phone')}
          type="tel"
          inputMode="numeric"
          autocomplete="tel-national"
          maxLength={PHONE_MAX_TYPED}
        />
        <TextField {...field('wechat')} autocomplete="off" autocapitalize="none" spellcheck={false} maxLength={20} />
        <TextField {...field('region')} maxLength={60} />
        <SelectField {...field('level')} onChange={set('level')} disabled={levels.length === 0}>
          <option value="">{source.kind === 'loading' ? t.loading : t.choose}</option>
          {levels.map((l) => (
            <option key={l.rank} value={String(l.rank)}>
              {l.name}
            </option>
          ))}
        </SelectField>
        <TextField {...field('password')} type="password" autocomplete="new-password" minLength={8} maxLength={64} />
        <button class="btn" type="submit" disabled={!ready || busy || levels.length === 0}>
          {busy ? t.busy : t.submit}
        </button>
      </div>
    </form>
  );
}
