import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { useHydrated, useLang, useTypedValue } from '../../lib/hooks';
import { codeFromLocation, reportUrl, type Verification } from './types';
import { VerificationCard } from './VerificationCard';

const text = {
  zh: {
    label: '防伪码',
    hint: '标签上的 16 位字母和数字，如 ABCD-EFGH-JKMN-PQRS',
    blank: '请输入防伪码',
    submit: '查询',
    busy: '查询中…',
    checking: '正在查询防伪码…',
    another: '查询其他防伪码',
    missing: '疑似假冒：未查到此防伪码',
    fake: '品牌方没有发出过这个防伪码。请勿购买或使用该商品，保留包装和购买凭证，向品牌方举报。',
    report: '发现低价乱价？去举报',
  },
  en: {
    label: 'Anti-counterfeit code',
    hint: 'The 16 letters and digits on the label, e.g. ABCD-EFGH-JKMN-PQRS',
    blank: 'Enter the code',
    submit: 'Verify',
    busy: 'Verifying…',
    checking: 'Verifying the code…',
    another: 'Verify another code',
    missing: 'Suspected counterfeit: code not found',
    fake: 'The brand never issued this code. Do not buy or use the product; keep the package and receipt and report it to the brand.',
    report: 'Seen it sold below the price? Report it',
  },
};

type State =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'found'; result: Verification }
  | { kind: 'missing'; message: string }
  | { kind: 'failed'; message: string };

const inputId = 'verify-code';

/**
 * 防伪查询: /v/<code> (the label's QR code) verifies on arrival, in the browser only, so a link preview that fetches
 * the page counts nothing; /v asks for a code.
 */
export function VerifyCode() {
  const lang = useLang();
  const ready = useHydrated();
  const t = text[lang];
  const [value, setValue] = useTypedValue(inputId);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const heading = useRef<HTMLHeadingElement>(null);
  const [focusResult, setFocusResult] = useState(false);

  async function verify(code: string, typed: boolean) {
    setState({ kind: 'checking' });
    setFieldError(undefined);
    const res = await api<Verification>('/codes/verify', { method: 'POST', body: { code } });
    setFocusResult(typed);
    if (res.ok) setState({ kind: 'found', result: res.data });
    else if (res.error.code === 'CODE_NOT_FOUND') setState({ kind: 'missing', message: res.error.message });
    else if (typed && res.error.field === 'code') {
      setState({ kind: 'idle' });
      setFieldError(res.error.message);
      document.getElementById(inputId)?.focus();
    } else setState({ kind: 'failed', message: res.error.message });
  }

  useEffect(() => {
    const code = codeFromLocation();
    if (code) verify(code, false);
  }, []);

  useEffect(() => {
    if (focusResult && (state.kind === 'found' || state.kind === 'missing')) heading.current?.focus();
  }, [state, focusResult]);

  function submit(event: Event) {
    event.preventDefault();
    const code = value.trim();
    if (!code) {
      setFieldError(t.blank);
      document.getElementById(inputId)?.focus();
      return;
    }
    verify(code, true);
  }

  const shown = state.kind === 'found' || state.kind === 'missing';
  return (
    <>
      {state.kind === 'checking' ? <p role="status">{t.checking}</p> : null}
      {state.kind === 'failed' ? <Alert message={state.message} /> : null}
      {state.kind === 'found' ? <VerificationCard result={state.result} lang={lang} headingRef={heading} /> : null}
      {state.kind === 'missing' ? (
        <section class="card verdict missing" aria-labelledby="verify-missing" role="alert">
          <h2 id="verify-missing" tabIndex={-1} ref={heading}>
            {t.missing}
          </h2>
          <p>{state.message}</p>
          <p class="fake-warning">
            <strong>{t.fake}</strong>
          </p>
        </section>
      ) : null}
      {shown ? (
        <p>
          <a
            class="btn secondary"
            href={reportUrl(
              state.kind === 'found' ? state.result.product.id : null,
              state.kind === 'found' ? (state.result.agent?.shopCode ?? null) : null,
            )}
          >
            {t.report}
          </a>
        </p>
      ) : null}
      <form class="card" onSubmit={submit} noValidate aria-busy={state.kind === 'checking'}>
        {shown ? <h2>{t.another}</h2> : null}
        <TextField
          id={inputId}
          label={t.label}
          hint={t.hint}
          error={fieldError}
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          required
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          enterKeyHint="search"
          maxLength={40}
        />
        <button class="btn" type="submit" disabled={!ready || state.kind === 'checking'}>
          {state.kind === 'checking' ? t.busy : t.submit}
        </button>
      </form>
    </>
  );
}
