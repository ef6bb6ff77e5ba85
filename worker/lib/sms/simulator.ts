import { and, eq, gt } from 'drizzle-orm';
import { kvCache, type SmsPurpose } from '../../../db/schema';
import type { Db } from '../../env';
import type { SmsProvider } from './provider';

// Local stand-in for an SMS provider (npm start and the tests only): the last code per phone is printed to the
// wrangler log and kept in kv_cache, where GET /api/dev/sms?phone= reads it, as a phone would show it.

const key = (phone: string) => `sms-sim:${phone}`;

export interface SimulatedSms {
  phone: string;
  purpose: SmsPurpose;
  code: string;
  sentAt: number;
}

export function simulatorSms(db: Db, clock: () => number = Date.now): SmsProvider {
  return {
    name: 'simulator',
    async send({ phone, purpose, code, minutes }) {
      const sentAt = clock();
      const value = JSON.stringify({ phone, purpose, code, sentAt } satisfies SimulatedSms);
      await db
        .insert(kvCache)
        .values({ key: key(phone), value, expiresAt: sentAt + minutes * 60_000 })
        .onConflictDoUpdate({ target: kvCache.key, set: { value, expiresAt: sentAt + minutes * 60_000 } });
      console.log(`[sms simulator] ${phone} ${purpose}: 验证码 ${code}，${minutes} 分钟内有效`);
    },
  };
}

export async function lastSimulated(db: Db, phone: string, now = Date.now()): Promise<SimulatedSms | null> {
  const [row] = await db
    .select({ value: kvCache.value })
    .from(kvCache)
    .where(and(eq(kvCache.key, key(phone)), gt(kvCache.expiresAt, now)))
    .limit(1);
  return row ? (JSON.parse(row.value) as SimulatedSms) : null;
}
