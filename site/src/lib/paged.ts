import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiResult } from './api';

// Every list endpoint of the API answers one page like this.
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

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
 * A cursor-paginated list: the first page loads whenever `key` (the filters, as a string) changes and "加载更多"
 * appends the next. An answer that arrives after a newer request started is dropped, so pages never mix.
 * `load` goes through the console's own API function, which sends the reader to sign in again on a 401.
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
