// A row of a shipping spreadsheet (order number, carrier, tracking number) as typed by a person: checked on its own,
// so one bad row is reported with its reason and the others still ship.

export interface ShipRowInput {
  order: string;
  carrier: string;
  trackingNo: string;
}

export type ShipRowCheck =
  | { ok: true; orderId: string; carrier: string; trackingNo: string }
  | { ok: false; field: 'order' | 'carrier' | 'trackingNo' };

const ORDER_ID = /^ord_[0-9a-z]{26}$/;
const TRACKING_NO = /^[A-Za-z0-9-]{4,40}$/;

export function checkShipRow(row: ShipRowInput): ShipRowCheck {
  const orderId = row.order.trim().toLowerCase();
  if (!ORDER_ID.test(orderId)) return { ok: false, field: 'order' };
  const carrier = row.carrier.trim();
  if (!carrier || carrier.length > 40) return { ok: false, field: 'carrier' };
  // Spreadsheets often show long numbers with spaces; those are not part of the number.
  const trackingNo = row.trackingNo.replace(/\s+/g, '');
  if (!TRACKING_NO.test(trackingNo)) return { ok: false, field: 'trackingNo' };
  return { ok: true, orderId, carrier, trackingNo };
}
