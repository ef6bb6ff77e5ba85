import { api } from '../../lib/api';
import { orderTokenHeaders } from './orders';
import type { Order } from './types';

/** The parameters of WeChat's JSAPI payment (POST /api/orders/{id}/pay). */
interface JsapiParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

interface WeixinBridge {
  invoke(name: string, params: JsapiParams, done: (res: { err_msg?: string }) => void): void;
}

export type PayOutcome =
  | { kind: 'paid'; order: Order }
  /** WeChat took the payment; its notification reaches the server on its own, so the caller polls. */
  | { kind: 'wechat' }
  /** Online payment is not available here (no merchant account, no simulator): pay offline instead. */
  | { kind: 'unavailable'; message: string }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

// The openid comes from WeChat's OAuth (snsapi_base) when the page runs inside WeChat; a later sign-in flow stores it
// here. Without one the API still answers (PAYMENT_UNAVAILABLE when no merchant account is configured).
const OPENID_KEY = 'agentry.openid';
const NO_OPENID = 'no-openid';

function openid(): string {
  try {
    return sessionStorage.getItem(OPENID_KEY) || NO_OPENID;
  } catch {
    return NO_OPENID;
  }
}

function bridge(): WeixinBridge | null {
  return (window as unknown as { WeixinJSBridge?: WeixinBridge }).WeixinJSBridge ?? null;
}

function wechatPay(params: JsapiParams): Promise<'ok' | 'cancel' | 'fail'> {
  const b = bridge();
  if (!b) return Promise.resolve('fail');
  return new Promise((resolve) =>
    b.invoke('getBrandWCPayRequest', params, (res) => {
      const msg = res.err_msg ?? '';
      resolve(msg.endsWith(':ok') ? 'ok' : msg.endsWith(':cancel') ? 'cancel' : 'fail');
    }),
  );
}

/**
 * Online payment: WeChat JSAPI through /pay; when that is unavailable, the local demo's simulator
 * (/simulate-payment, which answers 404 ROUTE_NOT_FOUND when it is off).
 */
export async function payOnline(orderId: string): Promise<PayOutcome> {
  const path = `/orders/${encodeURIComponent(orderId)}`;
  const headers = orderTokenHeaders(orderId);
  const pay = await api<JsapiParams>(`${path}/pay`, { method: 'POST', body: { openid: openid() }, headers });
  if (pay.ok) {
    const result = await wechatPay(pay.data);
    if (result === 'ok') return { kind: 'wechat' };
    if (result === 'cancel') return { kind: 'cancelled' };
  } else if (pay.error.code !== 'PAYMENT_UNAVAILABLE') {
    return { kind: 'error', message: pay.error.message };
  }
  const unavailable = pay.ok ? null : pay.error.message;
  const sim = await api<Order>(`${path}/simulate-payment`, { method: 'POST', headers });
  if (sim.ok) return { kind: 'paid', order: sim.data };
  if (sim.status === 404 && sim.error.code === 'ROUTE_NOT_FOUND') {
    return { kind: 'unavailable', message: unavailable ?? '' };
  }
  return { kind: 'error', message: sim.error.message };
}
