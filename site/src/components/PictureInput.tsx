import { useState } from 'preact/hooks';
import { PICTURE_TYPES, uploadPicture } from '../lib/upload';
import '../styles/pictures.css';

const text = {
  zh: { busy: '上传中…', hint: 'JPEG、PNG 或 WebP，不超过 2 MB' },
  en: { busy: 'Uploading…', hint: 'JPEG, PNG or WebP, up to 2 MB' },
};

/**
 * A labelled file input that uploads the chosen picture at once and hands back its URL. The server checks type and
 * size again; its error (or the form's, through `error`) is read out under the input.
 */
export function PictureInput({
  id,
  label,
  lang,
  onUploaded,
  error,
  endpoint = '/uploads',
  disabled = false,
}: {
  id: string;
  label: string;
  lang: 'zh' | 'en';
  onUploaded: (url: string) => void;
  error?: string | undefined;
  endpoint?: string;
  disabled?: boolean;
}) {
  const t = text[lang];
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  async function choose(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setFailed(null);
    const res = await uploadPicture(file, endpoint);
    setBusy(false);
    input.value = '';
    if (res.ok) onUploaded(res.data.url);
    else setFailed(res.error.message);
  }

  const shown = failed ?? error;
  return (
    <div class="field picture-input">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        type="file"
        accept={PICTURE_TYPES}
        disabled={disabled || busy}
        aria-invalid={shown ? 'true' : undefined}
        aria-describedby={`${id}-hint ${id}-error`}
        onChange={choose}
      />
      <p class="hint" id={`${id}-hint`} role="status">
        {busy ? t.busy : t.hint}
      </p>
      <p class="error" id={`${id}-error`} aria-live="polite">
        {shown}
      </p>
    </div>
  );
}
