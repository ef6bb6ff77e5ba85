import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import type { ApiResult } from '../../lib/api';
import type { Lang } from '../../lib/i18n';
import { loginUrl } from '../auth/roles';
import type { Page } from './types';

interface PagedState<T> {
  items: T[];
  next: string | null;
  loading: boolean;
  loaded: boolean;
  error: string | null;
}

export interface Paged<T> extends PagedState<T> {
  loadMore: () => void;
  reload: () => void;
  /** Changes the loaded rows in place (after an action), without a round trip. */
  edit: (change: (items: T[]) => T[]) => void;
}

/**
 * A cursor-paginated list: the first page loads when `key` changes (the filters, as a string), "加载更多" appends.
 * An answer that arrives after a newer request started is dropped, so fast filter changes never mix pages.
 */
export function usePaged<T>(load: (cursor: string | undefined) => Promise<ApiResult<Page<T>>>, key: string): Paged<T> {
  const [state, setState] = useState<PagedState<T>>({
    items: [],
    next: null,
    loading: true,
    loaded: false,
    error: null,
  });
  const loader = useRef(load);
  loader.current = load;
  const seq = useRef(0);

  const fetchPage = useCallback(async (cursor: string | undefined) => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    const res = await loader.current(cursor);
    if (mine !== seq.current) return;
    // The session ended meanwhile (signed out elsewhere, password changed): back to the sign-in page.
    if (res.status === 401) location.replace(loginUrl('agent', location.pathname + location.hash));
    setState((s) =>
      res.ok
        ? {
            items: cursor ? [...s.items, ...res.data.items] : res.data.items,
            next: res.data.nextCursor,
            loading: false,
            loaded: true,
            error: null,
          }
        : { ...s, loading: false, error: res.error.message },
    );
  }, []);

  // `key` stands for everything `load` reads.
  useEffect(() => {
    fetchPage(undefined);
  }, [key, fetchPage]);

  return {
    ...state,
    loadMore: () => {
      if (state.next && !state.loading) fetchPage(state.next);
    },
    reload: () => fetchPage(undefined),
    edit: (change) => setState((s) => ({ ...s, items: change(s.items) })),
  };
}

const text = {
  zh: { loading: '加载中…', more: '加载更多', end: '没有更多了' },
  en: { loading: 'Loading…', more: 'Load more', end: 'No more' },
};

/** The rows of a paged list, its empty and error states, and the "加载更多" button. */
export function PagedList<T>({
  paged,
  lang,
  empty,
  label,
  children,
}: {
  paged: Paged<T>;
  lang: Lang;
  empty: string;
  label: string;
  children: (item: T) => ComponentChildren;
}) {
  const t = text[lang];
  return (
    <div aria-busy={paged.loading}>
      <Alert message={paged.error} />
      {paged.items.length > 0 ? (
        <ul class="cx-list" aria-label={label}>
          {paged.items.map(children)}
        </ul>
      ) : paged.loaded ? (
        <p class="muted">{empty}</p>
      ) : null}
      {paged.loading ? (
        <p class="muted" role="status">
          {t.loading}
        </p>
      ) : null}
      {paged.next && !paged.loading ? (
        <button class="btn secondary cx-more" type="button" onClick={paged.loadMore}>
          {t.more}
        </button>
      ) : null}
      {paged.loaded && !paged.next && paged.items.length > 10 ? <p class="muted cx-end">{t.end}</p> : null}
    </div>
  );
}
