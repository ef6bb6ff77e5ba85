// JSAPI prepay (JSAPI下单) through the merchant API, and the parameters the page pays with.
import { z } from 'zod';
import { type WechatMerchantConfig, WechatPayError } from './config';
import { randomNonce, rsaSign, SIGNATURE_TYPE, verifyNotificationSignature } from './crypto';

const API_BASE = 'https://api.mch.weixin.qq.com';

export interface PaymentGateway {
  /**
   * Creates a JSAPI prepay order (JSAPI下单): POST https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi, signed
   * with the merchant certificate's private key (Authorization: WECHATPAY2-SHA256-RSA2048 …). Needs the internet.
   * `orderId` becomes out_trade_no (6–32 of [0-9A-Za-z_-|*], unique per merchant); `payerOpenId` is the buyer's
   * openid under `appId` (from snsapi_base OAuth); `notifyUrl` must be https without a query string.
   */
  createPrepay(input: {
    orderId: string;
    description: string;
    amountFen: number;
    payerOpenId: string;
    notifyUrl: string;
  }): Promise<{ prepayId: string }>;
}

/** The Authorization header value for a v3 API request. `timestamp` is epoch seconds. */
export async function wechatAuthorization(
  config: Pick<WechatMerchantConfig, 'mchId' | 'merchantPrivateKeyPem' | 'merchantSerial'>,
  request: { method: string; pathWithQuery: string; body: string; timestamp: number; nonce: string },
): Promise<string> {
  const { method, pathWithQuery, body, timestamp, nonce } = request;
  const signature = await rsaSign(
    config.merchantPrivateKeyPem,
    `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`,
  );
  return (
    `${SIGNATURE_TYPE} mchid="${config.mchId}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${timestamp}",serial_no="${config.merchantSerial}"`
  );
}

const prepayResponseSchema = z.object({ prepay_id: z.string().min(1) });
const errorResponseSchema = z.object({ code: z.string(), message: z.string() });

export function createWechatGateway(config: WechatMerchantConfig, fetcher: typeof fetch): PaymentGateway {
  return {
    async createPrepay(input) {
      if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(input.orderId)) {
        throw new WechatPayError('invalid_request', 'orderId must be 6-32 of [0-9A-Za-z_-|*]');
      }
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
        throw new WechatPayError('invalid_request', 'amountFen must be a positive integer');
      }
      if (input.description.length === 0 || input.description.length > 127) {
        throw new WechatPayError('invalid_request', 'description must be 1-127 characters');
      }
      const path = '/v3/pay/transactions/jsapi';
      const body = JSON.stringify({
        appid: config.appId,
        mchid: config.mchId,
        description: input.description,
        out_trade_no: input.orderId,
        notify_url: input.notifyUrl,
        amount: { total: input.amountFen, currency: 'CNY' },
        payer: { openid: input.payerOpenId },
      });
      const authorization = await wechatAuthorization(config, {
        method: 'POST',
        pathWithQuery: path,
        body,
        timestamp: Math.floor(Date.now() / 1000),
        nonce: randomNonce(),
      });
      let response: Response;
      try {
        response = await fetcher(`${API_BASE}${path}`, {
          method: 'POST',
          headers: {
            Authorization: authorization,
            Accept: 'application/json',
            'Content-Type': 'application/json',
            // v3 refuses requests without a User-Agent.
            'User-Agent': 'agentry-wechatpay/1',
          },
          body,
        });
      } catch (err) {
        throw new WechatPayError('gateway', `WeChat Pay is unreachable: ${String(err)}`);
      }
      const text = await response.text();
      if (!response.ok) {
        const error = errorResponseSchema.safeParse(safeJson(text));
        const detail = error.success ? `${error.data.code}: ${error.data.message}` : text.slice(0, 200);
        throw new WechatPayError('gateway', `WeChat Pay answered ${response.status} ${detail}`);
      }
      // Answers are signed like notifications; an unsigned "success" is not from WeChat Pay.
      const check = await verifyNotificationSignature(response.headers, text, config, Date.now());
      if (check !== 'ok') throw new WechatPayError('gateway', `WeChat Pay's answer failed verification: ${check}`);
      const parsed = prepayResponseSchema.safeParse(safeJson(text));
      if (!parsed.success) throw new WechatPayError('gateway', 'WeChat Pay answered without a prepay_id');
      return { prepayId: parsed.data.prepay_id };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/**
 * The object the page passes to WeixinJSBridge.invoke('getBrandWCPayRequest', …) or wx.chooseWXPay (there as
 * `timestamp`). paySign is RSASSA-PKCS1-v1_5 SHA-256 with the merchant key over
 * `${appId}\n${timeStamp}\n${nonceStr}\nprepay_id=${prepayId}\n`. `now` is epoch milliseconds.
 */
export async function jsapiPayParams(
  config: Pick<WechatMerchantConfig, 'appId' | 'merchantPrivateKeyPem'>,
  prepayId: string,
  now: number = Date.now(),
): Promise<JsapiPayParams> {
  const timeStamp = String(Math.floor(now / 1000));
  const nonceStr = randomNonce();
  const pkg = `prepay_id=${prepayId}`;
  const paySign = await rsaSign(config.merchantPrivateKeyPem, `${config.appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`);
  return { appId: config.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}
