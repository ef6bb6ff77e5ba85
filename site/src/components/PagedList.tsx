import type { ComponentChildren } from 'preact';
import type { Lang } from '../lib/i18n';
import type { Paged } from '../lib/paged';
import { Alert } from './Field';

const text = {
  zh: { loading: '加载中…', more: '加载更多', end: '没有更多了', shown: (n: number) => `已显示 ${n} 条` },
  en: { loading: 'Loading…', more: 'Load more', end: 'No more', shown: (n: number) => `${n} shown` },
};

/**
 * A cursor-paginated list from `usePaged`: its rows (a table or a list, drawn by `children` once there are some),
 * then its error, the empty message, "加载中…" and the "加载更多" button. With `tally` (the brand console's tables
 * and queues) it also says how many rows are shown; otherwise "没有更多了" only closes a long list.
 */
export function PagedList<T>({
  paged,
  lang,
  empty,
  tally = false,
  children,
}: {
  paged: Paged<T>;
  lang: Lang;
  empty: string;
  tally?: boolean;
  children: (items: T[]) => ComponentChildren;
}) {
  const t = text[lang];
  const settled = paged.loaded && !paged.loading;
  return (
    <div class="paged" aria-busy={paged.loading}>
      {paged.items.length > 0 ? children(paged.items) : null}
      <Alert message={paged.error} />
      {settled && paged.items.length === 0 ? <p class="muted">{empty}</p> : null}
      {paged.loading ? (
        <p class="muted" role="status">
          {t.loading}
        </p>
      ) : null}
      {tally && paged.items.length > 0 && !paged.loading ? (
        <p class="muted paged-count">
          {t.shown(paged.items.length)}
          {paged.next ? '' : ` · ${t.end}`}
        </p>
      ) : null}
      {!tally && settled && !paged.next && paged.items.length > 10 ? <p class="muted paged-end">{t.end}</p> : null}
      {paged.next && !paged.loading ? (
        <button class="btn secondary paged-more" type="button" onClick={paged.loadMore}>
          {t.more}
        </button>
      ) : null}
    </div>
  );
}
