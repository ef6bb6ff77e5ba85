// PBKDF2-SHA256 through WebCrypto. Cloudflare caps the iteration count at 100,000, so that is what we use;
// the count is stored with the hash so it can be raised later without breaking old hashes.
const ITERATIONS = 100_000;

/**
 * The rounds new hashes get. TEST_PASSWORD_ITERATIONS (set only by the vitest config and the browser tests' server,
 * never in wrangler.toml) lowers it so the suites' hundreds of sign-ups and sign-ins run the same code path in a
 * fraction of the CPU; anything else, or a value out of 1,000..100,000, is the full count.
 */
export function iterationsFor(env: { TEST_PASSWORD_ITERATIONS?: string }): number {
  const n = Number(env.TEST_PASSWORD_ITERATIONS);
  return Number.isInteger(n) && n >= 1_000 && n <= ITERATIONS ? n : ITERATIONS;
}

function toB64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromB64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2$sha256$${iterations}$${toB64(salt)}$${toB64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, algo, iter, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'pbkdf2' || algo !== 'sha256' || !iter || !saltB64 || !hashB64) return false;
  const expected = fromB64(hashB64);
  const actual = await derive(password, fromB64(saltB64), Number(iter));
  if (actual.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) diff |= (actual[i] ?? 0) ^ (expected[i] ?? 0);
  return diff === 0;
}

// Compared against when the account does not exist, so a miss costs the same time as a wrong password.
export function dummyHash(iterations = ITERATIONS): string {
  return `pbkdf2$sha256$${iterations}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
}
