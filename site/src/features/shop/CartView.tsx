import { useEffect, useState } from 'preact/hooks';
import { queryParam, useLang } from '../../lib/hooks';
import { formatFen } from '../../lib/money';
import { type CartLine, countOf, removeLine, setQty, totalOf } from './cart';
import { loadCart, saveCart } from './cartStore';
import { QtyStepper } from './QtyStepper';
import { checkoutUrl, currentShopCode, knownShop, productUrl, type ShopData, shopUrl } from './types';

const text = {
  zh: {
    loading: '加载中…',
    noShop: '还没有逛过小店。请通过代理分享的小店链接进入。',
    empty: '购物车是空的。',
    shop: (name: string) => `${name}的小店`,
    back: '继续逛逛',
    remove: '删除',
    removeLabel: (name: string) => `从购物车删除：${name}`,
    total: (n: number) => `合计（${n} 件）`,
    checkout: '去结算',
    note: '价格以下单时为准。',
  },
  en: {
    loading: 'Loading…',
    noShop: 'You have not visited a shop yet. Open the shop link an agent shared with you.',
    empty: 'Your cart is empty.',
    shop: (name: string) => `${name}'s shop`,
    back: 'Keep shopping',
    remove: 'Remove',
    removeLabel: (name: string) => `Remove from the cart: ${name}`,
    total: (n: number) => `Total (${n} items)`,
    checkout: 'Check out',
    note: 'Prices are confirmed when you place the order.',
  },
};

/** /cart?s=<code>: the cart of one shop (kept on this phone). */
export function CartView() {
  const lang = useLang();
  const t = text[lang];
  const [code, setCode] = useState<string | null | undefined>(undefined);
  const [shop, setShop] = useState<ShopData | null>(null);
  const [lines, setLines] = useState<CartLine[]>([]);

  useEffect(() => {
    const c = currentShopCode(queryParam('s'));
    setCode(c);
    if (c) {
      setShop(knownShop(c));
      setLines(loadCart(c));
    }
  }, []);

  if (code === undefined) return <p role="status">{t.loading}</p>;
  if (code === null) return <p class="lead">{t.noShop}</p>;

  const update = (next: CartLine[]) => {
    setLines(next);
    saveCart(code, next);
  };

  return (
    <>
      {shop ? (
        <p class="lead">
          <a href={shopUrl(code)}>{t.shop(shop.name)}</a>
        </p>
      ) : null}
      {lines.length === 0 ? (
        <div class="card">
          <p>{t.empty}</p>
          <a class="btn secondary" href={shopUrl(code)}>
            {t.back}
          </a>
        </div>
      ) : (
        <>
          <div class="card">
            <ul class="lines">
              {lines.map((l) => (
                <li key={l.id}>
                  {l.image ? (
                    <img src={l.image} alt="" width={64} height={64} />
                  ) : (
                    <span class="pimg-none" aria-hidden="true" />
                  )}
                  <a href={productUrl(l.id, code)}>{l.name}</a>
                  <div class="row">
                    <QtyStepper
                      id={`cart-${l.id}`}
                      label={l.name}
                      qty={l.qty}
                      lang={lang}
                      onChange={(q) => update(setQty(lines, l.id, q))}
                    />
                    <span class="nowrap">{formatFen(l.retailFen * l.qty)}</span>
                    <button
                      type="button"
                      class="link-btn"
                      aria-label={t.removeLabel(l.name)}
                      onClick={() => update(removeLine(lines, l.id))}
                    >
                      {t.remove}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          </div>
          <p class="total">
            <span>{t.total(countOf(lines))}</span>
            <strong>{formatFen(totalOf(lines))}</strong>
          </p>
          <p class="hint">{t.note}</p>
          <p class="stack">
            <a class="btn" href={checkoutUrl(code)}>
              {t.checkout}
            </a>
            <a class="btn secondary" href={shopUrl(code)}>
              {t.back}
            </a>
          </p>
        </>
      )}
    </>
  );
}
