import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../lib/i18n';
import type { TabId } from './context';
import type { Counts } from './counts';
import './tabbar.css';

export interface Tab {
  id: TabId;
  zh: string;
  en: string;
}

const text = {
  zh: { nav: '控制台栏目', more: '更多', moreList: '更多栏目', todo: (n: string) => `${n} 项待处理` },
  en: { nav: 'Console sections', more: 'More', moreList: 'More sections', todo: (n: string) => `${n} to do` },
};

function Badge({ id, count, lang }: { id: string; count: string | undefined; lang: Lang }) {
  if (!count) return null;
  return (
    <>
      <span class="cx-count" aria-hidden="true">
        {count}
      </span>
      <span hidden id={`cx-todo-${id}`}>
        {text[lang].todo(count)}
      </span>
    </>
  );
}

function TabLink({ tab, current, counts, lang }: { tab: Tab; current: TabId; counts: Counts; lang: Lang }) {
  return (
    <span class="cx-tab">
      <a
        href={`#${tab.id}`}
        aria-current={current === tab.id ? 'page' : undefined}
        aria-describedby={counts[tab.id] ? `cx-todo-${tab.id}` : undefined}
      >
        {tab[lang]}
      </a>
      <Badge id={tab.id} count={counts[tab.id]} lang={lang} />
    </span>
  );
}

/**
 * The console's bottom tab bar: the sections used all day stay one tap away, the rest sit behind 更多, whose badge
 * sums what waits in them so nothing to do is hidden at 360 px.
 */
export function TabBar({
  primary,
  more,
  current,
  counts,
  lang,
}: {
  primary: Tab[];
  more: Tab[];
  current: TabId;
  counts: Counts;
  lang: Lang;
}) {
  const t = text[lang];
  const [open, setOpen] = useState(false);
  // Choosing a section (or going back) closes the menu.
  useEffect(() => setOpen(false), [current]);
  const inMore = more.some((x) => x.id === current);
  const waiting = more.reduce((sum, x) => sum + Number.parseInt(counts[x.id] ?? '0', 10), 0);
  const plus = more.some((x) => counts[x.id]?.endsWith('+'));
  const moreCount = waiting > 0 ? `${waiting}${plus ? '+' : ''}` : undefined;
  return (
    <nav id="cx-nav" class="cx-nav" aria-label={t.nav}>
      {open ? (
        <ul id="cx-more" class="cx-more" aria-label={t.moreList}>
          {more.map((x) => (
            <li key={x.id}>
              <TabLink tab={x} current={current} counts={counts} lang={lang} />
            </li>
          ))}
        </ul>
      ) : null}
      <div class="cx-bar-tabs">
        {primary.map((x) => (
          <TabLink key={x.id} tab={x} current={current} counts={counts} lang={lang} />
        ))}
        <span class="cx-tab">
          <button
            type="button"
            class="cx-more-btn"
            aria-expanded={open}
            aria-controls="cx-more"
            aria-current={inMore && !open ? 'page' : undefined}
            aria-describedby={moreCount ? 'cx-todo-more' : undefined}
            onClick={() => setOpen(!open)}
          >
            {inMore && !open ? (more.find((x) => x.id === current)?.[lang] ?? t.more) : t.more}
          </button>
          <Badge id="more" count={open ? undefined : moreCount} lang={lang} />
        </span>
      </div>
    </nav>
  );
}
