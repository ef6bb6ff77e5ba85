import type { ComponentChildren, InputHTMLAttributes, SelectHTMLAttributes } from 'preact';

interface Labelled {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
}

function describedBy(id: string, hint?: string) {
  return hint ? `${id}-hint ${id}-error` : `${id}-error`;
}

function Shell({ id, label, error, hint, children }: Labelled & { children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
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

/** A labelled input whose error (from the form or the API's `error.field`) is read out where it appears. */
export function TextField({ id, label, error, hint, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Shell id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        name={id}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint)}
        {...input}
      />
    </Shell>
  );
}

export function SelectField({
  id,
  label,
  error,
  hint,
  children,
  ...select
}: Labelled & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Shell id={id} label={label} error={error} hint={hint}>
      <select
        id={id}
        name={id}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint)}
        {...select}
      >
        {children}
      </select>
    </Shell>
  );
}

/** A choice of a few options shown as a row of buttons (radio inputs, so arrow keys and screen readers work). */
export function Segmented<T extends string>({
  name,
  legend,
  options,
  value,
  onChange,
}: {
  name: string;
  legend: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset class="seg">
      <legend class="visually-hidden">{legend}</legend>
      {options.map((option) => (
        <label key={option.value}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
          <span>{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function Alert({ message }: { message: string | null | undefined }) {
  return message ? (
    <p class="alert" role="alert">
      {message}
    </p>
  ) : null;
}
