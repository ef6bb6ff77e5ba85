import { type CartLine, MAX_LINES } from './cart';

const key = (code: string) => `agentry.cart.${code}`;

function isLine(value: unknown): value is CartLine {
  const l = value as CartLine;
  return (
    typeof l?.id === 'string' &&
    typeof l.name === 'string' &&
    Number.isSafeInteger(l.retailFen) &&
    Number.isSafeInteger(l.qty) &&
    l.qty > 0
  );
}

export function loadCart(code: string): CartLine[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(code)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isLine).slice(0, MAX_LINES) : [];
  } catch {
    return [];
  }
}

export function saveCart(code: string, lines: readonly CartLine[]): void {
  try {
    if (lines.length === 0) localStorage.removeItem(key(code));
    else localStorage.setItem(key(code), JSON.stringify(lines));
  } catch {
    // storage disabled (private mode): the cart lives as long as the page
  }
}
