import type { TextareaHTMLAttributes } from 'preact';

interface Props extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
}

/** A labelled multi-line input, laid out and described like TextField (components/Field.tsx). */
export function NoteField({ id, label, error, hint, ...textarea }: Props) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={id}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={hint ? `${id}-hint ${id}-error` : `${id}-error`}
        {...textarea}
      />
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <p class="error" id={`${id}-error`} aria-live="polite">
        {error}
      </p>
    </div>
  );
}
