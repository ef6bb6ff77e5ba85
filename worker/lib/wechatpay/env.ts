// Reading WeChat Pay's settings from the Worker's secrets (wrangler secret put …; .dev.vars locally).
import { createPayClient, type PayClient } from './client';
import type { WechatMerchantConfig } from './config';

export interface WechatPayVars {
  WECHAT_MCH_ID?: string;
  WECHAT_APP_ID?: string;
  WECHAT_APIV3_KEY?: string;
  WECHAT_PLATFORM_PUBLIC_KEY?: string;
  WECHAT_PLATFORM_SERIAL?: string;
  WECHAT_MERCHANT_PRIVATE_KEY?: string;
  WECHAT_MERCHANT_SERIAL?: string;
  /** Default https://api.mch.weixin.qq.com; tests point it at a fake. */
  WECHATPAY_API_BASE?: string;
  /** '1' when the merchant has H5 payment (H5支付) enabled; otherwise phone browsers are told to open WeChat. */
  WECHATPAY_H5?: string;
  /** Milliseconds between retries, comma-separated (tests shorten them); default 300,1000. */
  WECHATPAY_BACKOFF_MS?: string;
}

/** Everything needed to call WeChat Pay (prepay, query, refund), or null when online payment is off. */
export function merchantConfigOf(env: WechatPayVars): WechatMerchantConfig | null {
  const e = env;
  if (
    !e.WECHAT_MCH_ID ||
    !e.WECHAT_APP_ID ||
    !e.WECHAT_APIV3_KEY ||
    !e.WECHAT_PLATFORM_PUBLIC_KEY ||
    !e.WECHAT_PLATFORM_SERIAL ||
    !e.WECHAT_MERCHANT_PRIVATE_KEY ||
    !e.WECHAT_MERCHANT_SERIAL
  )
    return null;
  return {
    mchId: e.WECHAT_MCH_ID,
    appId: e.WECHAT_APP_ID,
    apiV3Key: e.WECHAT_APIV3_KEY,
    platformPublicKeyPem: e.WECHAT_PLATFORM_PUBLIC_KEY,
    platformSerial: e.WECHAT_PLATFORM_SERIAL,
    merchantPrivateKeyPem: e.WECHAT_MERCHANT_PRIVATE_KEY,
    merchantSerial: e.WECHAT_MERCHANT_SERIAL,
  };
}

export function payClientOf(env: WechatPayVars, config: WechatMerchantConfig): PayClient {
  const backoff = env.WECHATPAY_BACKOFF_MS?.split(',')
    .map(Number)
    .filter((n) => Number.isFinite(n) && n >= 0);
  return createPayClient(config, {
    ...(env.WECHATPAY_API_BASE ? { base: env.WECHATPAY_API_BASE } : {}),
    ...(backoff?.length ? { backoff } : {}),
  });
}
