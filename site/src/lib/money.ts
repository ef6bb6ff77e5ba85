/** Formats an integer amount of fen (分) as yuan: 1234 → ¥12.34, -5 → -¥0.05. The only place money is formatted. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`formatFen expects integer fen, got ${fen}`);
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${fen < 0 ? '-' : ''}¥${yuan}.${cents}`;
}

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
