import { formatFen } from '../../lib/money';
import { productUrl, type ShopProduct } from './types';

/** A shop card drawn in the browser, the same as worker/routes/shop.ts productCard draws on the server. */
export function ProductCard({ p, code, lang }: { p: ShopProduct; code: string; lang: 'zh' | 'en' }) {
  return (
    <li class={p.soldOut ? 'pcard soldout' : 'pcard'} data-cat={p.category} data-name={p.name}>
      <a href={productUrl(p.id, code)}>
        {p.image ? (
          <img src={p.image} alt="" width={200} height={200} loading="lazy" decoding="async" />
        ) : (
          <span class="pimg-none" aria-hidden="true" />
        )}
        <span class="pname">{p.name}</span>
        <span class="pprice">{formatFen(p.retailFen)}</span>
      </a>
      {p.soldOut ? (
        <span class="psold">{lang === 'en' ? 'Sold out' : '售罄'}</span>
      ) : (
        <button
          type="button"
          class="padd"
          data-add={p.id}
          aria-label={lang === 'en' ? `Add to cart: ${p.name}` : `加入购物车：${p.name}`}
        >
          +
        </button>
      )}
    </li>
  );
}
