// Password hashes in the exact format of worker/lib/password.ts, so the Worker verifies what node wrote:
// pbkdf2$sha256$100000$<salt, base64>$<hash, base64>, PBKDF2-SHA256 with a 16-byte salt and a 32-byte key.
import { pbkdf2Sync, randomBytes } from 'node:crypto';

export const ITERATIONS = 100_000;

/**
 * @param {string} password
 * @param {Buffer} [salt] 16 random bytes unless given (tests only)
 */
export function hashPassword(password, salt = randomBytes(16)) {
  const hash = pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  return `pbkdf2$sha256$${ITERATIONS}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** @param {string} password @param {string} stored */
export function verifyPassword(password, stored) {
  const [scheme, algo, iter, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'pbkdf2' || algo !== 'sha256' || !iter || !saltB64 || !hashB64) return false;
  const actual = pbkdf2Sync(password, Buffer.from(saltB64, 'base64'), Number(iter), 32, 'sha256');
  return actual.toString('base64') === hashB64;
}
