// WeChat Pay API v3 payment notifications as WeChat sends them, made with node:crypto and keys made for the run
// (as test/wechatpay-fixtures.ts does in the Workers runtime): the Worker verifies them with the public key.
import { createCipheriv, createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** @param {number} length */
function randomAscii(length) {
  return [...randomBytes(length)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/**
 * @typedef {{ vars: Record<string, string>,
 *   notification(payment: { orderId: string, totalFen: number, now?: number }): { headers: Record<string, string>,
 *     body: string } }} WechatPayKit
 *   vars: the Worker's WECHAT_* settings; notification: a signed TRANSACTION.SUCCESS for the order
 */

/** A fresh platform key pair and merchant settings. @returns {WechatPayKit} */
export function createWechatPayKit() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const mchId = '1900000109';
  const appId = 'wx8888888888888888';
  const apiV3Key = randomAscii(32);
  const serial = 'PUB_KEY_ID_0119000001092026BENCH0000000000001';
  return {
    vars: {
      WECHAT_MCH_ID: mchId,
      WECHAT_APP_ID: appId,
      WECHAT_APIV3_KEY: apiV3Key,
      WECHAT_PLATFORM_PUBLIC_KEY: publicKey,
      WECHAT_PLATFORM_SERIAL: serial,
    },
    notification({ orderId, totalFen, now = Date.now() }) {
      const transaction = {
        appid: appId,
        mchid: mchId,
        out_trade_no: orderId,
        transaction_id: `4200${String(now).slice(-10)}${String(randomBytes(4).readUInt32BE()).padStart(10, '0')}`,
        trade_type: 'JSAPI',
        trade_state: 'SUCCESS',
        trade_state_desc: '支付成功',
        bank_type: 'OTHERS',
        success_time: new Date(now).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
        payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
        amount: { total: totalFen, payer_total: totalFen, currency: 'CNY', payer_currency: 'CNY' },
      };
      // AEAD_AES_256_GCM with the APIv3 key: the 16-byte tag is appended to the ciphertext, then base64.
      const nonce = randomAscii(12);
      const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
      cipher.setAAD(Buffer.from('transaction', 'utf8'));
      const sealed = Buffer.concat([
        cipher.update(JSON.stringify(transaction), 'utf8'),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      const timestamp = Math.floor(now / 1000);
      const body = JSON.stringify({
        id: randomUUID(),
        create_time: new Date(timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
        resource_type: 'encrypt-resource',
        event_type: 'TRANSACTION.SUCCESS',
        summary: '支付成功',
        resource: {
          original_type: 'transaction',
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext: sealed.toString('base64'),
          associated_data: 'transaction',
          nonce,
        },
      });
      const signatureNonce = randomAscii(32);
      const signature = createSign('RSA-SHA256')
        .update(`${timestamp}\n${signatureNonce}\n${body}\n`)
        .sign(privateKey, 'base64');
      return {
        headers: {
          'Content-Type': 'application/json',
          'Wechatpay-Nonce': signatureNonce,
          'Wechatpay-Serial': serial,
          'Wechatpay-Signature': signature,
          'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
          'Wechatpay-Timestamp': String(timestamp),
        },
        body,
      };
    },
  };
}

/**
 * The settings as a .env file for `wrangler dev --env-file`: double-quoted values, where dotenv turns \n back into
 * newlines (PEM keys). Values holding a double quote or a backslash are refused (dotenv would not unescape them).
 * @param {Record<string, string>} vars
 */
export function toEnvFile(vars) {
  const lines = Object.entries(vars).map(([key, value]) => {
    if (/["\\]/.test(value)) throw new Error(`${key}: a value with " or \\ cannot be written to a .env file`);
    return `${key}="${value.replaceAll('\n', '\\n')}"`;
  });
  return `${lines.join('\n')}\n`;
}
