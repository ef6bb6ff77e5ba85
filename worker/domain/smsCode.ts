// SMS verification codes: six digits, valid five minutes, five attempts. Pure: WebCrypto only, no I/O.

export const CODE_MINUTES = 5;
export const CODE_TTL_MS = CODE_MINUTES * 60_000;
export const MAX_TRIES = 5;

// The largest multiple of 10^6 below 2^32: values at or above it are drawn again, so every code is equally likely.
const UNBIASED_BOUND = 4_294_000_000;

/** A six-digit code from random 32-bit values; null if all of them fell in the biased tail (1 in 6,000 each). */
export function codeFromRandom(values: Uint32Array): string | null {
  for (const v of values) if (v < UNBIASED_BOUND) return String(v % 1_000_000).padStart(6, '0');
  return null;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What is stored: `salt:SHA-256(salt:code)`, so the table never holds a usable code. */
export async function hashCode(salt: string, code: string): Promise<string> {
  return `${salt}:${await sha256Hex(`${salt}:${code}`)}`;
}

export async function codeMatches(stored: string, code: string): Promise<boolean> {
  const salt = stored.slice(0, stored.indexOf(':'));
  if (!salt) return false;
  const candidate = await hashCode(salt, code);
  // Same length by construction; compare every character so timing says nothing about where they differ.
  let diff = candidate.length ^ stored.length;
  for (let i = 0; i < candidate.length; i++) diff |= candidate.charCodeAt(i) ^ stored.charCodeAt(i);
  return diff === 0;
}
