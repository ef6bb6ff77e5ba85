import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../lib/i18n';
import '../styles/confirm-dialog.css';

const text = { zh: { cancel: '取消' }, en: { cancel: 'Cancel' } };

interface Ask {
  message: string;
  confirm: string;
  danger: boolean;
  resolve: (yes: boolean) => void;
}

/**
 * A confirm step before a consequential action (approve, ship, fine, switch the stock model): `ask()` opens a modal
 * dialog and resolves true only on the confirm button; Esc, the backdrop and 取消 resolve false.
 */
export function useConfirm(lang: Lang) {
  const [pending, setPending] = useState<Ask | null>(null);
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (pending && dialog && !dialog.open) dialog.showModal();
  }, [pending]);

  const ask = useCallback(
    (message: string, confirm: string, danger = false) =>
      new Promise<boolean>((resolve) => setPending({ message, confirm, danger, resolve })),
    [],
  );

  const close = (yes: boolean) => {
    pending?.resolve(yes);
    setPending(null);
    ref.current?.close();
  };

  const dialog = pending ? (
    <dialog
      ref={ref}
      class="confirm-dialog"
      aria-labelledby="confirm-dialog-message"
      onCancel={(e) => {
        e.preventDefault();
        close(false);
      }}
    >
      <p id="confirm-dialog-message">{pending.message}</p>
      <div class="confirm-dialog-actions">
        <button class="btn secondary" type="button" onClick={() => close(false)}>
          {text[lang].cancel}
        </button>
        <button class={`btn${pending.danger ? ' danger' : ''}`} type="button" onClick={() => close(true)}>
          {pending.confirm}
        </button>
      </div>
    </dialog>
  ) : null;

  return { ask, dialog };
}
