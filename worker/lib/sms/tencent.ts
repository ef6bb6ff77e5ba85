import { TC3_CONTENT_TYPE, tc3Sign } from '../../domain/tc3Sign';
import type { SmsSecrets } from '../../env';
import { type SmsMessage, type SmsProvider, SmsSendError } from './provider';

// Tencent Cloud SMS API 3.0, action SendSms (version 2021-01-11), signed with TC3-HMAC-SHA256.
// The template has two parameters: {1} the code, {2} the minutes it is valid.

export const TENCENT_SMS_HOST = 'sms.tencentcloudapi.com';
export const TENCENT_SMS_VERSION = '2021-01-11';
// SendSms is served from ap-guangzhou, ap-beijing and ap-nanjing alike; the region does not change who receives it.
const REGION = 'ap-guangzhou';

export interface TencentSmsConfig {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  templateId: string;
}

export function tencentConfig(env: SmsSecrets): TencentSmsConfig | null {
  const secretId = env.TENCENT_SMS_SECRET_ID?.trim();
  const secretKey = env.TENCENT_SMS_SECRET_KEY?.trim();
  const sdkAppId = env.TENCENT_SMS_SDK_APP_ID?.trim();
  const signName = env.TENCENT_SMS_SIGN_NAME?.trim();
  const templateId = env.TENCENT_SMS_TEMPLATE_ID?.trim();
  if (!secretId || !secretKey || !sdkAppId || !signName || !templateId) return null;
  return { secretId, secretKey, sdkAppId, signName, templateId };
}

interface SendSmsResponse {
  Response?: {
    Error?: { Code?: string; Message?: string };
    SendStatusSet?: { Code?: string; Message?: string }[];
    RequestId?: string;
  };
}

/** The SendSms body for one mainland number (E.164, +86). */
export function sendSmsBody(config: TencentSmsConfig, message: SmsMessage): string {
  return JSON.stringify({
    PhoneNumberSet: [`+86${message.phone}`],
    SmsSdkAppId: config.sdkAppId,
    SignName: config.signName,
    TemplateId: config.templateId,
    TemplateParamSet: [message.code, String(message.minutes)],
  });
}

export function tencentSms(
  config: TencentSmsConfig,
  fetcher: typeof fetch = fetch,
  clock: () => number = Date.now,
  endpoint = `https://${TENCENT_SMS_HOST}/`,
): SmsProvider {
  return {
    name: 'tencent',
    async send(message) {
      const payload = sendSmsBody(config, message);
      const timestamp = Math.floor(clock() / 1000);
      const { authorization } = await tc3Sign({
        secretId: config.secretId,
        secretKey: config.secretKey,
        service: 'sms',
        host: TENCENT_SMS_HOST,
        timestamp,
        payload,
      });
      let res: Response;
      try {
        res = await fetcher(endpoint, {
          method: 'POST',
          headers: {
            Authorization: authorization,
            'Content-Type': TC3_CONTENT_TYPE,
            Host: TENCENT_SMS_HOST,
            'X-TC-Action': 'SendSms',
            'X-TC-Version': TENCENT_SMS_VERSION,
            'X-TC-Timestamp': String(timestamp),
            'X-TC-Region': REGION,
          },
          body: payload,
          signal: AbortSignal.timeout(10_000),
        });
      } catch (err) {
        throw new SmsSendError('tencent', `request failed: ${String(err)}`);
      }
      const data = (await res.json().catch(() => ({}))) as SendSmsResponse;
      const error = data.Response?.Error;
      if (!res.ok || error) throw new SmsSendError('tencent', `${error?.Code ?? res.status}: ${error?.Message ?? ''}`);
      // A request can succeed while the number fails (e.g. LimitExceeded.PhoneNumberDailyLimit).
      const status = data.Response?.SendStatusSet?.[0];
      if (status?.Code !== 'Ok') throw new SmsSendError('tencent', `${status?.Code}: ${status?.Message ?? ''}`);
    },
  };
}
