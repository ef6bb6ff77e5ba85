// A fake WeChat API for the browser tests' server (test/browser/server.mjs): the two calls the Worker makes for the
// JS-SDK signature (worker/lib/wechatJs.ts), on 127.0.0.1 at a free port, counting them. GET /__state tells a test
// the counts and the ticket it hands out, so the test can compute the signature itself.
// It also plays web OAuth (/connect/oauth2/authorize sends the browser back with a code, /sns/oauth2/access_token
// exchanges it for an openid) and WeChat Pay v3 (/v3/…, fakeWechatPay.mjs, with keys made here); a test drives the
// payer's side through POST /__pay, /__refund and /__fail, and reads GET /__pay.
import { createHash, createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import { createFakeWechatPay, importPem } from './fakeWechatPay.mjs';

export const FAKE_APP_ID = 'wx0fa4e0fa4e0fa4e0';
const FAKE_SECRET = randomBytes(16).toString('hex');

/** @param {http.ServerResponse} res @param {number} status @param {unknown} body */
function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** @param {http.IncomingMessage} req @returns {Promise<string>} */
async function readBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

// WeChat Pay v3 (商户 API) for payouts and bills: the merchant key the Worker signs with, the platform key the fake
// signs its answers with (the Worker verifies them with the public half), as a real merchant account has them.
const keyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const MERCHANT = keyPair();
const PLATFORM = keyPair();
export const FAKE_PAY = {
  mchId: '1900009191',
  apiV3Key: randomBytes(16).toString('hex'),
  merchantSerial: '3775B6A45ACD588826D15E583A95F5DD2C6F1DAB',
  merchantPrivateKey: MERCHANT.privateKey,
  platformSerial: 'PUB_KEY_ID_0119000091912026',
  platformPublicKey: PLATFORM.publicKey,
};

/** A v3 answer, signed as WeChat Pay signs them. @param {http.ServerResponse} res @param {number} status @param {unknown} body */
function payJson(res, status, body) {
  const text = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${nonce}\n${text}\n`)
    .sign(PLATFORM.privateKey, 'base64');
  res.writeHead(status, {
    'content-type': 'application/json',
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': FAKE_PAY.platformSerial,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  });
  res.end(text);
}

/** Whether a request carries the merchant's valid v3 signature. @param {http.IncomingMessage} req @param {string} pathWithQuery @param {string} body */
function merchantSigned(req, pathWithQuery, body) {
  const parts = Object.fromEntries(
    [...String(req.headers.authorization ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
  if (parts.mchid !== FAKE_PAY.mchId || !parts.signature) return false;
  const message = `${req.method}\n${pathWithQuery}\n${parts.timestamp}\n${parts.nonce_str}\n${body}\n`;
  return createVerify('RSA-SHA256').update(message).verify(MERCHANT.publicKey, parts.signature, 'base64');
}

/**
 * @returns {Promise<{ base: string, appId: string, secret: string, pay: {
 *   mchId: string, appId: string, apiV3Key: string, platformSerial: string, merchantSerial: string,
 *   platformPublicKeyPem: string, merchantPrivateKeyPem: string }, stop: () => Promise<void> }>}
 */
export async function startFakeWechat() {
  // One merchant account for payments and refunds (fakeWechatPay.mjs) and for transfers and bills (below).
  const platformKeys = PLATFORM;
  const merchantKeys = MERCHANT;
  // Passed to the Worker as a variable on one line (the Worker's PEM reader ignores whitespace).
  const oneLine = (/** @type {string} */ text) => text.replace(/\n/g, '');
  const pay = {
    mchId: FAKE_PAY.mchId,
    appId: FAKE_APP_ID,
    apiV3Key: FAKE_PAY.apiV3Key,
    platformSerial: FAKE_PAY.platformSerial,
    merchantSerial: FAKE_PAY.merchantSerial,
    platformPublicKeyPem: oneLine(platformKeys.publicKey),
    merchantPrivateKeyPem: oneLine(merchantKeys.privateKey),
  };
  const payFake = createFakeWechatPay({
    ...pay,
    platformPrivateKey: await importPem(platformKeys.privateKey, 'pkcs8', 'sign'),
    merchantPublicKey: await importPem(merchantKeys.publicKey, 'spki', 'verify'),
  });
  /** @type {Map<string, string>} OAuth code → openid, used once */
  const codes = new Map();
  const oauth = { authorizations: 0, exchanges: 0, openids: /** @type {string[]} */ ([]) };
  const state = {
    tokenRequests: 0,
    ticketRequests: 0,
    token: `fake-token-${randomBytes(8).toString('hex')}`,
    ticket: `fake-ticket-${randomBytes(12).toString('base64url')}`,
    /** @type {Record<string, { openid: string, amountFen: number, status: string, detailId: string }>} */
    transfers: {},
    transferRequests: 0,
    badSignatures: 0,
    /** @type {Record<string, string>} bill CSV by `${day}:${SUCCESS|REFUND}`, set by a test through POST /__pay/bill */
    bills: {},
  };
  let port = 0;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/cgi-bin/stable_token') {
      state.tokenRequests++;
      /** @type {{ grant_type?: string, appid?: string, secret?: string }} */
      let body = {};
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return json(res, 200, { errcode: 47001, errmsg: 'data format error' });
      }
      if (body.grant_type !== 'client_credential' || body.appid !== FAKE_APP_ID || body.secret !== FAKE_SECRET) {
        return json(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
      }
      return json(res, 200, { access_token: state.token, expires_in: 7200 });
    }
    if (req.method === 'GET' && url.pathname === '/cgi-bin/ticket/getticket') {
      state.ticketRequests++;
      if (url.searchParams.get('access_token') !== state.token || url.searchParams.get('type') !== 'jsapi') {
        return json(res, 200, { errcode: 40001, errmsg: 'invalid credential' });
      }
      return json(res, 200, { errcode: 0, errmsg: 'ok', ticket: state.ticket, expires_in: 7200 });
    }
    if (url.pathname.startsWith('/v3/transfer/') || url.pathname.startsWith('/v3/bill')) {
      const body = await readBody(req);
      if (!merchantSigned(req, `${url.pathname}${url.search}`, body)) {
        state.badSignatures++;
        return payJson(res, 401, { code: 'SIGN_ERROR', message: '签名错误' });
      }
      if (req.method === 'POST' && url.pathname === '/v3/transfer/batches') {
        state.transferRequests++;
        const input = JSON.parse(body);
        const detail = input.transfer_detail_list?.[0];
        if (!detail || detail.transfer_amount !== input.total_amount) {
          return payJson(res, 400, { code: 'PARAM_ERROR', message: '金额不符' });
        }
        // The same out_batch_no again names the same transfer: it is paid once.
        state.transfers[input.out_batch_no] ??= {
          openid: detail.openid,
          amountFen: detail.transfer_amount,
          status: 'SUCCESS',
          detailId: `10400000711009999911820200507${String(Object.keys(state.transfers).length).padStart(5, '0')}`,
        };
        return payJson(res, 200, { out_batch_no: input.out_batch_no, batch_status: 'ACCEPTED' });
      }
      const detailPath = /^\/v3\/transfer\/batches\/out-batch-no\/([^/]+)\/details\/out-detail-no\/[^/]+$/.exec(
        url.pathname,
      );
      if (req.method === 'GET' && detailPath) {
        const t = state.transfers[detailPath[1] ?? ''];
        if (!t) return payJson(res, 404, { code: 'NOT_FOUND', message: '记录不存在' });
        return payJson(res, 200, {
          out_batch_no: detailPath[1],
          out_detail_no: detailPath[1],
          detail_id: t.detailId,
          detail_status: t.status,
          transfer_amount: t.amountFen,
          openid: t.openid,
        });
      }
      if (req.method === 'GET' && url.pathname === '/v3/bill/tradebill') {
        const key = `${url.searchParams.get('bill_date')}:${url.searchParams.get('bill_type')}`;
        const csv = state.bills[key];
        if (csv === undefined) return payJson(res, 400, { code: 'NO_STATEMENT_EXIST', message: '账单不存在' });
        return payJson(res, 200, {
          hash_type: 'SHA1',
          hash_value: createHash('sha1').update(csv).digest('hex'),
          download_url: `http://127.0.0.1:${port}/v3/billdownload/file?token=${encodeURIComponent(key)}`,
        });
      }
      if (req.method === 'GET' && url.pathname === '/v3/billdownload/file') {
        const csv = state.bills[url.searchParams.get('token') ?? ''];
        if (csv === undefined) return payJson(res, 404, { code: 'NOT_FOUND', message: '文件不存在' });
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
        return res.end(csv);
      }
      return payJson(res, 404, { code: 'NOT_FOUND', message: 'no such fake route' });
    }
    if (req.method === 'POST' && url.pathname === '/__pay/bill') {
      const { day, type, csv } = JSON.parse(await readBody(req));
      state.bills[`${day}:${type}`] = csv;
      return json(res, 200, { ok: true });
    }
    if (req.method === 'GET' && url.pathname === '/__state') return json(res, 200, state);
    if (req.method === 'GET' && url.pathname === '/connect/oauth2/authorize') {
      const redirect = url.searchParams.get('redirect_uri') ?? '';
      if (
        url.searchParams.get('appid') !== FAKE_APP_ID ||
        url.searchParams.get('scope') !== 'snsapi_base' ||
        !redirect
      ) {
        return json(res, 200, { errcode: 10003, errmsg: 'redirect_uri domain mismatch' });
      }
      oauth.authorizations++;
      const code = randomBytes(16).toString('hex');
      const openid = `oFake${randomBytes(10).toString('hex')}`;
      codes.set(code, openid);
      oauth.openids.push(openid);
      const back = new URL(redirect);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === 'GET' && url.pathname === '/sns/oauth2/access_token') {
      oauth.exchanges++;
      const code = url.searchParams.get('code') ?? '';
      const openid = codes.get(code);
      codes.delete(code);
      if (!openid || url.searchParams.get('secret') !== FAKE_SECRET || url.searchParams.get('appid') !== FAKE_APP_ID) {
        return json(res, 200, { errcode: 40029, errmsg: 'invalid code' });
      }
      return json(res, 200, {
        access_token: 'AT',
        expires_in: 7200,
        refresh_token: 'RT',
        openid,
        scope: 'snsapi_base',
      });
    }
    if (url.pathname.startsWith('/v3/')) {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      /** @type {Record<string, string>} */
      const headers = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const answer = await payFake.handle(
        new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body }),
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      return res.end(await answer.text());
    }
    if (req.method === 'GET' && url.pathname === '/__pay') {
      return json(res, 200, {
        oauth,
        counts: payFake.counts,
        trades: [...payFake.trades.values()],
        refunds: [...payFake.refunds.values()],
      });
    }
    if (req.method === 'POST' && ['/__pay', '/__refund', '/__fail'].includes(url.pathname)) {
      const body = JSON.parse(await readBody(req));
      try {
        if (url.pathname === '/__fail') {
          payFake.failNext(body.prefix, body.count, body.status);
          return json(res, 200, {});
        }
        const status =
          url.pathname === '/__pay'
            ? await payFake.pay(body.key, { notify: body.notify !== false })
            : await payFake.settleRefund(body.outRefundNo, body.status ?? 'SUCCESS', { notify: body.notify !== false });
        return json(res, 200, { delivered: status });
      } catch (err) {
        return json(res, 404, { error: String(err) });
      }
    }
    json(res, 404, { errcode: 404, errmsg: 'not found' });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    appId: FAKE_APP_ID,
    secret: FAKE_SECRET,
    pay,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
