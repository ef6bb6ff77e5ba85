// What a buyer may ask back in an after-sales request: units of its lines not yet refunded. No lines means
// everything not yet refunded.

export interface RefundableLine {
  productId: string;
  qty: number;
  refundedQty: number;
  unitFen: number;
}

export type AskedLines =
  | { ok: true; lines: { productId: string; qty: number }[]; amountFen: number }
  | { ok: false; productId: string | null };

export function askedLines(
  lines: readonly RefundableLine[],
  wanted: readonly { productId: string; qty: number }[] | undefined,
): AskedLines {
  const asked = wanted ?? lines.map((l) => ({ productId: l.productId, qty: l.qty - l.refundedQty }));
  const out: { productId: string; qty: number }[] = [];
  let amountFen = 0;
  for (const want of asked) {
    const line = lines.find((l) => l.productId === want.productId);
    if (!line || want.qty > line.qty - line.refundedQty) return { ok: false, productId: want.productId };
    if (want.qty === 0) continue;
    out.push({ productId: want.productId, qty: want.qty });
    amountFen += want.qty * line.unitFen;
  }
  if (out.length === 0 || amountFen <= 0) return { ok: false, productId: null };
  return { ok: true, lines: out, amountFen };
}
