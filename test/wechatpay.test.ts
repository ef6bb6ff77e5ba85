import { describe, expect, it } from 'vitest';
import { createPayClient } from '../worker/lib/wechatpay/client';
import { WechatPayError } from '../worker/lib/wechatpay/config';
import { decryptResource, verifyNotificationSignature } from '../worker/lib/wechatpay/crypto';
import { parsePaymentNotification, wechatAck, wechatNack } from '../worker/lib/wechatpay/notification';
import { createWechatGateway, jsapiPayParams } from '../worker/lib/wechatpay/prepay';
import { parseRefundNotification } from '../worker/lib/wechatpay/refunds';
import {
  createWechatPayTestKit,
  encryptResource,
  fakeWechatFetcher,
  generateRsaKeys,
  randomAscii,
  rsaVerify,
  signAndEncryptNotification,
  wechatSignedHeaders,
} from './wechatpay-fixtures';

const kit = await createWechatPayTestKit();
const { config } = kit;
const otherKeys = await generateRsaKeys();
const NOW = Date.UTC(2025, 0, 1, 4, 0, 0);
const nowSeconds = Math.floor(NOW / 1000);
const paid = kit.transaction({ out_trade_no: 'ord_01jq7x3k9v2m', total: 29_900 });

function notify(over: Partial<Parameters<typeof signAndEncryptNotification>[0]> = {}) {
  return signAndEncryptNotification({
    transaction: paid,
    privateKey: kit.platform.privateKey,
    apiV3Key: config.apiV3Key,
    serial: config.platformSerial,
    timestamp: nowSeconds,
    nonce: randomAscii(32),
    ...over,
  });
}

// Signed correctly by the platform key, whatever the body says.
async function signedBody(body: string) {
  const headers = await wechatSignedHeaders({
    body,
    privateKey: kit.platform.privateKey,
    serial: config.platformSerial,
    timestamp: nowSeconds,
    nonce: randomAscii(32),
  });
  return { headers, body };
}

async function refusal(message: { headers: Headers; body: string }, cfg = config) {
  const result = await parsePaymentNotification(message.headers, message.body, cfg, NOW);
  return result.ok ? 'accepted' : result.reason;
}

describe('parsePaymentNotification', () => {
  it('accepts a genuine payment notification', async () => {
    const message = await notify({ eventId: 'EV-2018022511223320873' });
    const result = await parsePaymentNotification(message.headers, message.body, config, NOW);
    expect(result).toEqual({ ok: true, eventId: 'EV-2018022511223320873', transaction: paid });
  });

  it('drops transaction fields it does not know', async () => {
    const message = await notify({ transaction: { ...paid, trade_type: 'JSAPI', bank_type: 'OTHERS', attach: '' } });
    const result = await parsePaymentNotification(message.headers, message.body, config, NOW);
    expect(result).toEqual({ ok: true, eventId: expect.any(String), transaction: paid });
  });

  it('accepts timestamps within 5 minutes either way', async () => {
    expect(await refusal(await notify({ timestamp: nowSeconds - 299 }))).toBe('accepted');
    expect(await refusal(await notify({ timestamp: nowSeconds + 299 }))).toBe('accepted');
  });

  it('refuses a tampered body', async () => {
    const message = await notify();
    const body = message.body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ');
    expect(await refusal({ headers: message.headers, body })).toBe('bad_signature');
  });

  it('refuses a signature made with another key', async () => {
    expect(await refusal(await notify({ privateKey: otherKeys.privateKey }))).toBe('bad_signature');
  });

  it("refuses WeChat's signature probe", async () => {
    const message = await notify();
    message.headers.set('Wechatpay-Signature', `WECHATPAY/SIGNTEST/${message.headers.get('Wechatpay-Signature')}`);
    expect(await refusal(message)).toBe('bad_signature');
  });

  it('refuses an unknown serial', async () => {
    expect(await refusal(await notify({ serial: 'PUB_KEY_ID_SOMEONE_ELSE' }))).toBe('unknown_serial');
  });

  it('refuses stale and future timestamps', async () => {
    expect(await refusal(await notify({ timestamp: nowSeconds - 301 }))).toBe('stale');
    expect(await refusal(await notify({ timestamp: nowSeconds + 301 }))).toBe('stale');
  });

  it('refuses missing headers', async () => {
    for (const name of ['Wechatpay-Signature', 'Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Serial']) {
      const message = await notify();
      message.headers.delete(name);
      expect(await refusal(message)).toBe('missing_headers');
    }
  });

  it('refuses a payment for another merchant or app', async () => {
    expect(await refusal(await notify({ transaction: { ...paid, mchid: '1900000999' } }))).toBe('merchant_mismatch');
    expect(await refusal(await notify({ transaction: { ...paid, appid: 'wx0000000000000000' } }))).toBe(
      'merchant_mismatch',
    );
  });

  it('refuses a resource encrypted with another APIv3 key', async () => {
    expect(await refusal(await notify({ apiV3Key: randomAscii(32) }))).toBe('decrypt_failed');
  });

  it('refuses malformed JSON and a malformed envelope', async () => {
    expect(await refusal(await signedBody('{"id":'))).toBe('malformed');
    expect(await refusal(await signedBody('{"id":"x","event_type":"TRANSACTION.SUCCESS"}'))).toBe('malformed');
    expect(await refusal(await signedBody('null'))).toBe('malformed');
  });

  it('refuses other event types', async () => {
    expect(await refusal(await notify({ eventType: 'REFUND.SUCCESS' }))).toBe('unexpected_event');
  });

  it('refuses a transaction of the wrong shape', async () => {
    const { amount: _amount, ...noAmount } = paid;
    expect(await refusal(await notify({ transaction: noAmount }))).toBe('bad_transaction');
    expect(await refusal(await notify({ transaction: { ...paid, amount: { total: 1.5, currency: 'CNY' } } }))).toBe(
      'bad_transaction',
    );
  });

  it('refuses a transaction that is not paid', async () => {
    expect(await refusal(await notify({ transaction: { ...paid, trade_state: 'NOTPAY' } }))).toBe('not_success');
  });

  it('reports an unusable configured key instead of throwing', async () => {
    const message = await notify();
    expect(await refusal(message, { ...config, platformPublicKeyPem: 'not a pem' })).toBe('misconfigured');
    expect(await refusal(message, { ...config, apiV3Key: 'short' })).toBe('misconfigured');
  });
});

describe('verifyNotificationSignature', () => {
  it('verifies the signature over the raw body', async () => {
    const message = await notify();
    expect(await verifyNotificationSignature(message.headers, message.body, config, NOW)).toBe('ok');
    expect(await verifyNotificationSignature(message.headers, `${message.body}\n`, config, NOW)).toBe('bad_signature');
  });

  it('refuses a timestamp that is not a number', async () => {
    const message = await notify();
    message.headers.set('Wechatpay-Timestamp', `${nowSeconds}x`);
    expect(await verifyNotificationSignature(message.headers, message.body, config, NOW)).toBe('stale');
  });
});

describe('decryptResource', () => {
  it('decrypts with empty associated data', async () => {
    const resource = await encryptResource('{"a":"支付"}', config.apiV3Key, randomAscii(12), '');
    expect(await decryptResource(resource, config.apiV3Key)).toBe('{"a":"支付"}');
    expect(await decryptResource({ ...resource, associated_data: undefined }, config.apiV3Key)).toBe('{"a":"支付"}');
  });

  it('throws a WechatPayError when it does not authenticate', async () => {
    const resource = await encryptResource('{}', config.apiV3Key, randomAscii(12), 'transaction');
    const wrong = [
      { ...resource, associated_data: 'certificate' },
      { ...resource, nonce: randomAscii(12) },
      { ...resource, ciphertext: 'not base64!' },
      { ...resource, algorithm: 'AEAD_AES_128_GCM' },
    ];
    for (const r of wrong) {
      await expect(decryptResource(r, config.apiV3Key)).rejects.toMatchObject({
        name: 'WechatPayError',
        code: 'decrypt',
      });
    }
    await expect(decryptResource(resource, 'x'.repeat(31))).rejects.toBeInstanceOf(WechatPayError);
  });
});

describe('notification answers', () => {
  it('acks with 200 and no body', () => expect(wechatAck()).toEqual({ status: 200, body: null }));

  it('nacks with FAIL and a status that says whose fault it is', () => {
    expect(wechatNack('bad_signature')).toEqual({ status: 401, body: { code: 'FAIL', message: 'bad_signature' } });
    expect(wechatNack('merchant_mismatch').status).toBe(400);
    expect(wechatNack('decrypt_failed').status).toBe(500);
    expect(wechatNack('database unavailable').status).toBe(500);
    expect(wechatNack('x'.repeat(100)).body.message).toHaveLength(64);
    expect(wechatNack('').body.message).toBe('失败');
  });
});

describe('createWechatGateway', () => {
  const input = {
    orderId: 'ord_01jq7x3k9v2m',
    description: '玫瑰精华液 30ml',
    amountFen: 29_900,
    payerOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    notifyUrl: 'https://shop.example.com/api/payments/wechat/notify',
  };

  it('sends a JSAPI order signed with the merchant key', async () => {
    const fake = fakeWechatFetcher(kit, () => ({
      status: 200,
      body: { prepay_id: 'wx201410272009395522657a690389285100' },
    }));
    const gateway = createWechatGateway(config, fake.fetcher);
    expect(await gateway.createPrepay(input)).toEqual({ prepayId: 'wx201410272009395522657a690389285100' });

    const [request] = fake.requests;
    if (!request) throw new Error('no request was sent');
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi');
    expect(request.headers.get('Accept')).toBe('application/json');
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(request.headers.get('User-Agent')).toBeTruthy();
    const body = request.body;
    expect(JSON.parse(body)).toEqual({
      appid: config.appId,
      mchid: config.mchId,
      description: input.description,
      out_trade_no: input.orderId,
      notify_url: input.notifyUrl,
      amount: { total: 29_900, currency: 'CNY' },
      payer: { openid: input.payerOpenId },
    });

    const auth = request.headers.get('Authorization') ?? '';
    expect(auth.startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
    const fields = Object.fromEntries(
      [...auth.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]] as [string | undefined, string | undefined]),
    );
    expect(fields.mchid).toBe(config.mchId);
    expect(fields.serial_no).toBe(config.merchantSerial);
    expect(Math.abs(Number(fields.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const message = `POST\n/v3/pay/transactions/jsapi\n${fields.timestamp}\n${fields.nonce_str}\n${body}\n`;
    expect(await rsaVerify(kit.merchant.publicKey, fields.signature ?? '', message)).toBe(true);
    expect(await rsaVerify(otherKeys.publicKey, fields.signature ?? '', message)).toBe(false);
  });

  it("surfaces WeChat Pay's error answer", async () => {
    const fake = fakeWechatFetcher(kit, () => ({ status: 400, body: { code: 'PARAM_ERROR', message: '参数错误' } }));
    await expect(createWechatGateway(config, fake.fetcher).createPrepay(input)).rejects.toMatchObject({
      code: 'gateway',
      message: expect.stringContaining('PARAM_ERROR'),
    });
  });

  it('refuses an answer not signed by the platform key', async () => {
    const fake = fakeWechatFetcher({ config, platform: otherKeys });
    await expect(createWechatGateway(config, fake.fetcher).createPrepay(input)).rejects.toMatchObject({
      code: 'gateway',
      message: expect.stringContaining('bad_signature'),
    });
  });

  it('refuses invalid input before calling WeChat Pay', async () => {
    const fake = fakeWechatFetcher(kit);
    const gateway = createWechatGateway(config, fake.fetcher);
    for (const bad of [{ amountFen: 0 }, { amountFen: 12.5 }, { orderId: 'ord' }, { orderId: 'ord 01jq7x3k9v2m' }]) {
      await expect(gateway.createPrepay({ ...input, ...bad })).rejects.toMatchObject({ code: 'invalid_request' });
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('jsapiPayParams', () => {
  it('signs the pay request with the merchant key', async () => {
    const params = await jsapiPayParams(config, 'wx201410272009395522657a690389285100', NOW);
    expect(params).toMatchObject({
      appId: config.appId,
      timeStamp: String(nowSeconds),
      package: 'prepay_id=wx201410272009395522657a690389285100',
      signType: 'RSA',
    });
    expect(params.nonceStr).toMatch(/^[0-9A-F]{32}$/);
    const message = `${config.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
    expect(await rsaVerify(kit.merchant.publicKey, params.paySign, message)).toBe(true);
  });
});

describe('createPayClient', () => {
  const ok = {
    status: 200,
    body: { out_refund_no: 'rfd_1', status: 'PROCESSING', refund_id: '50000000382019052709732678859' },
  };

  it('retries a 5xx with a fresh signature each time, then answers', async () => {
    let n = 0;
    const fake = fakeWechatFetcher(kit, () =>
      ++n === 1 ? { status: 500, body: { code: 'SYSTEM_ERROR', message: '' } } : ok,
    );
    const client = createPayClient(config, { fetcher: fake.fetcher, backoff: [1, 1] });
    const answer = await client.call('POST', '/v3/refund/domestic/refunds', { out_refund_no: 'rfd_1' });
    expect(answer).toEqual({ status: 200, json: ok.body });
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests.map((r) => r.headers.get('Authorization'));
    expect(first).not.toBe(second);
    expect(fake.requests[1]?.url).toBe('https://api.mch.weixin.qq.com/v3/refund/domestic/refunds');
  });

  it('gives up after its backoff list, and refuses an answer not signed by the platform key', async () => {
    const down = fakeWechatFetcher(kit, () => ({ status: 503, body: {} }));
    await expect(
      createPayClient(config, { fetcher: down.fetcher, backoff: [1] }).call('GET', '/v3/refund/domestic/refunds/x'),
    ).rejects.toMatchObject({ code: 'gateway' });
    expect(down.requests).toHaveLength(2);
    const forged = fakeWechatFetcher({ config, platform: otherKeys }, () => ok);
    await expect(createPayClient(config, { fetcher: forged.fetcher }).call('GET', '/v3/x')).rejects.toMatchObject({
      code: 'gateway',
      message: expect.stringContaining('bad_signature'),
    });
  });

  it('downloads a bill file signed over its path, retrying a 5xx; a 4xx ends it at once', async () => {
    const seen: Request[] = [];
    const statuses = [502, 200];
    const fetcher: typeof fetch = async (input, init) => {
      seen.push(new Request(input, init));
      const status = statuses.shift() ?? 404;
      return new Response(status === 200 ? 'a,b\n' : 'no', { status });
    };
    const client = createPayClient(config, { fetcher, backoff: [1, 1] });
    const bytes = await client.download('https://api.mch.weixin.qq.com/v3/billdownload/file?token=t1');
    expect(new TextDecoder().decode(bytes)).toBe('a,b\n');
    expect(seen).toHaveLength(2);
    expect(seen[1]?.headers.get('Authorization')).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid=/);
    await expect(client.download('https://api.mch.weixin.qq.com/v3/billdownload/file?token=t2')).rejects.toMatchObject({
      code: 'gateway',
      message: expect.stringContaining('404'),
    });
    expect(seen).toHaveLength(3);
  });
});

describe('parseRefundNotification', () => {
  const refund = {
    mchid: config.mchId,
    out_trade_no: 'ord_01jq7x3k9v2m',
    transaction_id: '4200000000000000000000000001',
    out_refund_no: 'rfd_01jq7x3k9v2m',
    refund_id: '50000000382019052709732678859',
    refund_status: 'SUCCESS',
    amount: { total: 29_900, refund: 29_900, payer_total: 29_900, payer_refund: 29_900 },
  };
  const signed = (over: Record<string, unknown> = {}, eventType = 'REFUND.SUCCESS') =>
    notify({ transaction: { ...refund, ...over }, eventType });

  it('accepts a genuine refund notification and maps its state', async () => {
    const message = await signed();
    expect(await parseRefundNotification(message.headers, message.body, config, NOW)).toEqual({
      ok: true,
      outRefundNo: refund.out_refund_no,
      refundId: refund.refund_id,
      state: 'succeeded',
      amountFen: 29_900,
    });
    const abnormal = await signed({ refund_status: 'ABNORMAL' }, 'REFUND.ABNORMAL');
    expect(await parseRefundNotification(abnormal.headers, abnormal.body, config, NOW)).toMatchObject({
      state: 'abnormal',
    });
  });

  it('refuses a tampered body, another merchant and a payment event', async () => {
    const message = await signed();
    const tampered = message.body.replace('"REFUND.SUCCESS"', '"REFUND.SUCCESS" ');
    expect(await parseRefundNotification(message.headers, tampered, config, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const other = await signed({ mchid: '1900000999' });
    expect(await parseRefundNotification(other.headers, other.body, config, NOW)).toEqual({
      ok: false,
      reason: 'merchant_mismatch',
    });
    const payment = await notify();
    expect(await parseRefundNotification(payment.headers, payment.body, config, NOW)).toEqual({
      ok: false,
      reason: 'unexpected_event',
    });
  });
});
