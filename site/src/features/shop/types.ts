/** The data island the Worker writes into /s/<code> (worker/routes/shop.ts, ShopData): the page needs no API call. */
export interface ShopProduct {
  id: string;
  name: string;
  image: string | null;
  retailFen: number;
  category: string;
  /** Cloud model: the agent holds none, so the shop cannot take it. */
  soldOut: boolean;
}

export interface ShopData {
  code: string;
  name: string;
  levelName: string;
  certNumber: string | null;
  brandName: string;
  open: boolean;
  /** The signed-in member's own agent when it is not this shop's: it serves the order. */
  bound: { code: string; name: string } | null;
  products: ShopProduct[];
  more: boolean;
  categories: string[];
}

/** GET /api/products/{id} as the public sees it (retail price only). */
export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  images: string[];
  retailFen: number;
  onSale: boolean;
}

export const SHOP_CODE = /^[0-9a-z]{8}$/;
const REF_COOKIE = 'agentry_ref';
const REF_DAYS = 30;
const shopKey = (code: string) => `agentry.shop.${code}`;
const LAST_SHOP = 'agentry.lastShop';

export function isShopCode(value: string | null | undefined): value is string {
  return typeof value === 'string' && SHOP_CODE.test(value);
}

/** The island the Worker filled in, or null on a page without one. */
export function readShopData(): ShopData | null {
  const text = document.getElementById('shop-data')?.textContent;
  if (!text) return null;
  try {
    return JSON.parse(text) as ShopData;
  } catch {
    return null;
  }
}

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

/** The shop's name and products, kept from the last visit, so the product, cart and checkout pages can show them. */
export function rememberShop(data: ShopData): void {
  try {
    storage()?.setItem(shopKey(data.code), JSON.stringify(data));
    storage()?.setItem(LAST_SHOP, data.code);
  } catch {
    // storage full or disabled: the pages still work, with less context
  }
}

export function knownShop(code: string | null): ShopData | null {
  if (!isShopCode(code)) return null;
  try {
    const text = storage()?.getItem(shopKey(code));
    return text ? (JSON.parse(text) as ShopData) : null;
  } catch {
    return null;
  }
}

/** The shop of ?s=, else the last one visited. */
export function currentShopCode(fromQuery: string | null): string | null {
  if (isShopCode(fromQuery)) return fromQuery;
  const last = storage()?.getItem(LAST_SHOP) ?? null;
  return isShopCode(last) ? last : refCode();
}

/** The agent whose link the visitor came through (the cookie /s/<code> sets). */
export function refCode(): string | null {
  const match = document.cookie.match(/(?:^|;\s*)agentry_ref=([0-9a-z]{8})(?:;|$)/);
  return match?.[1] ?? null;
}

/** A product link shared on its own attributes the visitor as the shop link does. */
export function attribute(code: string): void {
  const secure = location.protocol === 'https:' ? '; secure' : '';
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in WeChat's and Safari's browsers.
  document.cookie = `${REF_COOKIE}=${code}; path=/; max-age=${REF_DAYS * 86_400}; samesite=lax${secure}`;
}

export const shopUrl = (code: string) => `/s/${code}`;
export const productUrl = (id: string, code: string | null) =>
  `/product?id=${encodeURIComponent(id)}${code ? `&s=${code}` : ''}`;
export const cartUrl = (code: string) => `/cart?s=${code}`;
export const checkoutUrl = (code: string) => `/checkout?s=${code}`;
