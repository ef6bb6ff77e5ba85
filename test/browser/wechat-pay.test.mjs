// (f) Paying through WeChat Pay, against the fake WeChat the server started (fakeWechat.mjs: OAuth and Pay v3 with
// its own keys; the Worker signs every call and checks every answer). A consumer in WeChat opens a shop link, is sent
// through OAuth snsapi_base and back, orders and pays by JSAPI (the WeixinJSBridge stands in for WeChat's sheet and
// tells the fake the payer confirmed), and the order page shows it paid once WeChat's notification arrives. The brand
// refunds it while WeChat Pay answers 500 once: the refund reaches the fake once (same out_refund_no), a second
// request is refused, and when WeChat confirms, the consumer's order page shows the refund succeeded. A desktop
// browser pays by scanning the Native QR code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ApiClient,
  agentOfLevel,
  BASE,
  clientAddress,
  freshPhone,
  launch,
  logins,
  Person,
  WAIT_MS,
  withPeople,
} from './lib.mjs';

const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN';
const DESKTOP_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
// WeChat's JS-SDK (the share card) is not what this test is about: a stub that does nothing.
const SDK = 'https://res.wx.qq.com/**';
const STUB_WX = 'window.wx = { config() {}, ready() {}, error() {} };';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function fakeBase() {
  const base = process.env.AGENTRY_FAKE_WECHAT;
  if (!base) throw new Error('AGENTRY_FAKE_WECHAT is not set: run the browser tests with npm run test:browser');
  return base;
}

/** What the fake WeChat saw: OAuth counts, trades, refunds and the refund request count. */
async function fakePay() {
  const res = await fetch(`${fakeBase()}/__pay`, { signal: AbortSignal.timeout(WAIT_MS) });
  return res.json();
}

/** @param {string} path @param {unknown} body */
async function fakeDo(path, body) {
  const res = await fetch(`${fakeBase()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${path}: ${text}`);
  return JSON.parse(text);
}

/** @param {string} testName @param {string} who @param {{ userAgent: string, width: number, mobile: boolean }} as */
async function open(testName, who, as) {
  const context = await browser.newContext({
    viewport: { width: as.width, height: 800 },
    deviceScaleFactor: 1,
    isMobile: as.mobile,
    hasTouch: as.mobile,
    locale: 'zh-CN',
    baseURL: BASE,
    userAgent: as.userAgent,
    extraHTTPHeaders: { 'CF-Connecting-IP': clientAddress() },
  });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(30_000);
  await context.route(SDK, (route) => route.fulfill({ contentType: 'application/javascript', body: STUB_WX }));
  return new Person(context, await context.newPage(), testName, who, as.width);
}

/** From the shop page: the first product into the cart, checkout as a guest, and the order page. @param {Person} p */
async function orderFirstProduct(p) {
  const { page } = p;
  await page.locator('a[href^="/product?"]').first().click();
  await p.arrive(/\/product\?/);
  await page.getByRole('button', { name: '加入购物车', exact: true }).click();
  await page.getByRole('link', { name: '查看购物车' }).click();
  await p.arrive(/\/cart/);
  await page.getByRole('link', { name: '去结算' }).click();
  await p.arrive(/\/checkout/);
  await page.getByLabel('收货人', { exact: true }).fill('王小明');
  await page.getByLabel('手机号', { exact: true }).fill(freshPhone());
  await page.getByLabel('收货地址', { exact: true }).fill('浙江省杭州市西湖区文三路 100 号');
  await page.getByRole('button', { name: /^提交订单/ }).click();
  await p.arrive(/\/order\?id=/);
  await page.getByText('下单成功').waitFor();
  return new URL(page.url()).searchParams.get('id') ?? '';
}

test('in WeChat: OAuth once, JSAPI payment, paid; a refund retried reaches WeChat once and shows succeeded', async () => {
  const shop = agentOfLevel(6);
  const consumer = await open('wechat-pay', 'consumer', { userAgent: WECHAT_UA, width: 360, mobile: true });
  await withPeople([consumer], async () => {
    const { page, context } = consumer;
    /** @type {Record<string, string>[]} */
    const bridgeCalls = [];
    // WeChat's pay sheet: the payer confirms, WeChat Pay (the fake) takes the money and notifies the Worker.
    await context.exposeFunction('__wxConfirm', async (/** @type {Record<string, string>} */ params) => {
      bridgeCalls.push(params);
      const prepayId = (params.package ?? '').replace(/^prepay_id=/, '');
      await fakeDo('/__pay', { key: prepayId });
      return 'get_brand_wcpay_request:ok';
    });
    await context.addInitScript(() => {
      const w = /** @type {any} */ (window);
      w.WeixinJSBridge = {
        invoke(/** @type {string} */ name, /** @type {any} */ params, /** @type {(r: object) => void} */ done) {
          if (name !== 'getBrandWCPayRequest') return done({ err_msg: `${name}:fail` });
          w.__wxConfirm(params).then((/** @type {string} */ msg) => done({ err_msg: msg }));
        },
      };
    });

    const before = await fakePay();
    await page.goto(`/s/${shop.code}`, { waitUntil: 'load' });
    await consumer.hydrated();
    assert.equal(new URL(page.url()).pathname, `/s/${shop.code}`, 'back on the shop link after OAuth');
    const afterOauth = await fakePay();
    assert.equal(afterOauth.oauth.authorizations, before.oauth.authorizations + 1, 'sent through OAuth once');
    assert.equal(afterOauth.oauth.exchanges, before.oauth.exchanges + 1, 'the Worker exchanged the code');
    const openid = afterOauth.oauth.openids.at(-1);
    const cookies = await context.cookies();
    assert.ok(
      cookies.some((c) => c.name === 'agentry_wx' && c.httpOnly),
      'the openid is held server side',
    );
    assert.ok(!cookies.some((c) => c.value === openid), 'the browser never holds the openid');
    await consumer.step('shop-after-oauth');

    const orderId = await orderFirstProduct(consumer);
    assert.equal((await fakePay()).oauth.authorizations, afterOauth.oauth.authorizations, 'no second OAuth round');
    await consumer.step('order-placed');
    await page.getByRole('button', { name: /^立即支付/ }).click();
    await page.getByText('支付成功，等待发货。').waitFor();
    await page.getByText('已付款，待发货').first().waitFor();
    assert.equal(bridgeCalls.length, 1, 'the page opened WeChat’s pay sheet once');
    assert.equal(bridgeCalls[0]?.signType, 'RSA');
    const trade = (await fakePay()).trades.find((/** @type {any} */ t) => t.outTradeNo === orderId);
    assert.equal(trade?.channel, 'jsapi');
    assert.equal(trade?.openid, openid, 'prepaid for the openid OAuth gave this browser');
    assert.equal(trade?.state, 'SUCCESS');
    await consumer.step('paid');

    // The brand refunds while WeChat Pay answers 500 once: the Worker retries with the same out_refund_no.
    const demo = logins();
    const brand = new ApiClient();
    await brand.login('admin', demo.admin.username, demo.admin.password);
    const requestsBefore = (await fakePay()).counts.refundRequests;
    await fakeDo('/__fail', { prefix: '/v3/refund/domestic/refunds', count: 1, status: 500 });
    const refunded = await brand.call('POST', `/orders/${orderId}/refund`, { reason: '七天无理由退货' });
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    const again = await brand.call('POST', `/orders/${orderId}/refund`, { reason: '七天无理由退货' });
    assert.equal(again.status, 409, 'the repeated refund is refused');
    const atWechat = await fakePay();
    const refunds = atWechat.refunds.filter((/** @type {any} */ r) => r.outTradeNo === orderId);
    assert.equal(refunds.length, 1, 'one refund at WeChat Pay');
    assert.equal(atWechat.counts.refundRequests - requestsBefore, 2, 'sent twice: the 500, then the retry');

    await page.reload({ waitUntil: 'load' });
    await page.getByText('退款处理中，将原路退回').waitFor();
    await consumer.step('refund-processing');
    await fakeDo('/__refund', { outRefundNo: refunds[0].outRefundNo });
    await page.reload({ waitUntil: 'load' });
    await page.getByText('退款成功，已原路退回').waitFor();
    await consumer.step('refund-succeeded');
  });
});

test('on a desktop: the Native QR code, scanned and paid, and the page follows the order to paid', async () => {
  const shop = agentOfLevel(5);
  const buyer = await open('wechat-pay', 'desktop', { userAgent: DESKTOP_UA, width: 1280, mobile: false });
  await withPeople([buyer], async () => {
    const before = await fakePay();
    await buyer.goto(`/s/${shop.code}`);
    assert.equal((await fakePay()).oauth.authorizations, before.oauth.authorizations, 'no OAuth outside WeChat');
    const orderId = await orderFirstProduct(buyer);
    await buyer.page.getByRole('button', { name: /^立即支付/ }).click();
    const qr = buyer.page.locator('figure.pay-qr');
    await qr.getByRole('img', { name: '微信支付二维码' }).waitFor();
    await buyer.page.getByText('请用微信扫描二维码完成支付').waitFor();
    const codeUrl = (await qr.getAttribute('data-code-url')) ?? '';
    assert.match(codeUrl, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    assert.equal(await qr.locator('svg').count(), 1, 'the QR code is drawn');
    await buyer.step('native-qr');
    // The payer scans it with WeChat and pays.
    await fakeDo('/__pay', { key: codeUrl });
    await buyer.page.getByText('支付成功，等待发货。').waitFor({ timeout: 20_000 });
    const trade = (await fakePay()).trades.find((/** @type {any} */ t) => t.outTradeNo === orderId);
    assert.equal(trade?.channel, 'native');
    await buyer.step('native-paid');
  });
});
