// Anti-counterfeit codes (防伪码): 16 Crockford base32 characters (80 random bits), stored bare, printed in groups
// of four. People type them off a label, so input forgives case, spaces, hyphens, full-width characters and the
// letters Crockford reads as digits (I and L as 1, O as 0).

export const CODE_LENGTH = 16;
export const SERIAL_DIGITS = 10;

const bare = /^[0-9A-HJKMNP-TV-Z]{16}$/;

export function isCode(text: string): boolean {
  return bare.test(text);
}

/** The stored form of what someone typed, or null when it cannot be a code. */
export function normaliseCode(input: string): string | null {
  const text = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―−]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return isCode(text) ? text : null;
}

/** XXXX-XXXX-XXXX-XXXX, as printed on the label. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** The printed serial: zero-padded to ten digits. */
export function serialLabel(serial: number): string {
  return String(serial).padStart(SERIAL_DIGITS, '0');
}
