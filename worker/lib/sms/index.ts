import type { Db, SmsSecrets } from '../../env';
import type { SmsProvider } from './provider';
import { simulatorSms } from './simulator';
import { tencentConfig, tencentSms } from './tencent';

export { type SmsMessage, type SmsProvider, SmsSendError } from './provider';

/**
 * The configured provider: Tencent Cloud when its five secrets are set, else the simulator when SMS_SIMULATOR=1 (only
 * npm start and the test setups set it), else none (code requests answer SMS_UNAVAILABLE).
 */
export function smsProvider(env: SmsSecrets, db: Db): SmsProvider | null {
  const tencent = tencentConfig(env);
  if (tencent) return tencentSms(tencent);
  if (env.SMS_SIMULATOR === '1') return simulatorSms(db);
  return null;
}

export function simulatorOn(env: SmsSecrets): boolean {
  return env.SMS_SIMULATOR === '1' && !tencentConfig(env);
}
