import { formatFen } from '../../lib/money';

const FULL_WIDTH = /[０-９．。]/g;

/**
 * Parses an amount typed in yuan ("12", "12.3", "12.34", "¥1,234.50", full-width digits too) into integer fen,
 * digit by digit so no float is ever involved. Anything else (more than two decimals, signs, letters) is null.
 */
export function parseYuanToFen(input: string): number | null {
  const text = input
    .trim()
    .replace(FULL_WIDTH, (ch) => (ch === '．' || ch === '。' ? '.' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)))
    .replace(/^[¥￥]\s*/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  const match = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(text) ?? /^()\.(\d{1,2})$/.exec(text);
  if (!match) return null;
  const yuan = match[1] ? Number.parseInt(match[1], 10) : 0;
  const cents = Number.parseInt((match[2] ?? '').padEnd(2, '0'), 10);
  return yuan * 100 + cents;
}

/** Fen as the text of an amount input ("159.00"), through the one money formatter. */
export function yuanInput(fen: number): string {
  return formatFen(fen).replace('¥', '');
}

/** A whole number typed in an input ("7", "０７"), or null. */
export function parseWhole(input: string): number | null {
  const text = input.trim().replace(/[０-９]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  return /^\d{1,9}$/.test(text) ? Number.parseInt(text, 10) : null;
}
