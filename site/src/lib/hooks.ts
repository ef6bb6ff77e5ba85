import { useEffect, useState } from 'preact/hooks';
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
