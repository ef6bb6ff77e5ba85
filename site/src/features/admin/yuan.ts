import { formatFen } from '../../lib/money';

// One yuan parser for every form (site/src/lib/money.ts).
export { parseYuanToFen } from '../../lib/money';

/** Fen as the text of an amount input ("159.00"), through the one money formatter. */
export function yuanInput(fen: number): string {
  return formatFen(fen).replace('¥', '');
}

/** A whole number typed in an input ("7", "０７"), or null. */
export function parseWhole(input: string): number | null {
  const text = input.trim().replace(/[０-９]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  return /^\d{1,9}$/.test(text) ? Number.parseInt(text, 10) : null;
}
