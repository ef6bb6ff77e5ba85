import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { api } from '../../lib/api';
import { queryParam, useLang } from '../../lib/hooks';
import { formatFen } from '../../lib/money';
import { SharePanel } from '../share/SharePanel';
import { addLine, countOf } from './cart';
import { loadCart, saveCart } from './cartStore';
import { Gallery } from './Gallery';
import { QtyStepper } from './QtyStepper';
import {
  attribute,
  cartUrl,
  checkoutUrl,
  currentShopCode,
  isShopCode,
  knownShop,
  type Product,
  productUrl,
  type ShopData,
  shopUrl,
} from './types';

const text = {
  zh: {
    loading: '加载中…',
    missing: '链接缺少商品编号。',
    goneTitle: '商品不存在或已下架',
    gone: '这件商品已下架，或本店暂不销售。看看店里的其他商品吧。',
    backShop: (name: string | null) => (name ? `返回${name}的小店` : '返回小店'),
    myOrders: '我的订单',
    from: (name: string) => `${name}的小店`,
    enter: '进入小店',
    authorized: '已授权 · 查看授权书',
    qty: '数量',
    add: '加入购物车',
    buy: '立即购买',
    added: (n: number) => `已加入购物车（共 ${n} 件）`,
    full: '已达到购物车上限',
    viewCart: '查看购物车',
    noShop: '请通过代理分享的小店链接购买。',
    retail: '零售价',
    message: (p: Product, shop: string) => `${p.name}，来自${shop}，正品可查。`,
    badge: (s: ShopData | null) => (s ? `${s.brandName}授权 · ${s.levelName}` : '品牌授权代理'),
  },
  en: {
    loading: 'Loading…',
    missing: 'The link has no product.',
    goneTitle: 'Product not available',
    gone: 'This product is off sale or not sold in this shop. Have a look at the shop’s other products.',
    backShop: (name: string | null) => (name ? `Back to ${name}'s shop` : 'Back to the shop'),
    myOrders: 'My orders',
    from: (name: string) => `${name}'s shop`,
    enter: 'Visit the shop',
    authorized: 'Authorized · certificate',
    qty: 'Quantity',
    add: 'Add to cart',
    buy: 'Buy now',
    added: (n: number) => `Added to the cart (${n} in total)`,
    full: 'The cart is full',
    viewCart: 'View the cart',
    noShop: 'Please buy through the shop link an agent shared with you.',
    retail: 'Retail price',
    message: (p: Product, shop: string) => `${p.name}, from ${shop}; genuine and verifiable.`,
    badge: (s: ShopData | null) => (s ? `Authorized ${s.levelName} of ${s.brandName}` : 'Authorized agent'),
  },
};

type State =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'gone' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; product: Product };

/** /product?id=&s=: the product, the shop it is sold through, add to cart, buy now, share. */
export function ProductView() {
  const lang = useLang();
  const t = text[lang];
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [code, setCode] = useState<string | null>(null);
  const [shop, setShop] = useState<ShopData | null>(null);
  const [qty, setQty] = useState(1);
  const [note, setNote] = useState('');

  useEffect(() => {
    const id = queryParam('id')?.trim();
    const s = queryParam('s');
    if (isShopCode(s)) attribute(s);
    const shopCode = currentShopCode(s);
    const known = knownShop(shopCode);
    setCode(shopCode);
    setShop(known);
    if (!id) {
      setState({ kind: 'missing' });
      return;
    }
    // What the shop page already showed is drawn at once; the description follows from the API.
    const cached = known?.products.find((p) => p.id === id);
    if (cached) {
      setState({
        kind: 'ready',
        product: { ...cached, sku: '', description: '', images: cached.image ? [cached.image] : [], onSale: true },
      });
    }
    // Through a shop, a product not priced for its agent's level is not found either: the shop cannot sell it.
    const query = shopCode ? { shop: shopCode } : undefined;
    api<Product>(`/products/${encodeURIComponent(id)}`, { query }).then((res) => {
      // On a network failure the cached view stays: it is what the shop page showed a moment ago.
      if (!res.ok && res.status !== 404 && cached) return;
      setState(
        res.ok
          ? { kind: 'ready', product: res.data }
          : res.status === 404
            ? { kind: 'gone' }
            : { kind: 'failed', message: res.error.message },
      );
    });
  }, []);

  const productName = state.kind === 'ready' ? state.product.name : null;
  const titleShop = shop ? t.from(shop.name) : null;
  useEffect(() => {
    if (productName) document.title = titleShop ? `${productName} · ${titleShop}` : productName;
  }, [productName, titleShop]);

  if (state.kind === 'loading') return <p role="status">{t.loading}</p>;
  if (state.kind === 'missing' || state.kind === 'gone') {
    return <Unavailable t={t} code={code} shopName={shop?.name ?? null} noId={state.kind === 'missing'} />;
  }
  if (state.kind === 'failed') return <Alert message={state.message} />;
  const product = state.product;
  const image = product.images[0] ?? null;

  function add(): boolean {
    if (!code) return false;
    const before = loadCart(code);
    const after = addLine(before, { id: product.id, name: product.name, image, retailFen: product.retailFen }, qty);
    saveCart(code, after);
    const grew = countOf(after) > countOf(before);
    setNote(grew ? t.added(countOf(after)) : t.full);
    return grew || before.some((l) => l.id === product.id);
  }

  const shopName = shop ? t.from(shop.name) : null;
  return (
    <article class="stack">
      <Gallery images={product.images} name={product.name} lang={lang} />
      <h1>{product.name}</h1>
      <p class="price-big">
        <span class="visually-hidden">{t.retail}</span>
        {formatFen(product.retailFen)}
      </p>
      {product.description ? <p>{product.description}</p> : null}
      {code && shop ? (
        <p class="notice">
          <a href={shopUrl(code)}>{shopName}</a> · {shop.levelName}{' '}
          {shop.certNumber ? (
            <a class="authd" href={`/c/${encodeURIComponent(shop.certNumber)}`}>
              {t.authorized}
            </a>
          ) : null}
        </p>
      ) : null}
      {code ? (
        <div class="card stack">
          <div class="row">
            <label for="product-qty">{t.qty}</label>
            <QtyStepper id="product-qty" label={product.name} qty={qty} lang={lang} onChange={setQty} />
          </div>
          <button type="button" class="btn secondary" onClick={add}>
            {t.add}
          </button>
          <button
            type="button"
            class="btn"
            onClick={() => {
              if (add()) location.assign(checkoutUrl(code));
            }}
          >
            {t.buy}
          </button>
          {/* Fixed above the tab bar, so the feedback shows wherever the buttons were scrolled to. */}
          <p class="hint add-toast" role="status">
            {note}
            {note ? (
              <>
                {' '}
                <a href={cartUrl(code)}>{t.viewCart}</a>
              </>
            ) : null}
          </p>
          {shop ? null : (
            <a class="btn secondary" href={shopUrl(code)}>
              {t.enter}
            </a>
          )}
        </div>
      ) : (
        <Alert message={t.noShop} />
      )}
      {code ? (
        <SharePanel
          lang={lang}
          path={productUrl(product.id, code)}
          title={product.name}
          message={t.message(product, shopName ?? '')}
          fileName={`product-${product.id.slice(-8)}`}
          poster={{
            shopName: shopName ?? product.name,
            agentName: shop?.name ?? '',
            badge: t.badge(shop),
            headline: product.name,
            priceText: formatFen(product.retailFen),
            imageUrl: image,
          }}
        />
      ) : null}
    </article>
  );
}

/** A bad link, a product off sale or not sold in this shop: no dead end, the way back to the shop. */
function Unavailable(props: { t: (typeof text)['zh']; code: string | null; shopName: string | null; noId: boolean }) {
  const { t, code } = props;
  return (
    <section class="card stack gone" aria-labelledby="gone-title">
      <h1 id="gone-title">{t.goneTitle}</h1>
      <p>{props.noId ? t.missing : t.gone}</p>
      {code ? (
        <a class="btn" href={shopUrl(code)}>
          {t.backShop(props.shopName)}
        </a>
      ) : (
        <p class="muted">{t.noShop}</p>
      )}
      <a class="btn secondary" href="/orders">
        {t.myOrders}
      </a>
    </section>
  );
}
