// The shop link's share card inside WeChat: WeChat shows a title, description and thumbnail only when the page calls
// the JS-SDK share API after wx.config with a signature from the server (GET /api/wechat/js-config). Loaded by
// pages/shop-template.astro only in WeChat and after the page has loaded; elsewhere the Open Graph tags serve.
import { api } from '../../lib/api';
import { readShopData } from '../shop/types';

const SDK_URL = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js';
// WeChat's share thumbnails are PNG or JPEG.
const PICTURE = /\.(?:png|jpe?g)(?:[?#]|$)/i;

interface JsConfig {
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

export interface ShareCard {
  title: string;
  desc: string;
  link: string;
  imgUrl: string;
}

interface Wx {
  config(options: JsConfig & { debug: boolean; jsApiList: string[] }): void;
  ready(callback: () => void): void;
  error(callback: (res: unknown) => void): void;
  updateAppMessageShareData(data: ShareCard): void;
  updateTimelineShareData(data: Omit<ShareCard, 'desc'>): void;
}

declare global {
  interface Window {
    wx?: Wx;
  }
}

function meta(property: string): string {
  return document.querySelector(`meta[property="${property}"]`)?.getAttribute('content') ?? '';
}

/** The card from what the Worker wrote into the page: the Open Graph tags and the #shop-data island. */
export function shareCard(): ShareCard {
  const data = readShopData();
  const picture = data?.products.map((p) => p.image).find((src) => src && PICTURE.test(src));
  const shopLink = data ? new URL(`/s/${data.code}`, location.origin).href : '';
  return {
    title: meta('og:title') || document.title,
    desc: meta('og:description'),
    link: meta('og:url') || shopLink || location.href.split('#')[0] || '',
    imgUrl: picture ? new URL(picture, location.origin).href : meta('og:image'),
  };
}

function loadSdk(): Promise<Wx> {
  return new Promise((resolve, reject) => {
    if (window.wx) return resolve(window.wx);
    const script = document.createElement('script');
    script.src = SDK_URL;
    script.async = true;
    script.onload = () => (window.wx ? resolve(window.wx) : reject(new Error('jweixin loaded without wx')));
    script.onerror = () => reject(new Error('jweixin did not load'));
    document.head.append(script);
  });
}

/**
 * Signs this page and sets the card for 发送给朋友 and 分享到朋友圈. Without an Official Account (404) or when
 * WeChat is unreachable nothing changes: WeChat then shows its default card.
 */
export async function setShareCard(): Promise<void> {
  // WeChat signs the URL as the page sees it, query included (WeChat adds ?from=…), without the #fragment.
  const url = location.href.split('#')[0] ?? location.href;
  const config = await api<JsConfig>('/wechat/js-config', { query: { url } });
  if (!config.ok) return;
  const wx = await loadSdk().catch(() => null);
  if (!wx) return;
  const card = shareCard();
  wx.config({
    debug: false,
    ...config.data,
    jsApiList: ['updateAppMessageShareData', 'updateTimelineShareData'],
  });
  wx.ready(() => {
    wx.updateAppMessageShareData(card);
    wx.updateTimelineShareData({ title: card.title, link: card.link, imgUrl: card.imgUrl });
  });
  // A refused signature (e.g. the page is not on the JS safe domain) leaves WeChat's default card.
  wx.error(() => undefined);
}
