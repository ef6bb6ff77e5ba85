import { api } from '../../lib/api';
import { orderTokenHeaders } from './orders';
import type { Order } from './types';

/** The parameters of WeChat's JSAPI payment (POST /api/orders/{id}/pay, channel jsapi). */
interface JsapiParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

interface PayStart {
  channel: 'jsapi' | 'native' | 'h5';
  jsapi?: JsapiParams;
  codeUrl?: string;
  qrSvg?: string;
  h5Url?: string;
}

interface WeixinBridge {
  invoke(name: string, params: JsapiParams, done: (res: { err_msg?: string }) => void): void;
}

export type PayOutcome =
  | { kind: 'paid'; order: Order }
  /** WeChat took the payment; its notification reaches the server on its own, so the caller polls. */
  | { kind: 'wechat' }
  /** Native: a QR code to scan with WeChat; the caller polls until the order is paid. */
  | { kind: 'qr'; svg: string; codeUrl: string }
  /** Online payment is not available here (no merchant account, or not in WeChat): say so, offer offline. */
  | { kind: 'unavailable'; message: string }
  | { kind: 'cancelled' }
  | { kind: 'failed' }
  | { kind: 'error'; message: string };

// In WeChat: JSAPI with the openid the server got from OAuth. A phone browser: H5 (the server says when it is off).
// A desktop: Native, a QR code to scan with WeChat.
export function channelHere(): PayStart['channel'] {
  const ua = navigator.userAgent;
  if (/MicroMessenger/i.test(ua)) return 'jsapi';
  return /Mobi|Android|iPhone|iPad/i.test(ua) ? 'h5' : 'native';
}

function bridge(): Promise<WeixinBridge | null> {
  const now = (window as unknown as { WeixinJSBridge?: WeixinBridge }).WeixinJSBridge;
  if (now) return Promise.resolve(now);
  // WeChat injects the bridge shortly after load and says so with this event.
  return new Promise((resolve) => {
    const done = () => resolve((window as unknown as { WeixinJSBridge?: WeixinBridge }).WeixinJSBridge ?? null);
    document.addEventListener('WeixinJSBridgeReady', done, { once: true });
    setTimeout(done, 3000);
  });
}

async function wechatPay(params: JsapiParams): Promise<'ok' | 'cancel' | 'fail'> {
  const b = await bridge();
  if (!b) return 'fail';
  return new Promise((resolve) =>
    b.invoke('getBrandWCPayRequest', params, (res) => {
      const msg = res.err_msg ?? '';
      resolve(msg.endsWith(':ok') ? 'ok' : msg.endsWith(':cancel') ? 'cancel' : 'fail');
    }),
  );
}

/**
 * Online payment through WeChat Pay for this device; when the merchant account is not configured, the local demo's
 * simulator (/simulate-payment, which answers 404 ROUTE_NOT_FOUND when it is off).
 */
export async function payOnline(orderId: string): Promise<PayOutcome> {
  const path = `/orders/${encodeURIComponent(orderId)}`;
  const headers = orderTokenHeaders(orderId);
  const pay = await api<PayStart>(`${path}/pay`, { method: 'POST', body: { channel: channelHere() }, headers });
  if (pay.ok) {
    const start = pay.data;
    if (start.channel === 'native' && start.qrSvg && start.codeUrl) {
      return { kind: 'qr', svg: start.qrSvg, codeUrl: start.codeUrl };
    }
    if (start.channel === 'h5' && start.h5Url) {
      // WeChat's H5 page returns here (redirect_url) when the payer is done.
      location.assign(`${start.h5Url}&redirect_url=${encodeURIComponent(location.href)}`);
      return { kind: 'wechat' };
    }
    if (!start.jsapi) return { kind: 'failed' };
    const result = await wechatPay(start.jsapi);
    if (result === 'ok') return { kind: 'wechat' };
    return { kind: result === 'cancel' ? 'cancelled' : 'failed' };
  }
  if (pay.error.code === 'OPEN_IN_WECHAT') return { kind: 'unavailable', message: pay.error.message };
  if (pay.error.code !== 'PAYMENT_UNAVAILABLE') return { kind: 'error', message: pay.error.message };
  const sim = await api<Order>(`${path}/simulate-payment`, { method: 'POST', headers });
  if (sim.ok) return { kind: 'paid', order: sim.data };
  if (sim.status === 404 && sim.error.code === 'ROUTE_NOT_FOUND') {
    return { kind: 'unavailable', message: pay.error.message };
  }
  return { kind: 'error', message: sim.error.message };
}

/** Asks the server to ask WeChat Pay (query by out_trade_no): a late notification's payment is booked then. */
export async function syncPayment(orderId: string): Promise<Order | null> {
  const res = await api<{ tradeState: string; order: Order }>(`/orders/${encodeURIComponent(orderId)}/pay/sync`, {
    method: 'POST',
    headers: orderTokenHeaders(orderId),
  });
  return res.ok ? res.data.order : null;
}
