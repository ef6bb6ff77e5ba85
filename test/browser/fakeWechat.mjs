// A fake WeChat API for the browser tests' server (test/browser/server.mjs): the two calls the Worker makes for the
// JS-SDK signature (worker/lib/wechatJs.ts), on 127.0.0.1 at a free port, counting them. GET /__state tells a test
// the counts and the ticket it hands out, so the test can compute the signature itself.
import { randomBytes } from 'node:crypto';
import http from 'node:http';

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
 * @returns {Promise<{ base: string, appId: string, secret: string, stop: () => Promise<void> }>}
 */
export async function startFakeWechat() {
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
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
