import type { TextareaHTMLAttributes } from 'preact';

/** Radio buttons with a visible legend, each option with an optional line that explains it. */
export function RadioGroup<T extends string>({
  name,
  legend,
  options,
  value,
  onChange,
  error,
}: {
  name: string;
  legend: string;
  options: readonly { value: T; label: string; hint?: string }[];
  value: T;
  onChange: (value: T) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset class="field ad-radios" id={name} aria-describedby={`${name}-error`} tabIndex={-1}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
          <span>
            {option.label}
            {option.hint ? <small class="muted">{option.hint}</small> : null}
          </span>
        </label>
      ))}
      <p class="error" id={`${name}-error`} aria-live="polite">
        {error}
      </p>
    </fieldset>
  );
}

/** A labelled textarea in the same shape as components/Field's TextField. */
export function TextAreaField({
  id,
  label,
  error,
  hint,
  ...input
}: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
} & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={id}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={hint ? `${id}-hint ${id}-error` : `${id}-error`}
        {...input}
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

/** A small error line for inputs laid out without components/Field (table cells, inline forms). */
export function ErrorLine({ id, message }: { id: string; message: string | undefined }) {
  return (
    <p class="error" id={id} aria-live="polite">
      {message}
    </p>
  );
}
