import type { ComponentChildren } from 'preact';
import { PagedList } from '../../components/PagedList';
import type { Lang } from '../../lib/i18n';
import type { Paged } from '../../lib/paged';

/** A brand-console table over a paged list: its caption (read out only), header cells and one row per item. */
export function PagedTable<T>({
  paged,
  lang,
  empty,
  caption,
  head,
  tableClass = 'ad-table',
  children,
}: {
  paged: Paged<T>;
  lang: Lang;
  empty: string;
  caption: string;
  head: ComponentChildren;
  tableClass?: string;
  children: (item: T) => ComponentChildren;
}) {
  return (
    <div class="card ad-table-card">
      <PagedList paged={paged} lang={lang} empty={empty} tally>
        {(items) => (
          <table class={tableClass}>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
              <tr>{head}</tr>
            </thead>
            <tbody>{items.map(children)}</tbody>
          </table>
        )}
      </PagedList>
    </div>
  );
}
