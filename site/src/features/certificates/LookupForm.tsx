import type { InputHTMLAttributes } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Segmented, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { useHydrated, useLang, useTypedChoice, useTypedValue } from '../../lib/hooks';
import { PHONE_MAX_TYPED, phoneDigits } from '../../lib/phone';
import { CertificateCard } from './CertificateCard';
import type { LookupBy, PublicCertificate } from './types';

const text = {
  zh: {
    by: '查询方式',
    submit: '查询',
    busy: '查询中…',
    options: { number: '证书编号', wechat: '微信号', phone: '手机号' },
    tabs: { number: '证书编号', wechat: '微信号', phone: '手机号' },
    hints: { number: '以 AG 开头，见授权书底部', wechat: '请输入完整微信号', phone: '11 位手机号' },
    blank: (what: string) => `请输入${what}`,
  },
  en: {
    by: 'Look up by',
    submit: 'Check',
    busy: 'Checking…',
    options: { number: 'Certificate no.', wechat: 'WeChat ID', phone: 'Phone' },
    tabs: { number: 'Number', wechat: 'WeChat', phone: 'Phone' },
    hints: {
      number: 'Starts with AG; printed at the bottom of the certificate',
      wechat: 'The full WeChat ID',
      phone: '11-digit mobile number',
    },
    blank: (what: string) => `Enter the ${what.toLowerCase()}`,
  },
};

type InputKind = Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'inputMode' | 'autocapitalize' | 'maxLength' | 'placeholder'
>;

const inputProps: Record<LookupBy, InputKind> = {
  number: { autocapitalize: 'characters', maxLength: 40, placeholder: 'AG2025…' },
  wechat: { autocapitalize: 'none', maxLength: 20 },
  phone: { type: 'tel', inputMode: 'numeric', maxLength: PHONE_MAX_TYPED },
};

const lookupKinds = ['number', 'wechat', 'phone'] as const;

/** 授权查询: one of certificate number, WeChat ID or phone; the answer is a masked certificate card. */
export function LookupForm() {
  const lang = useLang();
  const ready = useHydrated();
  const t = text[lang];
  const [by, setBy] = useTypedChoice<LookupBy>('by', 'number', lookupKinds);
  const [value, setValue] = useTypedValue('lookup-value');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [cert, setCert] = useState<PublicCertificate | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (cert) heading.current?.focus();
  }, [cert]);

  function choose(next: LookupBy) {
    setBy(next);
    setValue('');
    setError(undefined);
  }

  async function submit(event: Event) {
    event.preventDefault();
    const query = by === 'phone' ? phoneDigits(value) : value.trim();
    if (!query) {
      setError(t.blank(t.options[by]));
      return;
    }
    setBusy(true);
    setError(undefined);
    const res = await api<PublicCertificate>('/certificates/lookup', { query: { [by]: query } });
    setBusy(false);
    if (res.ok) {
      setCert(res.data);
    } else {
      setCert(null);
      setError(res.error.message);
    }
  }

  return (
    <>
      <form class="card" onSubmit={submit} noValidate aria-busy={busy}>
        <Segmented
          name="by"
          legend={t.by}
          value={by}
          onChange={choose}
          options={lookupKinds.map((v) => ({ value: v, label: t.tabs[v] }))}
        />
        <TextField
          id="lookup-value"
          label={t.options[by]}
          hint={t.hints[by]}
          error={error}
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          required
          autocomplete="off"
          spellcheck={false}
          enterKeyHint="search"
          {...inputProps[by]}
        />
        <button class="btn" type="submit" disabled={!ready || busy}>
          {busy ? t.busy : t.submit}
        </button>
      </form>
      {cert ? <CertificateCard cert={cert} lang={lang} headingRef={heading} /> : null}
    </>
  );
}
