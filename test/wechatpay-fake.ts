// A fake WeChat Pay v3 merchant API for the API tests, answering the Worker's outbound fetch in place of
// api.mch.weixin.qq.com: transfers (/v3/transfer/batches and the detail query) and trade bills (/v3/bill/tradebill
// and the download). It checks every request's Authorization signature with the merchant's public key and signs
// every answer with the platform key, as WeChat Pay does.
import { env } from 'cloudflare:test';
import { generateRsaKeys, type RsaTestKeys, randomAscii, rsaVerify, wechatSignedHeaders } from './wechatpay-fixtures';

export interface FakeTransfer {
  outBatchNo: string;
  openid: string;
  amountFen: number;
  status: 'PROCESSING' | 'SUCCESS' | 'FAIL';
  failReason?: string;
  detailId: string;
}

export interface FakePay {
  merchant: RsaTestKeys;
  transfers: Map<string, FakeTransfer>;
  /** Every transfer creation that reached it, including repeats of one out_batch_no. */
  createCalls: number;
  badSignatures: number;
  /** What a new transfer becomes. */
  outcome: FakeTransfer['status'];
  failReason: string;
  /** Answers to come for POST /v3/transfer/batches: 'lost' records the transfer and then answers 500. */
  createScript: ('ok' | 'lost' | 'busy')[];
  bills: Map<string, string>;
  fetcher: typeof fetch;
}

const encoder = new TextEncoder();

async function platformKey(): Promise<CryptoKey> {
  const der = Uint8Array.from(
    atob(env.TEST_WECHAT_PLATFORM_PRIVATE_KEY.replace(/-----[^-]+-----/g, '').replace(/\s/g, '')),
    (ch) => ch.charCodeAt(0),
  );
  return crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
}

function authParts(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, k, v] of header.matchAll(/(\w+)="([^"]*)"/g)) if (k && v !== undefined) out[k] = v;
  return out;
}

async function sha1Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', encoder.encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A trade bill CSV as WeChat Pay writes it (backtick-prefixed cells, summary lines at the end). */
export function billCsv(rows: { orderId: string; fen: number; refund?: boolean }[]): string {
  const header =
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,' +
    '应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,' +
    '手续费,费率,订单金额,申请退款金额,费率备注';
  const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  const lines = rows.map((r, i) =>
    [
      '2026-12-03 10:00:00',
      env.WECHAT_APP_ID,
      env.WECHAT_MCH_ID,
      '0',
      '',
      `4200${String(i).padStart(24, '0')}`,
      r.orderId,
      'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      'JSAPI',
      r.refund ? 'REFUND' : 'SUCCESS',
      'OTHERS',
      'CNY',
      yuan(r.fen),
      '0.00',
      r.refund ? `5030${i}` : '0',
      r.refund ? `rfd${i}` : '',
      r.refund ? yuan(r.fen) : '0.00',
      '0.00',
      r.refund ? 'ORIGINAL' : '',
      r.refund ? 'SUCCESS' : '',
      '焕颜精华',
      '',
      '0.00',
      '0.60%',
      yuan(r.fen),
      r.refund ? yuan(r.fen) : '0.00',
      '',
    ]
      .map((c) => `\`${c}`)
      .join(','),
  );
  const total = rows.reduce((s, r) => s + r.fen, 0);
  return [
    header,
    ...lines,
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    `\`${rows.length},\`${yuan(total)},\`0.00,\`0.00,\`0.00,\`${yuan(total)},\`0.00`,
    '',
  ].join('\r\n');
}

export async function createFakePay(): Promise<FakePay> {
  const merchant = await generateRsaKeys();
  const platform = await platformKey();
  const fake: FakePay = {
    merchant,
    transfers: new Map(),
    createCalls: 0,
    badSignatures: 0,
    outcome: 'SUCCESS',
    failReason: 'ACCOUNT_FROZEN',
    createScript: [],
    bills: new Map(),
    fetcher: async () => new Response(null),
  };
  const answer = async (status: number, body: unknown) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = await wechatSignedHeaders({
      body: text,
      privateKey: platform,
      serial: env.WECHAT_PLATFORM_SERIAL,
      timestamp: Math.floor(Date.now() / 1000),
      nonce: randomAscii(32),
    });
    headers.set('content-type', 'application/json');
    return new Response(text, { status, headers });
  };
  fake.fetcher = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.host !== 'api.mch.weixin.qq.com') return new Response('not the fake', { status: 599 });
    const body = await request.text();
    const auth = authParts(request.headers.get('authorization') ?? '');
    const signed = `${request.method}\n${url.pathname}${url.search}\n${auth.timestamp}\n${auth.nonce_str}\n${body}\n`;
    if (
      auth.mchid !== env.WECHAT_MCH_ID ||
      !auth.signature ||
      !(await rsaVerify(merchant.publicKey, auth.signature, signed))
    ) {
      fake.badSignatures++;
      return answer(401, { code: 'SIGN_ERROR', message: '签名错误' });
    }
    if (request.method === 'POST' && url.pathname === '/v3/transfer/batches') {
      fake.createCalls++;
      const step = fake.createScript.shift() ?? 'ok';
      if (step === 'busy') return answer(500, { code: 'SYSTEM_ERROR', message: '系统繁忙' });
      const input = JSON.parse(body) as {
        out_batch_no: string;
        total_amount: number;
        transfer_detail_list: { out_detail_no: string; transfer_amount: number; openid: string }[];
      };
      const detail = input.transfer_detail_list[0];
      if (!detail || detail.transfer_amount !== input.total_amount) {
        return answer(400, { code: 'PARAM_ERROR', message: '金额不符' });
      }
      if (!fake.transfers.has(input.out_batch_no)) {
        fake.transfers.set(input.out_batch_no, {
          outBatchNo: input.out_batch_no,
          openid: detail.openid,
          amountFen: detail.transfer_amount,
          status: fake.outcome,
          ...(fake.outcome === 'FAIL' ? { failReason: fake.failReason } : {}),
          detailId: `1040000071100999991182020050700019${fake.transfers.size}`,
        });
      }
      if (step === 'lost') return answer(500, { code: 'SYSTEM_ERROR', message: '系统繁忙' });
      return answer(200, {
        out_batch_no: input.out_batch_no,
        batch_id: `1030000071100999991182020050700019480001`,
        create_time: '2026-12-04T10:00:00+08:00',
        batch_status: 'ACCEPTED',
      });
    }
    const detailPath = /^\/v3\/transfer\/batches\/out-batch-no\/([^/]+)\/details\/out-detail-no\/([^/]+)$/.exec(
      url.pathname,
    );
    if (request.method === 'GET' && detailPath) {
      const t = fake.transfers.get(detailPath[1] ?? '');
      if (!t) return answer(404, { code: 'NOT_FOUND', message: '记录不存在' });
      return answer(200, {
        mchid: env.WECHAT_MCH_ID,
        out_batch_no: t.outBatchNo,
        out_detail_no: t.outBatchNo,
        detail_id: t.detailId,
        detail_status: t.status,
        transfer_amount: t.amountFen,
        openid: t.openid,
        ...(t.failReason ? { fail_reason: t.failReason } : {}),
      });
    }
    if (request.method === 'GET' && url.pathname === '/v3/bill/tradebill') {
      const key = `${url.searchParams.get('bill_date')}:${url.searchParams.get('bill_type')}`;
      const csv = fake.bills.get(key);
      if (csv === undefined) return answer(400, { code: 'NO_STATEMENT_EXIST', message: '账单不存在' });
      return answer(200, {
        hash_type: 'SHA1',
        hash_value: await sha1Hex(csv),
        download_url: `https://api.mch.weixin.qq.com/v3/billdownload/file?token=${encodeURIComponent(key)}`,
      });
    }
    if (request.method === 'GET' && url.pathname === '/v3/billdownload/file') {
      const csv = fake.bills.get(url.searchParams.get('token') ?? '');
      if (csv === undefined) return answer(404, { code: 'NOT_FOUND', message: '文件不存在' });
      return new Response(encoder.encode(csv), { status: 200 });
    }
    return answer(404, { code: 'NOT_FOUND', message: 'no such fake route' });
  };
  return fake;
}

/**
 * Points the Worker at the fake for this test file: the merchant key it signs with, and the global fetch its calls go
 * through (the Worker runs in this isolate). Returns the undo.
 */
export function installFakePay(fake: FakePay): () => void {
  const target = env as unknown as Record<string, string>;
  target.WECHAT_MERCHANT_PRIVATE_KEY = fake.merchant.privateKeyPem;
  target.WECHAT_MERCHANT_SERIAL = '3775B6A45ACD588826D15E583A95F5DD2C6F1DAB';
  const original = globalThis.fetch;
  globalThis.fetch = fake.fetcher;
  return () => {
    globalThis.fetch = original;
    delete target.WECHAT_MERCHANT_PRIVATE_KEY;
    delete target.WECHAT_MERCHANT_SERIAL;
  };
}
