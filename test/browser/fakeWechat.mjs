// A fake WeChat API for the browser tests' server (test/browser/server.mjs): the two calls the Worker makes for the
// JS-SDK signature (worker/lib/wechatJs.ts), on 127.0.0.1 at a free port, counting them. GET /__state tells a test
// the counts and the ticket it hands out, so the test can compute the signature itself.
// It also plays web OAuth (/connect/oauth2/authorize sends the browser back with a code, /sns/oauth2/access_token
// exchanges it for an openid) and WeChat Pay v3 (/v3/…, fakeWechatPay.mjs, with keys made here); a test drives the
// payer's side through POST /__pay, /__refund and /__fail, and reads GET /__pay.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
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

/**
 * @returns {Promise<{ base: string, appId: string, secret: string, pay: {
 *   mchId: string, appId: string, apiV3Key: string, platformSerial: string, merchantSerial: string,
 *   platformPublicKeyPem: string, merchantPrivateKeyPem: string }, stop: () => Promise<void> }>}
 */
export async function startFakeWechat() {
  const pem = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const platformKeys = pem();
  const merchantKeys = pem();
  // Passed to wrangler dev with --var, so on one line (the Worker's PEM reader ignores whitespace).
  const oneLine = (/** @type {string} */ text) => text.replace(/\n/g, '');
  const pay = {
    mchId: '1900000109',
    appId: FAKE_APP_ID,
    apiV3Key: randomBytes(16).toString('hex'),
    platformSerial: 'PUB_KEY_ID_FAKE_0001',
    merchantSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
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
  };
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
  const port = typeof address === 'object' && address ? address.port : 0;
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
