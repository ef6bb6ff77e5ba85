import type { ApiError, ApiResult } from '../../lib/api';
import { readLang } from '../../lib/i18n';
import type { Order } from './types';

// Orders placed on this phone: a guest follows and pays them with the phone it gave and the order's token, which only
// this browser holds (GET /api/orders/{id}/track?phone=, header X-Order-Token).
export interface RememberedOrder {
  id: string;
  phone: string;
  shop: string | null;
  at: number;
  token?: string;
}

const KEY = 'agentry.orders';
const KEEP = 20;

export function rememberedOrders(): RememberedOrder[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter((o): o is RememberedOrder => typeof o?.id === 'string' && typeof o.phone === 'string')
      : [];
  } catch {
    return [];
  }
}

export function rememberOrder(order: RememberedOrder): void {
  try {
    const all = rememberedOrders();
    const token = order.token ?? all.find((o) => o.id === order.id)?.token;
    const rest = all.filter((o) => o.id !== order.id);
    localStorage.setItem(KEY, JSON.stringify([{ ...order, ...(token ? { token } : {}) }, ...rest].slice(0, KEEP)));
  } catch {
    // storage disabled: the order page asks for the phone instead
  }
}

export const rememberedOrder = (id: string) => rememberedOrders().find((o) => o.id === id) ?? null;

/** The header that proves this browser placed the guest order. */
export function orderTokenHeaders(id: string): Record<string, string> {
  const token = rememberedOrder(id)?.token;
  return token ? { 'X-Order-Token': token } : {};
}

/** A key per checkout attempt: a retry after a lost answer places no second order. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `co-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const networkError = {
  zh: '网络连接失败，请检查网络后重试',
  en: 'Network error; check your connection and try again',
};

/** POST /api/orders with an Idempotency-Key (lib/api.ts sends no extra headers); never throws. */
export async function placeOrder(body: unknown, idempotencyKey: string): Promise<ApiResult<Order>> {
  const lang = readLang();
  let res: Response;
  try {
    res = await fetch('/api/orders', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': lang === 'en' ? 'en' : 'zh-CN',
        'Content-Type': 'application/json',
        'Idempotency-Key': idempotencyKey,
      },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, error: { code: 'NETWORK', message: networkError[lang] } };
  }
  const json = (await res.json().catch(() => null)) as { error?: ApiError } | Order | null;
  if (res.ok && json) return { ok: true, status: res.status, data: json as Order };
  const error = (json as { error?: ApiError } | null)?.error;
  return {
    ok: false,
    status: res.status,
    error: error?.code ? error : { code: 'BAD_RESPONSE', message: networkError[lang] },
  };
}

/**
 * The part of a validation message that belongs under its input: "输入有误：shipping.phone：请输入…" → "请输入…"
 * (the field's path is for API clients, not for the person typing).
 */
export function forField(error: ApiError): ApiError {
  if (error.code !== 'VALIDATION_FAILED' || !error.field) return error;
  const parts = error.message.split(/：|: /);
  return { ...error, message: parts[parts.length - 1] ?? error.message };
}
