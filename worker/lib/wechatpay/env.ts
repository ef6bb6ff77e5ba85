// The merchant's WeChat Pay keys from secrets (wrangler secret put …; .dev.vars locally), for payouts and bills.
import type { CallOptions } from './client';
import type { WechatMerchantConfig } from './config';

export interface WechatPaySecrets {
  WECHAT_MCH_ID?: string;
  WECHAT_APP_ID?: string;
  WECHAT_APIV3_KEY?: string;
  WECHAT_PLATFORM_PUBLIC_KEY?: string;
  WECHAT_PLATFORM_SERIAL?: string;
  WECHAT_MERCHANT_PRIVATE_KEY?: string;
  WECHAT_MERCHANT_SERIAL?: string;
  /** Only for a relay or the tests' fake; unset means https://api.mch.weixin.qq.com. */
  WECHAT_PAY_API_BASE?: string;
}

/** All seven keys, or null: transfers and bills need the merchant's private key as well as the platform's. */
export function merchantConfigOf(env: object): WechatMerchantConfig | null {
  const e = env as WechatPaySecrets;
  const need = [
    e.WECHAT_MCH_ID,
    e.WECHAT_APP_ID,
    e.WECHAT_APIV3_KEY,
    e.WECHAT_PLATFORM_PUBLIC_KEY,
    e.WECHAT_PLATFORM_SERIAL,
    e.WECHAT_MERCHANT_PRIVATE_KEY,
    e.WECHAT_MERCHANT_SERIAL,
  ];
  if (need.some((v) => !v)) return null;
  return {
    mchId: e.WECHAT_MCH_ID as string,
    appId: e.WECHAT_APP_ID as string,
    apiV3Key: e.WECHAT_APIV3_KEY as string,
    platformPublicKeyPem: e.WECHAT_PLATFORM_PUBLIC_KEY as string,
    platformSerial: e.WECHAT_PLATFORM_SERIAL as string,
    merchantPrivateKeyPem: e.WECHAT_MERCHANT_PRIVATE_KEY as string,
    merchantSerial: e.WECHAT_MERCHANT_SERIAL as string,
  };
}

/** How calls go out: the global fetch looked up at call time, the configured base, WeChat's retry pacing. */
export function callOptionsOf(env: object, overrides: Partial<CallOptions> = {}): CallOptions {
  const base = (env as WechatPaySecrets).WECHAT_PAY_API_BASE?.trim();
  return {
    fetcher: (input, init) => fetch(input, init),
    ...(base ? { apiBase: base } : {}),
    ...overrides,
  };
}
