// The cart: pure functions over a list of lines (cartStore.ts keeps one cart per shop in localStorage).
// Prices here are only for display; the order's amounts come from the server.

export interface CartLine {
  id: string;
  name: string;
  image: string | null;
  retailFen: number;
  qty: number;
}

export const MAX_QTY = 99;
export const MAX_LINES = 20;

const clamp = (qty: number) => Math.max(1, Math.min(MAX_QTY, Math.floor(qty)));

export function addLine(lines: readonly CartLine[], item: Omit<CartLine, 'qty'>, qty = 1): CartLine[] {
  const found = lines.find((l) => l.id === item.id);
  if (found) return lines.map((l) => (l.id === item.id ? { ...item, qty: clamp(l.qty + qty) } : l));
  if (lines.length >= MAX_LINES) return [...lines];
  return [...lines, { ...item, qty: clamp(qty) }];
}

export function setQty(lines: readonly CartLine[], id: string, qty: number): CartLine[] {
  return lines.map((l) => (l.id === id ? { ...l, qty: clamp(qty) } : l));
}

export function removeLine(lines: readonly CartLine[], id: string): CartLine[] {
  return lines.filter((l) => l.id !== id);
}

export const countOf = (lines: readonly CartLine[]) => lines.reduce((n, l) => n + l.qty, 0);
export const totalOf = (lines: readonly CartLine[]) => lines.reduce((sum, l) => sum + l.retailFen * l.qty, 0);
