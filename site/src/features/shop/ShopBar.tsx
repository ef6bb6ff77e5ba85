import { useEffect, useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { useLang } from '../../lib/hooks';
import { formatFen } from '../../lib/money';
import { SharePanel } from '../share/SharePanel';
import { addLine, type CartLine, countOf, totalOf } from './cart';
import { loadCart, saveCart } from './cartStore';
import {
  attribute,
  cartUrl,
  checkoutUrl,
  type Product,
  productUrl,
  readShopData,
  rememberShop,
  type ShopData,
  type ShopProduct,
} from './types';

const text = {
  zh: {
    added: (name: string) => `已加入购物车：${name}`,
    full: '已达到购物车上限（20 种商品，每种 99 件）',
    cart: (n: number) => `购物车 ${n} 件`,
    empty: '购物车是空的',
    checkout: '去结算',
    more: '查看更多商品',
    loading: '加载中…',
    add: (name: string) => `加入购物车：${name}`,
    message: (s: ShopData) => `${s.name}的小店：${s.brandName}授权${s.levelName}，正品可查。`,
    badge: (s: ShopData) => `${s.brandName}授权 · ${s.levelName} · 可查授权证书`,
    headline: (s: ShopData) => `精选 ${s.products.length} 件${s.brandName}好物`,
  },
  en: {
    added: (name: string) => `Added to the cart: ${name}`,
    full: 'The cart is full (20 products, 99 of each)',
    cart: (n: number) => `Cart: ${n}`,
    empty: 'Your cart is empty',
    checkout: 'Check out',
    more: 'More products',
    loading: 'Loading…',
    add: (name: string) => `Add to cart: ${name}`,
    message: (s: ShopData) => `${s.name}'s shop: authorized ${s.levelName} of ${s.brandName}; genuine, verifiable.`,
    badge: (s: ShopData) => `Authorized ${s.levelName} of ${s.brandName} · certificate online`,
    headline: (s: ShopData) => `${s.products.length} picks from ${s.brandName}`,
  },
};

interface Page {
  items: Product[];
  nextCursor: string | null;
}

/** The shop page's island: cart buttons on the server-rendered cards, the cart bar, more products, sharing. */
export function ShopBar() {
  const lang = useLang();
  const t = text[lang];
  const [shop, setShop] = useState<ShopData | null>(null);
  const [lines, setLines] = useState<CartLine[]>([]);
  const [extra, setExtra] = useState<ShopProduct[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [note, setNote] = useState('');

  useEffect(() => {
    const data = readShopData();
    if (!data?.open) return;
    rememberShop(data);
    // The link's attribution cookie is set here, not by the page's answer, which a shared cache may keep.
    attribute(data.code);
    setShop(data);
    setLines(loadCart(data.code));
    setCursor(data.more ? (data.products.at(-1)?.id ?? null) : null);
  }, []);

  // The cards come from the Worker: one listener serves all their "+" buttons.
  useEffect(() => {
    if (!shop) return;
    const onClick = (event: MouseEvent) => {
      const button = (event.target as Element | null)?.closest<HTMLElement>('[data-add]');
      const product = [...shop.products, ...extra].find((p) => p.id === button?.dataset.add);
      if (!product) return;
      const after = addLine(lines, product);
      saveCart(shop.code, after);
      setLines(after);
      setNote(countOf(after) > countOf(lines) ? t.added(product.name) : t.full);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [shop, extra, lines, t]);

  if (!shop) return null;

  async function loadMore() {
    if (!cursor || !shop) return;
    setLoading(true);
    const res = await api<Page>('/products', { query: { cursor, limit: 20, shop: shop.code } });
    setLoading(false);
    if (!res.ok) {
      setNote(res.error.message);
      return;
    }
    setExtra((before) => [
      ...before,
      ...res.data.items.map((p) => ({ id: p.id, name: p.name, image: p.images[0] ?? null, retailFen: p.retailFen })),
    ]);
    setCursor(res.data.nextCursor);
  }

  const count = countOf(lines);
  const code = shop.code;
  return (
    <>
      {extra.length > 0 ? (
        <ul class="pgrid">
          {extra.map((p) => (
            <li class="pcard" key={p.id}>
              <a href={productUrl(p.id, code)}>
                {p.image ? (
                  <img src={p.image} alt="" width={200} height={200} loading="lazy" decoding="async" />
                ) : (
                  <span class="pimg-none" aria-hidden="true" />
                )}
                <span class="pname">{p.name}</span>
                <span class="pprice">{formatFen(p.retailFen)}</span>
              </a>
              <button type="button" class="padd" data-add={p.id} aria-label={t.add(p.name)}>
                +
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {cursor ? (
        <p>
          <button type="button" class="btn secondary" onClick={loadMore} disabled={loading}>
            {loading ? t.loading : t.more}
          </button>
        </p>
      ) : null}
      <SharePanel
        lang={lang}
        path={`/s/${code}`}
        title={`${shop.name}的小店`}
        message={t.message(shop)}
        fileName={`shop-${code}`}
        poster={{
          shopName: `${shop.name}的小店`,
          agentName: shop.name,
          badge: t.badge(shop),
          headline: t.headline(shop),
          imageUrl: shop.products[0]?.image ?? null,
        }}
      />
      <div class="shop-bar">
        <p class="shop-bar-note" role="status">
          {note}
        </p>
        <div class="shop-bar-row">
          <a class="shop-bar-cart" href={cartUrl(code)}>
            {count > 0 ? (
              <>
                <span>{t.cart(count)}</span> <strong>{formatFen(totalOf(lines))}</strong>
              </>
            ) : (
              t.empty
            )}
          </a>
          {count > 0 ? (
            <a class="btn shop-bar-go" href={checkoutUrl(code)}>
              {t.checkout}
            </a>
          ) : null}
        </div>
      </div>
    </>
  );
}
