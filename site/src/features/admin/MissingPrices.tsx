import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../lib/i18n';
import { call } from './http';
import type { Level, Page, Product } from './types';

const text = {
  zh: {
    title: '以下商品缺少等级价格',
    lead: '缺少某一等级价格的商品不会在该等级代理的店铺中显示，也不能通过他们下单。请编辑商品补全价格。',
    missing: (names: string) => `缺少：${names}`,
    edit: '补全价格',
    more: '还有更多，补全以上商品后刷新查看。',
  },
  en: {
    title: 'These products lack level prices',
    lead: 'A product without a level’s price is hidden from that level’s shops and cannot be ordered through them. Edit the product to price it.',
    missing: (names: string) => `Missing: ${names}`,
    edit: 'Add prices',
    more: 'There are more; price these, then reload.',
  },
};

/** After a level change: the products that lack a price for some level (GET /api/products?missingPrices=1). */
export function MissingPrices({
  lang,
  levels,
  version,
  onEdit,
}: {
  lang: Lang;
  levels: Level[];
  version: number;
  onEdit: (product: Product) => void;
}) {
  const t = text[lang];
  const [page, setPage] = useState<Page<Product> | null>(null);

  useEffect(() => {
    call<Page<Product>>('/products', { query: { missingPrices: '1', limit: 20 } }).then((res) => {
      if (res.ok) setPage(res.data);
    });
  }, [version]);

  if (!page || page.items.length === 0) return null;
  return (
    <div class="card ad-missing" role="status" aria-labelledby="ad-missing-title">
      <h3 id="ad-missing-title" class="ad-warn">
        {t.title}
      </h3>
      <p class="muted">{t.lead}</p>
      <ul>
        {page.items.map((p) => {
          const lacking = levels.filter((l) => p.prices?.[String(l.rank)] === undefined).map((l) => l.name);
          return (
            <li key={p.id} data-testid={`missing-${p.id}`}>
              <strong>{p.name}</strong> <span class="muted">{t.missing(lacking.join('、'))}</span>{' '}
              <button class="ad-link" type="button" onClick={() => onEdit(p)}>
                {t.edit}
              </button>
            </li>
          );
        })}
      </ul>
      {page.nextCursor ? <p class="muted">{t.more}</p> : null}
    </div>
  );
}
