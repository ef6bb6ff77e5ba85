import { queryParam } from '../../lib/hooks';
import { addLine, type CartLine } from '../shop/cart';
import { loadCart, saveCart } from '../shop/cartStore';
import { cartUrl, currentShopCode, type ShopData } from '../shop/types';
import type { Order } from './types';

const text = {
  zh: { again: '再来一单', hint: '把本单的商品再放进购物车' },
  en: { again: 'Buy again', hint: 'Puts this order’s products in the cart again' },
};

/** 再来一单: the order's products go back into the shop's cart (added to what it holds) and the cart opens. */
export function BuyAgain({
  order,
  shopCode,
  shop,
  lang,
}: {
  order: Order;
  shopCode: string | null;
  shop: ShopData | null;
  lang: 'zh' | 'en';
}) {
  // The shop the order was placed in when this browser kept it, else the shop of the link (?s=) or the last visited.
  const found = shopCode ?? currentShopCode(queryParam('s'));
  if (!found || order.status === 'pending_payment') return null;
  const code: string = found;
  const t = text[lang];
  function again() {
    // The cart shows today's price from the shop when it is known; the order's amounts come from the server anyway.
    const lines = order.lines.reduce<CartLine[]>((cart, l) => {
      const known = shop?.products.find((p) => p.id === l.productId);
      const item = {
        id: l.productId,
        name: l.name,
        image: known?.image ?? null,
        retailFen: known?.retailFen ?? l.unitFen,
      };
      return addLine(cart, item, l.qty);
    }, loadCart(code));
    saveCart(code, lines);
    location.assign(cartUrl(code));
  }
  return (
    <button type="button" class="btn" onClick={again} aria-describedby="buy-again-hint">
      {t.again}
      <span id="buy-again-hint" class="visually-hidden">
        {t.hint}
      </span>
    </button>
  );
}
