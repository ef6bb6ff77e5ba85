import { Alert } from '../../components/Field';
import type { Lang } from '../../lib/i18n';
import type { Paged } from '../../lib/paged';

export { type Paged, usePaged } from '../../lib/paged';

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
