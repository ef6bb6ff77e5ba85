import type { ComponentChildren } from 'preact';
import { Alert } from '../../components/Field';
import type { ApiResult } from '../../lib/api';
import type { Lang } from '../../lib/i18n';
import { type Page, type Paged, usePaged as usePagedList } from '../../lib/paged';
import { loginUrl } from '../auth/roles';

export type { Paged } from '../../lib/paged';

// A list in the console: a session that ended meanwhile goes back to the agent sign-in page.
export function usePaged<T>(load: (cursor: string | undefined) => Promise<ApiResult<Page<T>>>, key: string): Paged<T> {
  return usePagedList(load, key, () => location.replace(loginUrl('agent', location.pathname + location.hash)));
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
