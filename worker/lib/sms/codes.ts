import { changedGuard } from '../../../db/guard';
import { newId, randomBase32 } from '../../../db/ids';
import type { SmsPurpose } from '../../../db/schema';
import { codeExists, consumeCode, spendTry, upsertCode } from '../../../db/smsCodes';
import { CODE_MINUTES, CODE_TTL_MS, codeFromRandom, codeMatches, hashCode, MAX_TRIES } from '../../domain/smsCode';
import type { Db, SmsSecrets } from '../../env';
import { AppError } from '../../errors';
import { assertWithinLimit, countHit, type Limit } from '../rateLimit';
import { SmsSendError, smsProvider } from './index';

// Sending a code and proving a phone with it.

/**
 * Per phone one a minute for each purpose (a signup then a lookup need not wait) and five an hour in all; per address
 * twenty an hour.
 */
export function codeLimits(phone: string, purpose: SmsPurpose, ip: string): Limit[] {
  return [
    { key: `sms:phone:${phone}:${purpose}:1m`, max: 1, windowSeconds: 60 },
    { key: `sms:phone:${phone}:1h`, max: 5, windowSeconds: 3600 },
    { key: `sms:ip:${ip}`, max: 20, windowSeconds: 3600 },
  ];
}

function newCode(): string {
  for (;;) {
    const code = codeFromRandom(crypto.getRandomValues(new Uint32Array(4)));
    if (code) return code;
  }
}

/**
 * Sends a new code for the phone and purpose (replacing the last one). The same answer whether or not the phone has
 * an account, so the request does not tell who is registered.
 */
export async function sendCode(
  env: SmsSecrets,
  db: Db,
  input: { phone: string; purpose: SmsPurpose; ip: string },
): Promise<void> {
  const provider = smsProvider(env, db);
  if (!provider) throw new AppError('SMS_UNAVAILABLE');
  const now = Date.now();
  const [phoneMinute, phoneHour, byIp] = codeLimits(input.phone, input.purpose, input.ip) as [Limit, Limit, Limit];
  const [a, b, c] = await db.batch([
    countHit(db, byIp, now),
    countHit(db, phoneMinute, now),
    countHit(db, phoneHour, now),
  ]);
  assertWithinLimit(byIp, a[0]?.count, now);
  assertWithinLimit(phoneMinute, b[0]?.count, now);
  assertWithinLimit(phoneHour, c[0]?.count, now);

  const code = newCode();
  try {
    await provider.send({ phone: input.phone, purpose: input.purpose, code, minutes: CODE_MINUTES });
  } catch (err) {
    if (!(err instanceof SmsSendError)) throw err;
    console.error(
      JSON.stringify({ level: 'error', msg: 'sms send failed', provider: err.provider, detail: err.detail }),
    );
    throw new AppError('SMS_UNAVAILABLE');
  }
  const hash = await hashCode(randomBase32(16), code);
  await upsertCode(db, { id: newId('sms', now), ...input, hash, expiresAt: now + CODE_TTL_MS, now });
}

export interface PhoneProof {
  /** The code's id: what a binding records as its proof (bound_proof_ref). */
  id: string;
  hash: string;
}

/**
 * Checks a code, spending one of its five attempts. A wrong, expired, spent or unknown code is SMS_CODE_INVALID
 * (field smsCode). The code stays until the operation's batch consumes it (proofWrites).
 */
export async function provePhone(db: Db, phone: string, purpose: SmsPurpose, code: string): Promise<PhoneProof> {
  const [live] = await spendTry(db, phone, purpose, Date.now(), MAX_TRIES);
  if (!live || !(await codeMatches(live.hash, code))) throw new AppError('SMS_CODE_INVALID', { field: 'smsCode' });
  return live;
}

/** The first two items of the proved operation's batch: the code is used once, or the batch aborts. */
export function proofWrites(db: Db, proof: PhoneProof) {
  return [consumeCode(db, proof), changedGuard(db)] as const;
}

/** After a guard failure: was it the code, taken by a concurrent request (then SMS_CODE_INVALID)? */
export async function proofTaken(db: Db, proof: PhoneProof): Promise<boolean> {
  return !(await codeExists(db, proof.id));
}
