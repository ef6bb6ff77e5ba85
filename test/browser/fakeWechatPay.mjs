// A fake WeChat Pay API v3 (api.mch.weixin.qq.com) with test keys, as a fetch handler (Request → Response) so the
// same fake serves the browser tests (on 127.0.0.1, through fakeWechat.mjs) and the API tests (in the Workers runtime).
// It checks each request's Authorization signature with the merchant's public key, signs each answer with the
// platform key, keeps trades and refunds (a refund per out_refund_no, whatever the resends), and POSTs encrypted,
// signed notifications to notify_url when a test pays or a refund settles. WebCrypto only, so it runs in both places.

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const encoder = new TextEncoder();

/** @param {Uint8Array} bytes */
function b64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** @param {number} n */
function randomText(n) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...crypto.getRandomValues(new Uint8Array(n))].map((b) => alphabet[b % alphabet.length]).join('');
}

/** @param {string} pem @param {'spki' | 'pkcs8'} format @param {'sign' | 'verify'} use */
export async function importPem(pem, format, use) {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const der = Uint8Array.from(atob(body), (ch) => ch.charCodeAt(0));
  return crypto.subtle.importKey(format, der, RSA, false, [use]);
}

/**
 * @param {{
 *   mchId: string, appId: string, apiV3Key: string, platformSerial: string, merchantSerial: string,
 *   platformPrivateKey: CryptoKey, merchantPublicKey: CryptoKey,
 *   deliver?: (url: string, init: { method: string, headers: Record<string, string>, body: string }) => Promise<Response>,
 * }} options
 */
export function createFakeWechatPay(options) {
  const deliver = options.deliver ?? ((url, init) => fetch(url, init));
  /** @type {Map<string, any>} */
  const trades = new Map();
  /** @type {Map<string, any>} */
  const refunds = new Map();
  /** @type {{ method: string, path: string, status: number }[]} */
  const calls = [];
  /** @type {{ prefix: string, count: number, status: number }[]} */
  const failures = [];
  /** Requests WeChat performs whose answer is then lost on the way back (answered 500). @type {{ prefix: string, count: number }[]} */
  const losses = [];
  const counts = { refundRequests: 0, refundsCreated: 0, notifications: 0 };

  /** @param {string} body */
  async function signedHeaders(body) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomText(32);
    const sig = await crypto.subtle.sign(
      RSA,
      options.platformPrivateKey,
      encoder.encode(`${timestamp}\n${nonce}\n${body}\n`),
    );
    return {
      'Content-Type': 'application/json',
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': options.platformSerial,
      'Wechatpay-Signature': b64(new Uint8Array(sig)),
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      'Wechatpay-Timestamp': timestamp,
    };
  }

  /** @param {number} status @param {unknown} json */
  async function answer(status, json) {
    const body = JSON.stringify(json);
    return new Response(body, { status, headers: await signedHeaders(body) });
  }

  /** @param {Request} request @param {string} pathWithQuery @param {string} body */
  async function authorized(request, pathWithQuery, body) {
    const auth = request.headers.get('authorization') ?? '';
    if (!auth.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return false;
    /** @type {Record<string, string>} */
    const f = {};
    for (const m of auth.matchAll(/(\w+)="([^"]*)"/g)) f[m[1] ?? ''] = m[2] ?? '';
    if (f.mchid !== options.mchId || f.serial_no !== options.merchantSerial) return false;
    if (Math.abs(Number(f.timestamp) - Date.now() / 1000) > 300) return false;
    const message = `${request.method}\n${pathWithQuery}\n${f.timestamp}\n${f.nonce_str}\n${body}\n`;
    let signature;
    try {
      signature = Uint8Array.from(atob(f.signature ?? ''), (ch) => ch.charCodeAt(0));
    } catch {
      return false;
    }
    return crypto.subtle.verify(RSA, options.merchantPublicKey, signature, encoder.encode(message));
  }

  /** @param {string} plaintext @param {string} associatedData */
  async function encrypt(plaintext, associatedData) {
    const nonce = randomText(12);
    const key = await crypto.subtle.importKey('raw', encoder.encode(options.apiV3Key), 'AES-GCM', false, ['encrypt']);
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: encoder.encode(nonce), additionalData: encoder.encode(associatedData), tagLength: 128 },
      key,
      encoder.encode(plaintext),
    );
    return {
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: b64(new Uint8Array(sealed)),
      associated_data: associatedData,
      nonce,
    };
  }

  /** @param {string} url @param {string} eventType @param {string} originalType @param {unknown} resource */
  async function notify(url, eventType, originalType, resource) {
    const body = JSON.stringify({
      id: crypto.randomUUID(),
      create_time: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary: eventType,
      resource: { original_type: originalType, ...(await encrypt(JSON.stringify(resource), originalType)) },
    });
    counts.notifications++;
    const res = await deliver(url, { method: 'POST', headers: await signedHeaders(body), body });
    return res.status;
  }

  /** @param {any} t */
  function tradeView(t) {
    return {
      appid: options.appId,
      mchid: options.mchId,
      out_trade_no: t.outTradeNo,
      trade_state: t.state,
      trade_state_desc: t.state,
      ...(t.state === 'SUCCESS' || t.state === 'REFUND'
        ? {
            transaction_id: t.transactionId,
            trade_type: t.channel.toUpperCase(),
            success_time: new Date(t.paidAt).toISOString(),
            payer: { openid: t.openid ?? 'oFakeNativePayer0000000000' },
            amount: { total: t.total, payer_total: t.total, currency: 'CNY', payer_currency: 'CNY' },
          }
        : {}),
    };
  }

  /** @param {any} r */
  function refundView(r) {
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      status: r.status,
      create_time: new Date(r.createdAt).toISOString(),
      amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund, currency: 'CNY' },
    };
  }

  /** @param {Request} request */
  async function handle(request) {
    const url = new URL(request.url);
    const pathWithQuery = url.pathname + url.search;
    const body = request.method === 'POST' ? await request.text() : '';
    const failure = failures.find((f) => url.pathname.startsWith(f.prefix) && f.count > 0);
    if (url.pathname.startsWith('/v3/refund/domestic/refunds') && request.method === 'POST') counts.refundRequests++;
    if (failure) {
      failure.count--;
      calls.push({ method: request.method, path: url.pathname, status: failure.status });
      return new Response(JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' }), { status: failure.status });
    }
    const res = await route(request, url, pathWithQuery, body);
    calls.push({ method: request.method, path: url.pathname, status: res.status });
    const loss = losses.find((l) => url.pathname.startsWith(l.prefix) && l.count > 0);
    if (loss && res.status < 300) {
      loss.count--;
      return new Response(JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' }), { status: 500 });
    }
    return res;
  }

  /** @param {Request} request @param {URL} url @param {string} pathWithQuery @param {string} body */
  async function route(request, url, pathWithQuery, body) {
    if (!(await authorized(request, pathWithQuery, body))) {
      return answer(401, { code: 'SIGN_ERROR', message: '签名错误' });
    }
    const json = body ? JSON.parse(body) : {};
    const place = url.pathname.match(/^\/v3\/pay\/transactions\/(jsapi|native|h5)$/);
    if (request.method === 'POST' && place) {
      const channel = place[1];
      if (json.appid !== options.appId || json.mchid !== options.mchId) {
        return answer(400, { code: 'PARAM_ERROR', message: 'appid和mch_id不匹配' });
      }
      if (!Number.isInteger(json.amount?.total) || json.amount.total <= 0 || !json.notify_url || !json.out_trade_no) {
        return answer(400, { code: 'PARAM_ERROR', message: '参数错误' });
      }
      if (channel === 'jsapi' && !json.payer?.openid)
        return answer(400, { code: 'PARAM_ERROR', message: '缺少openid' });
      const known = trades.get(json.out_trade_no);
      if (known && known.state !== 'NOTPAY') return answer(400, { code: 'ORDERPAID', message: '该订单已支付' });
      if (known && known.total !== json.amount.total) {
        return answer(400, { code: 'INVALID_REQUEST', message: '201 商户订单号重复' });
      }
      const trade = known ?? {
        outTradeNo: json.out_trade_no,
        total: json.amount.total,
        state: 'NOTPAY',
        prepayId: `wx${randomText(30)}`,
        codeUrl: `weixin://wxpay/bizpayurl?pr=${randomText(7)}`,
      };
      Object.assign(trade, { channel, notifyUrl: json.notify_url, openid: json.payer?.openid });
      trades.set(trade.outTradeNo, trade);
      if (channel === 'jsapi') return answer(200, { prepay_id: trade.prepayId });
      if (channel === 'native') return answer(200, { code_url: trade.codeUrl });
      return answer(200, {
        h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${trade.prepayId}`,
      });
    }
    const query = url.pathname.match(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/);
    if (request.method === 'GET' && query) {
      if (url.searchParams.get('mchid') !== options.mchId)
        return answer(400, { code: 'PARAM_ERROR', message: 'mchid' });
      const trade = trades.get(decodeURIComponent(query[1] ?? ''));
      if (!trade) return answer(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      return answer(200, tradeView(trade));
    }
    if (request.method === 'POST' && url.pathname === '/v3/refund/domestic/refunds') {
      const seen = refunds.get(json.out_refund_no);
      // The same out_refund_no is the same refund: a resend answers it again and refunds nothing more.
      if (seen) return answer(200, refundView(seen));
      const trade = trades.get(json.out_trade_no);
      if (!trade || (trade.state !== 'SUCCESS' && trade.state !== 'REFUND')) {
        return answer(404, { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' });
      }
      const refunded = [...refunds.values()]
        .filter((r) => r.outTradeNo === trade.outTradeNo)
        .reduce((s, r) => s + r.refund, 0);
      if (
        json.amount?.total !== trade.total ||
        !(json.amount?.refund > 0) ||
        refunded + json.amount.refund > trade.total
      ) {
        return answer(400, { code: 'PARAM_ERROR', message: '退款金额错误' });
      }
      const refund = {
        refundId: `50${randomText(26).replace(/\D/g, '3')}`,
        outRefundNo: json.out_refund_no,
        outTradeNo: trade.outTradeNo,
        transactionId: trade.transactionId,
        total: trade.total,
        refund: json.amount.refund,
        status: 'PROCESSING',
        notifyUrl: json.notify_url,
        createdAt: Date.now(),
      };
      refunds.set(refund.outRefundNo, refund);
      trade.state = 'REFUND';
      counts.refundsCreated++;
      return answer(200, refundView(refund));
    }
    const refundQuery = url.pathname.match(/^\/v3\/refund\/domestic\/refunds\/([^/]+)$/);
    if (request.method === 'GET' && refundQuery) {
      const refund = refunds.get(decodeURIComponent(refundQuery[1] ?? ''));
      if (!refund) return answer(404, { code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' });
      return answer(200, refundView(refund));
    }
    return answer(404, { code: 'NOT_FOUND', message: url.pathname });
  }

  /** @param {string} key an out_trade_no, a prepay_id or a code_url */
  function findTrade(key) {
    return trades.get(key) ?? [...trades.values()].find((t) => t.prepayId === key || t.codeUrl === key);
  }

  return {
    handle,
    trades,
    refunds,
    calls,
    counts,
    /** The next `count` requests under `prefix` answer `status` (500: WeChat's own failure). */
    failNext(prefix, count = 1, status = 500) {
      failures.push({ prefix, count, status });
    },
    /** Forgets the failures and losses still to come. */
    clearScripts() {
      failures.length = 0;
      losses.length = 0;
    },
    /** The next `count` requests under `prefix` are performed, but their answer is lost (500 comes back). */
    loseNext(prefix, count = 1) {
      losses.push({ prefix, count });
    },
    /**
     * The payer pays (confirms in WeChat, or scans the QR): the trade becomes SUCCESS and, unless `notify` is false
     * (a lost notification), WeChat notifies notify_url. Returns the notification's HTTP status, or 0.
     * @param {string} key @param {{ notify?: boolean }} [opts]
     */
    async pay(key, opts = {}) {
      const trade = findTrade(key);
      if (!trade) throw new Error(`fake WeChat Pay: no trade ${key}`);
      if (trade.state === 'NOTPAY') {
        Object.assign(trade, {
          state: 'SUCCESS',
          transactionId: `4200${Date.now()}${randomText(6).replace(/\D/g, '1')}`,
          paidAt: Date.now(),
        });
      }
      if (opts.notify === false) return 0;
      return notify(trade.notifyUrl, 'TRANSACTION.SUCCESS', 'transaction', {
        ...tradeView(trade),
        trade_state: 'SUCCESS',
      });
    },
    /** WeChat finishes a refund (SUCCESS, or ABNORMAL / CLOSED) and notifies, unless `notify` is false. */
    async settleRefund(outRefundNo, status = 'SUCCESS', opts = {}) {
      const refund = refunds.get(outRefundNo);
      if (!refund) throw new Error(`fake WeChat Pay: no refund ${outRefundNo}`);
      refund.status = status;
      if (opts.notify === false) return 0;
      const r = refundView(refund);
      return notify(refund.notifyUrl, `REFUND.${status}`, 'refund', {
        mchid: options.mchId,
        out_trade_no: r.out_trade_no,
        transaction_id: r.transaction_id,
        out_refund_no: r.out_refund_no,
        refund_id: r.refund_id,
        refund_status: status,
        success_time: new Date().toISOString(),
        user_received_account: r.user_received_account,
        amount: {
          total: r.amount.total,
          refund: r.amount.refund,
          payer_total: r.amount.total,
          payer_refund: r.amount.refund,
        },
      });
    },
  };
}
