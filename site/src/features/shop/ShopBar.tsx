import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { useLang } from '../../lib/hooks';
import { formatFen } from '../../lib/money';
import { SharePanel } from '../share/SharePanel';
import { addLine, type CartLine, countOf, totalOf } from './cart';
import { loadCart, saveCart } from './cartStore';
import { ProductCard } from './ProductCard';
import { type Filter, isActive, matches, noFilter } from './shopFilter';
import { attribute, cartUrl, checkoutUrl, readShopData, rememberShop, type ShopData, type ShopProduct } from './types';

const text = {
  zh: {
    added: (name: string) => `已加入购物车：${name}`,
    full: '已达到购物车上限（20 种商品，每种 99 件）',
    cart: (n: number) => `购物车 ${n} 件`,
    empty: '购物车是空的',
    checkout: '去结算',
    more: '查看更多商品',
    loading: '加载中…',
    message: (s: ShopData) => `${s.name}的小店：${s.brandName}授权${s.levelName}，正品可查。`,
    badge: (s: ShopData) => `${s.brandName}授权 · ${s.levelName} · 可查授权证书`,
    headline: (s: ShopData) => `精选 ${s.products.length} 件${s.brandName}好物`,
    found: (n: number) => (n > 0 ? `找到 ${n} 件商品` : '没有找到相关商品'),
  },
  en: {
    added: (name: string) => `Added to the cart: ${name}`,
    full: 'The cart is full (20 products, 99 of each)',
    cart: (n: number) => `Cart: ${n}`,
    empty: 'Your cart is empty',
    checkout: 'Check out',
    more: 'More products',
    loading: 'Loading…',
    message: (s: ShopData) => `${s.name}'s shop: authorized ${s.levelName} of ${s.brandName}; genuine, verifiable.`,
    badge: (s: ShopData) => `Authorized ${s.levelName} of ${s.brandName} · certificate online`,
    headline: (s: ShopData) => `${s.products.length} picks from ${s.brandName}`,
    found: (n: number) => (n > 0 ? `${n} products found` : 'No products found'),
  },
};

interface Page {
  items: ShopProduct[];
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
  const [filter, setFilter] = useState<Filter>(noFilter);
  // With more products than the first view holds, a filter asks the server: these are its answer.
  const [results, setResults] = useState<ShopProduct[] | null>(null);
  const [resultsCursor, setResultsCursor] = useState<string | null>(null);
  const asked = useRef(0);

  // Inside WeChat only, once the page has loaded and the browser is idle: the share card (features/share/
  // wechatShare.ts) costs an API call and WeChat's SDK, which must not hold up the first paint. Started from this
  // island rather than a page script of its own: one request fewer on the shop link.
  useEffect(() => {
    if (!/MicroMessenger/i.test(navigator.userAgent)) return;
    const start = () => {
      import('../share/wechatShare').then((m) => m.setShareCard()).catch(() => undefined);
    };
    const whenIdle = () => {
      if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 2000 });
      else setTimeout(start, 200);
    };
    if (document.readyState === 'complete') whenIdle();
    else addEventListener('load', whenIdle, { once: true });
  }, []);

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

  // The search box and category chips come from the Worker too.
  useEffect(() => {
    if (!shop) return;
    const input = document.getElementById('shop-q') as HTMLInputElement | null;
    const form = document.getElementById('shop-search');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onInput = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setFilter((f) => ({ ...f, q: input?.value ?? '' })), 250);
    };
    const onSubmit = (event: Event) => {
      event.preventDefault();
      clearTimeout(timer);
      setFilter((f) => ({ ...f, q: input?.value ?? '' }));
      input?.blur();
    };
    const onChip = (event: MouseEvent) => {
      const chip = (event.target as Element | null)?.closest<HTMLElement>('.chip');
      if (!chip) return;
      for (const other of document.querySelectorAll('.chip'))
        other.setAttribute('aria-pressed', String(other === chip));
      setFilter((f) => ({ ...f, cat: chip.dataset.cat ?? '' }));
    };
    input?.addEventListener('input', onInput);
    form?.addEventListener('submit', onSubmit);
    document.getElementById('shop-cats')?.addEventListener('click', onChip);
    return () => {
      input?.removeEventListener('input', onInput);
      form?.removeEventListener('submit', onSubmit);
      document.getElementById('shop-cats')?.removeEventListener('click', onChip);
    };
  }, [shop]);

  useEffect(() => {
    if (!shop) return;
    const active = isActive(filter);
    const serverSide = active && shop.more;
    for (const li of document.querySelectorAll<HTMLElement>('#shop-products > li')) {
      li.hidden = serverSide || !matches({ name: li.dataset.name ?? '', category: li.dataset.cat ?? '' }, filter);
    }
    const ask = ++asked.current;
    if (!serverSide) {
      setResults(null);
      return;
    }
    const query = { limit: 20, q: filter.q.trim() || undefined, category: filter.cat || undefined };
    void api<Page>(`/shops/${shop.code}/products`, { query }).then((res) => {
      if (ask !== asked.current) return;
      if (!res.ok) {
        setNote(res.error.message);
        return;
      }
      setResults(res.data.items);
      setResultsCursor(res.data.nextCursor);
    });
  }, [shop, filter]);

  // The cards come from the Worker: one listener serves all their "+" buttons.
  useEffect(() => {
    if (!shop) return;
    const onClick = (event: MouseEvent) => {
      const button = (event.target as Element | null)?.closest<HTMLElement>('[data-add]');
      const product = [...shop.products, ...extra, ...(results ?? [])].find((p) => p.id === button?.dataset.add);
      if (!product) return;
      const after = addLine(lines, product);
      saveCart(shop.code, after);
      setLines(after);
      setNote(countOf(after) > countOf(lines) ? t.added(product.name) : t.full);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [shop, extra, results, lines, t]);

  if (!shop) return null;

  const code = shop.code;
  async function loadMore() {
    const from = results ? resultsCursor : cursor;
    if (!from) return;
    setLoading(true);
    const query = { cursor: from, limit: 20, q: filter.q.trim() || undefined, category: filter.cat || undefined };
    const res = await api<Page>(`/shops/${code}/products`, { query });
    setLoading(false);
    if (!res.ok) {
      setNote(res.error.message);
      return;
    }
    if (results) {
      setResults([...results, ...res.data.items]);
      setResultsCursor(res.data.nextCursor);
    } else {
      setExtra((before) => [...before, ...res.data.items]);
      setCursor(res.data.nextCursor);
    }
  }

  const count = countOf(lines);
  const active = isActive(filter);
  const listed = results ?? extra.filter((p) => matches(p, filter));
  const found = results ? results.length : listed.length + shop.products.filter((p) => matches(p, filter)).length;
  const next = results ? resultsCursor : active ? null : cursor;
  return (
    <>
      {active ? (
        <p class="shop-found" role="status">
          {t.found(found)}
        </p>
      ) : null}
      {listed.length > 0 ? (
        <ul class="pgrid">
          {listed.map((p) => (
            <ProductCard key={p.id} p={p} code={code} lang={lang} />
          ))}
        </ul>
      ) : null}
      {next ? (
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
