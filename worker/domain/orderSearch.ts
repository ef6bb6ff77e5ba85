// What a brand types into the order search, read as the ways it can match: an order id (or its start), a consignee's
// phone, a consignee's or an agent's name. Each way is answered from an index, so the search never scans orders.

import { normaliseOrderNumber } from './orderNumber';

export interface OrderSearchPlan {
  /** An order number (18 digits), exactly. */
  number?: string;
  /** Lower-case start of an order id, with its `ord_` prefix. */
  idPrefix?: string;
  /** A consignee's phone, exactly (spaces and dashes typed between digits are dropped). */
  phone?: string;
  /** A consignee's or an agent's name, exactly. */
  name?: string;
}

const PHONE = /^1[3-9]\d{9}$/;
const ID_BODY = /^[0-9a-z]{6,26}$/;

export function planOrderSearch(raw: string): OrderSearchPlan {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (!text) return {};
  const digits = text.replace(/^\+?86/, '').replace(/[\s-]/g, '');
  if (PHONE.test(digits)) return { phone: digits };
  const number = normaliseOrderNumber(text);
  if (number) return { number };
  const lower = text.toLowerCase();
  if (lower.startsWith('ord_')) {
    const body = lower.slice(4);
    return /^[0-9a-z]{1,26}$/.test(body) ? { idPrefix: lower } : {};
  }
  // A run of letters and digits may be the start of an id copied without its prefix, or a name written in letters.
  if (ID_BODY.test(lower)) return { idPrefix: `ord_${lower}`, name: text };
  return text.length <= 40 ? { name: text } : {};
}

/** The exclusive upper bound of the ids that start with `prefix` ('{' sorts right after 'z'). */
export function prefixEnd(prefix: string): string {
  return `${prefix}{`;
}
