import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { type Lang, readLang } from './i18n';

/**
 * The reader's language. Islands are prerendered in Chinese and hydration does not patch attributes,
 * so the stored choice is applied in a render after mount.
 */
export function useLang(): Lang {
  const [lang, setLang] = useState<Lang>('zh');
  useEffect(() => setLang(readLang()), []);
  return lang;
}

/** False in the prerendered HTML, true once the island runs: forms keep submit disabled until then. */
export function useHydrated(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready;
}

/** One query-string parameter of the current page (pages are static, so it is read on the client). */
export function queryParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

function typedValue(id: string): string | null {
  const el = document.getElementById(id);
  const typed = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
  return typed ? el.value : null;
}

/**
 * A form's values, seeded with what the visitor typed into the server-rendered inputs before the island hydrated.
 * Hydration leaves the typed text in place, but the next render writes the state back into each input, so state that
 * started empty would wipe it. Each field's input has the id `${prefix}${field}`.
 */
export function useFormValues<F extends string>(prefix: string, initial: Record<F, string>) {
  const [values, setValues] = useState(initial);
  useLayoutEffect(() => {
    const typed: Partial<Record<F, string>> = {};
    for (const field of Object.keys(initial) as F[]) {
      const value = typedValue(`${prefix}${field}`);
      if (value !== null && value !== initial[field]) typed[field] = value;
    }
    if (Object.keys(typed).length > 0) setValues((v) => ({ ...v, ...typed }));
  }, []);
  return [values, setValues] as const;
}

/** One input's value, seeded like useFormValues. */
export function useTypedValue(id: string, initial = '') {
  const [value, setValue] = useState(initial);
  useLayoutEffect(() => {
    const typed = typedValue(id);
    if (typed !== null && typed !== initial) setValue(typed);
  }, []);
  return [value, setValue] as const;
}

/** A radio group's choice (inputs named `name`), seeded with one made before the island hydrated. */
export function useTypedChoice<T extends string>(name: string, initial: T, options: readonly T[]) {
  const [value, setValue] = useState(initial);
  useLayoutEffect(() => {
    const checked = document.querySelector<HTMLInputElement>(`input[type="radio"][name="${name}"]:checked`)?.value;
    const typed = options.find((o) => o === checked);
    if (typed !== undefined && typed !== initial) setValue(typed);
  }, []);
  return [value, setValue] as const;
}
