import { describe, expect, it } from 'vitest';
import { codeFromRandom, codeMatches, hashCode } from '../worker/domain/smsCode';
import { tc3Sign } from '../worker/domain/tc3Sign';
import { SmsSendError } from '../worker/lib/sms';
import { sendSmsBody, tencentConfig, tencentSms } from '../worker/lib/sms/tencent';

// Tencent Cloud's published example for 签名方法 v3 (TC3-HMAC-SHA256), the "Signature v3" page of the API 3.0 docs
// (international editions, e.g. https://www.tencentcloud.com/zh/document/api/1021/34193 and its translations): CVM
// DescribeInstances in ap-guangzhou at 1551113065, SecretId AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE, SecretKey
// Gu5t9xGARNpq86cd98joQYCN3EXAMPLE, with every intermediate value and Signature=72e494ea…. The current Chinese page
// (https://cloud.tencent.com/document/api/213/30654) masks the keys as "…*******" and signs with that literal text,
// giving 2230eefd…; both published results are reproduced.
const EXAMPLE = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  timestamp: 1551113065,
  payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
};

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('tc3Sign (签名方法 v3)', () => {
  it('reproduces the published example: canonical request, string to sign, signature and Authorization', async () => {
    const signed = await tc3Sign(EXAMPLE);
    expect(signed.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n' +
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(signed.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n' +
        '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(signed.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('reproduces the Chinese page’s result for its masked key, and dates the scope in UTC', async () => {
    const signed = await tc3Sign({ ...EXAMPLE, secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******' });
    expect(signed.signature).toBe('2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
    // 1551113065 is 2019-02-26 00:44:25 in Beijing: the scope's date is still the 25th.
    expect(signed.stringToSign.split('\n')[2]).toBe('2019-02-25/cvm/tc3_request');
  });
});

const CONFIG = {
  secretId: 'AKIDtestSecretId',
  secretKey: 'testSecretKey',
  sdkAppId: '1400006666',
  signName: '腾讯云',
  templateId: '1234567',
};
const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z

function fakeEndpoint(answer: unknown, status = 200) {
  const seen: Request[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(new Request(input, init));
    return new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { seen, fetcher };
}

const OK = {
  Response: {
    SendStatusSet: [{ SerialNo: '5000:1045710669157053657849499619', PhoneNumber: '+8613800138000', Code: 'Ok' }],
    RequestId: 'a0aabda6-cf91-4f3e-a81f-9198114a2279',
  },
};

describe('Tencent Cloud SMS provider', () => {
  it('POSTs SendSms (2021-01-11) with the code and minutes, signed over exactly the body it sends', async () => {
    const { seen, fetcher } = fakeEndpoint(OK);
    const provider = tencentSms(CONFIG, fetcher, () => NOW);
    await provider.send({ phone: '13800138000', purpose: 'signup', code: '042917', minutes: 5 });

    expect(seen).toHaveLength(1);
    const req = seen[0] as Request;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://sms.tencentcloudapi.com/');
    expect(req.headers.get('x-tc-action')).toBe('SendSms');
    expect(req.headers.get('x-tc-version')).toBe('2021-01-11');
    expect(req.headers.get('x-tc-region')).toBe('ap-guangzhou');
    expect(req.headers.get('x-tc-timestamp')).toBe(String(NOW / 1000));
    expect(req.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = await req.text();
    expect(JSON.parse(body)).toEqual({
      PhoneNumberSet: ['+8613800138000'],
      SmsSdkAppId: '1400006666',
      SignName: '腾讯云',
      TemplateId: '1234567',
      TemplateParamSet: ['042917', '5'],
    });
    // What the server checks: the signature recomputed from the received body, host and timestamp.
    const expected = await tc3Sign({
      secretId: CONFIG.secretId,
      secretKey: CONFIG.secretKey,
      service: 'sms',
      host: 'sms.tencentcloudapi.com',
      timestamp: Number(req.headers.get('x-tc-timestamp')),
      payload: body,
    });
    expect(req.headers.get('authorization')).toBe(expected.authorization);
    expect(expected.canonicalRequest.endsWith(await sha256Hex(body))).toBe(true);
    expect(req.headers.get('authorization')).toContain('Credential=AKIDtestSecretId/2026-01-01/sms/tc3_request');
  });

  it('fails on an API error and on a number the provider refused', async () => {
    const authFailure = fakeEndpoint({
      Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad signature' }, RequestId: 'x' },
    });
    await expect(
      tencentSms(CONFIG, authFailure.fetcher, () => NOW).send({
        phone: '13800138000',
        purpose: 'reset',
        code: '111111',
        minutes: 5,
      }),
    ).rejects.toThrow(SmsSendError);
    const limited = fakeEndpoint({
      Response: { SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'daily limit' }] },
    });
    await expect(
      tencentSms(CONFIG, limited.fetcher, () => NOW).send({
        phone: '13800138000',
        purpose: 'orders',
        code: '111111',
        minutes: 5,
      }),
    ).rejects.toThrow(/PhoneNumberDailyLimit/);
  });

  it('is configured only when all five secrets are set', () => {
    const all = {
      TENCENT_SMS_SECRET_ID: 'a',
      TENCENT_SMS_SECRET_KEY: 'b',
      TENCENT_SMS_SDK_APP_ID: 'c',
      TENCENT_SMS_SIGN_NAME: 'd',
      TENCENT_SMS_TEMPLATE_ID: 'e',
    };
    expect(tencentConfig(all)).not.toBeNull();
    expect(tencentConfig({ ...all, TENCENT_SMS_TEMPLATE_ID: ' ' })).toBeNull();
    expect(sendSmsBody(CONFIG, { phone: '13900000000', purpose: 'signup', code: '000001', minutes: 5 })).toContain(
      '"PhoneNumberSet":["+8613900000000"]',
    );
  });
});

describe('SMS code rules', () => {
  it('draws six digits without the modulo bias: values in the tail above the last whole million are drawn again', () => {
    expect(codeFromRandom(Uint32Array.of(42))).toBe('000042');
    expect(codeFromRandom(Uint32Array.of(4_293_999_999))).toBe('999999');
    expect(codeFromRandom(Uint32Array.of(4_294_000_000, 1_000_123))).toBe('000123');
    expect(codeFromRandom(Uint32Array.of(4_294_967_295))).toBeNull();
  });

  it('stores a salted hash: the same code hashes differently per salt and matches only itself', async () => {
    const a = await hashCode('SALTA', '123456');
    const b = await hashCode('SALTB', '123456');
    expect(a).not.toBe(b);
    expect(a).not.toContain('123456');
    expect(await codeMatches(a, '123456')).toBe(true);
    expect(await codeMatches(a, '123457')).toBe(false);
    expect(await codeMatches('no-salt-here', '123456')).toBe(false);
  });
});
