import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import type { ApiResult } from '../../lib/api';
import type { Lang } from '../../lib/i18n';
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
  /** Changes the loaded rows in place after an action, without a round trip. */
  edit: (change: (items: T[]) => T[]) => void;
}

/**
 * A cursor-paginated list: the first page loads whenever `key` (the filters, as a string) changes and "加载更多"
 * appends the next. An answer that arrives after a newer request started is dropped, so pages never mix.
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
  zh: { loading: '加载中…', more: '加载更多', end: '没有更多了', shown: (n: number) => `已显示 ${n} 条` },
  en: { loading: 'Loading…', more: 'Load more', end: 'No more', shown: (n: number) => `${n} shown` },
};

/** Under a paged list: its error, the empty message, "加载中…" and the "加载更多" button. */
export function PagedFooter<T>({ paged, lang, empty }: { paged: Paged<T>; lang: Lang; empty: string }) {
  const t = text[lang];
  return (
    <div class="ad-footer">
      <Alert message={paged.error} />
      {paged.loaded && paged.items.length === 0 && !paged.loading ? <p class="muted">{empty}</p> : null}
      {paged.loading ? (
        <p class="muted" role="status">
          {t.loading}
        </p>
      ) : null}
      {paged.items.length > 0 && !paged.loading ? (
        <p class="muted ad-count">
          {t.shown(paged.items.length)}
          {paged.next ? '' : ` · ${t.end}`}
        </p>
      ) : null}
      {paged.next && !paged.loading ? (
        <button class="btn secondary ad-btn" type="button" onClick={paged.loadMore}>
          {t.more}
        </button>
      ) : null}
    </div>
  );
}
