// Crockford base32: no I, L, O, U, so printed numbers are not misread.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomBase32(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += alphabet[b & 31];
  return out;
}

function timePart(now: number): string {
  let t = now;
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = alphabet[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

// cbt code batch, cbd code binding, ins inspection case, ntc notice to an agent, sms an SMS verification code,
// rcd a reconciliation difference, rfd a refund sent to WeChat Pay (its out_refund_no), afs an after-sales request,
// gft a gift, rul an incentive rule, mat a 素材 (share copy and pictures the brand posts for agents).
export type IdPrefix =
  | 'adr'
  | 'agt'
  | 'app'
  | 'mem'
  | 'adm'
  | 'aud'
  | 'prd'
  | 'ord'
  | 'txn'
  | 'wdr'
  | 'cbt'
  | 'cbd'
  | 'ins'
  | 'ntc'
  | 'sms'
  | 'rcd'
  | 'rfd'
  | 'afs'
  | 'gft'
  | 'rul'
  | 'mat';

// Time-sortable ids (so cursors follow creation order) with 80 random bits (so they cannot be guessed).
export function newId(prefix: IdPrefix, now = Date.now()): string {
  return `${prefix}_${timePart(now)}${randomBase32(16)}`.toLowerCase();
}

// The smallest id of `prefix` made at `ms` or later: ids made in [a, b) are exactly those in [idFloor(a), idFloor(b)).
export function idFloor(prefix: IdPrefix, ms: number): string {
  return `${prefix}_${timePart(ms)}`.toLowerCase();
}

// The time an id was made at (its first ten characters after the prefix), or null if it is no such id.
export function idTime(id: string): number | null {
  const part = id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11).toUpperCase();
  let t = 0;
  for (const ch of part) {
    const v = alphabet.indexOf(ch);
    if (v < 0) return null;
    t = t * 32 + v;
  }
  return part.length === 10 ? t : null;
}

// Certificate numbers are read aloud and typed in: 'AG' + year + 16 random base32 characters (80 bits).
export function newCertificateNumber(now = Date.now()): string {
  return `AG${new Date(now).getUTCFullYear()}${randomBase32(16)}`;
}

// Short public code for shop and invite links (40 random bits; links are public, not secrets).
export function newAgentCode(): string {
  return randomBase32(8).toLowerCase();
}

export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
