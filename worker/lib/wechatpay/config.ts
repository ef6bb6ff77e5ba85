// WeChat Pay API v3 (微信支付 APIv3) for a direct merchant (普通商户): the merchant's keys and the error type.

export interface WechatPayConfig {
  mchId: string;
  appId: string;
  /** APIv3 key (APIv3密钥) set in the merchant portal: 32 ASCII characters. */
  apiV3Key: string;
  /** WeChat Pay platform public key (微信支付公钥), SPKI PEM: '-----BEGIN PUBLIC KEY-----'. */
  platformPublicKeyPem: string;
  /** Its id as WeChat sends it in Wechatpay-Serial (e.g. 'PUB_KEY_ID_0112…'). */
  platformSerial: string;
}

export type WechatPayErrorCode = 'config' | 'decrypt' | 'invalid_request' | 'gateway';

export class WechatPayError extends Error {
  override readonly name = 'WechatPayError';
  constructor(
    readonly code: WechatPayErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface WechatMerchantConfig extends WechatPayConfig {
  /** Merchant API private key (apiclient_key.pem), PKCS#8 PEM: '-----BEGIN PRIVATE KEY-----'. */
  merchantPrivateKeyPem: string;
  /** Serial number of the merchant API certificate (商户API证书序列号). */
  merchantSerial: string;
}
