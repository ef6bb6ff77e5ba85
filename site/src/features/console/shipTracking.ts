// The carrier and tracking number of an order to ship: the carrier list, the last carrier used, the checks.
import type { ShipText } from './shipText';
import type { OrderSummary } from './types';

export interface Tracking {
  carrier: string;
  trackingNo: string;
}
export interface RowErrors {
  carrier?: string;
  trackingNo?: string;
  top?: string;
}

export { CARRIERS } from '../../lib/carriers';

const CARRIER_KEY = 'agentry.carrier';
const TRACKING_NO = /^[A-Za-z0-9-]{4,40}$/;

export function lastCarrier(): string {
  try {
    return localStorage.getItem(CARRIER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberCarrier(carrier: string) {
  try {
    localStorage.setItem(CARRIER_KEY, carrier);
  } catch {
    // Private mode: nothing to remember.
  }
}

// A restock in my "to ship" list takes my cloud stock: shipping delivers it into the buyer's cloud stock, no parcel.
export const needsParcel = (o: OrderSummary) => o.kind !== 'restock';

export function checkTracking(tracking: Tracking, t: ShipText): RowErrors {
  const errors: RowErrors = {};
  if (!tracking.carrier.trim()) errors.carrier = t.needCarrier;
  if (!tracking.trackingNo.trim()) errors.trackingNo = t.needTracking;
  else if (!TRACKING_NO.test(tracking.trackingNo.trim())) errors.trackingNo = t.badTracking;
  return errors;
}
