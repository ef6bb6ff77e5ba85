import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { useLang } from '../../lib/hooks';
import { phoneDigits } from '../../lib/phone';

export type SmsPurpose = 'signup' | 'reset' | 'orders';

const PHONE = /^1[3-9]\d{9}$/;

const text = {
  zh: {
    label: '短信验证码',
    send: '获取验证码',
    wait: (s: number) => `${s} 秒后重发`,
    sent: '验证码已发送，5 分钟内有效',
    phoneFirst: '请先填写 11 位手机号',
  },
  en: {
    label: 'Text message code',
    send: 'Send code',
    wait: (s: number) => `Resend in ${s} s`,
    sent: 'Code sent; valid for 5 minutes',
    phoneFirst: 'Enter the 11-digit mobile number first',
  },
};

/**
 * The 6-digit code input with its "send" button: POST /api/sms/codes for the phone, then a 60-second wait before
 * another. Errors from sending (rate limit, no SMS service) show under the input.
 */
export function SmsCodeField(props: {
  id: string;
  phone: string;
  purpose: SmsPurpose;
  value: string;
  error: string | undefined;
  onInput: (value: string) => void;
}) {
  const lang = useLang();
  const t = text[lang];
  const [wait, setWait] = useState(0);
  // The wait is the phone's (the API limits per phone): another phone may be sent a code at once.
  const [sentTo, setSentTo] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  async function send() {
    const phone = phoneDigits(props.phone);
    setNote(null);
    if (!PHONE.test(phone)) {
      setSendError(t.phoneFirst);
      return;
    }
    setBusy(true);
    const res = await api<{ resendAfterSeconds: number }>('/sms/codes', {
      method: 'POST',
      body: { phone, purpose: props.purpose },
    });
    setBusy(false);
    if (res.ok) {
      setSendError(null);
      setNote(t.sent);
      setWait(res.data.resendAfterSeconds);
      setSentTo(phone);
      document.getElementById(props.id)?.focus();
    } else {
      setSendError(res.error.message);
    }
  }

  const waiting = wait > 0 && sentTo === phoneDigits(props.phone);
  const error = props.error ?? sendError ?? undefined;
  return (
    <div class="field">
      <label for={props.id}>{t.label}</label>
      <div class="sms-row">
        <input
          id={props.id}
          name={props.id}
          type="text"
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          required
          value={props.value}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={`${props.id}-note ${props.id}-error`}
          onInput={(e) => props.onInput(e.currentTarget.value.replace(/\D/g, ''))}
        />
        <button type="button" class="btn secondary" onClick={send} disabled={busy || waiting}>
          {waiting ? t.wait(wait) : t.send}
        </button>
      </div>
      <p class="hint" id={`${props.id}-note`} role="status">
        {note}
      </p>
      <p class="error" id={`${props.id}-error`} aria-live="polite">
        {error}
      </p>
    </div>
  );
}
