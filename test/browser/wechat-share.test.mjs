// (e) The share card inside WeChat: a shop link opened with WeChat's user agent asks the Worker for a JS-SDK signature
// after its first paint (the Worker gets the token and ticket from the fake WeChat API the server started, see
// fakeWechat.mjs), loads WeChat's SDK (served here by a stub `wx` that records its calls) and sets the card: the
// agent's shop title, description, link and a thumbnail. A second shop page signs from the cached ticket. Outside
// WeChat the page asks for nothing of this.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { FAKE_APP_ID } from './fakeWechat.mjs';
import { agentOfLevel, BASE, eventually, HEIGHT, launch, Person, WAIT_MS, WIDTH, withPeople } from './lib.mjs';

const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; V2049A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 ' +
  'MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';
const SDK = 'https://res.wx.qq.com/**';

// Stands in for jweixin-1.6.0.js: records what the page passes; ready callbacks run once wx.config was called.
const STUB_WX = `(() => {
  const calls = (window.__wx = { config: [], appMessage: [], timeline: [], ready: 0 });
  let configured = false;
  let waiting = [];
  const flush = () => setTimeout(() => {
    for (const fn of waiting.splice(0)) { calls.ready++; fn(); }
  }, 0);
  window.wx = {
    config(options) { calls.config.push(options); configured = true; flush(); },
    ready(fn) { waiting.push(fn); if (configured) flush(); },
    error() {},
    updateAppMessageShareData(data) { calls.appMessage.push(data); },
    updateTimelineShareData(data) { calls.timeline.push(data); },
  };
})();`;

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** @returns {Promise<{ tokenRequests: number, ticketRequests: number, ticket: string }>} */
async function fakeWechatState() {
  const base = process.env.AGENTRY_FAKE_WECHAT;
  if (!base) throw new Error('AGENTRY_FAKE_WECHAT is not set: run the browser tests with npm run test:browser');
  const res = await fetch(`${base}/__state`, { signal: AbortSignal.timeout(WAIT_MS) });
  return res.json();
}

/** A person whose browser says it is WeChat's, with the SDK stubbed; every request the page makes is listed. */
async function openWechat(testName, who) {
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: HEIGHT },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    baseURL: BASE,
    userAgent: WECHAT_UA,
  });
  context.setDefaultTimeout(WAIT_MS);
  // This browser already went through WeChat OAuth this session (that round trip is wechat-pay.test.mjs's subject).
  await context.addCookies([{ name: 'agentry_wx_tried', value: '1', url: BASE }]);
  await context.route(SDK, (route) => route.fulfill({ contentType: 'application/javascript', body: STUB_WX }));
  return new Person(context, await context.newPage(), testName, who, WIDTH);
}

/** @param {import('playwright-core').BrowserContext} context @returns {string[]} the URLs requested from now on */
function recordRequests(context) {
  /** @type {string[]} */
  const urls = [];
  context.on('request', (req) => urls.push(req.url()));
  return urls;
}

/**
 * Waits for the share card and returns what the page passed to wx, with the page's URL.
 * @param {Person} person
 */
async function shareCalls(person) {
  await eventually(
    () => person.page.evaluate(() => (window.__wx?.appMessage.length ?? 0) > 0),
    'the page to set its share card (wx.updateAppMessageShareData)',
  );
  return person.page.evaluate(() => ({ ...window.__wx, href: location.href }));
}

/** WeChat's JS-SDK signature, computed here from the fake's ticket. */
function sha1Signature(ticket, nonceStr, timestamp, url) {
  return createHash('sha1')
    .update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`)
    .digest('hex');
}

/**
 * Checks the wx.config call and the card for a shop.
 * @param {Awaited<ReturnType<typeof shareCalls>>} calls @param {string} ticket
 * @param {import('./lib.mjs').DemoAgent} agent @param {string | null} picture the shop's first product image
 */
function assertCard(calls, ticket, agent, picture) {
  assert.equal(calls.config.length, 1, 'wx.config is called once');
  const config = calls.config[0];
  assert.equal(config.appId, FAKE_APP_ID, 'wx.config gets the Official Account’s appId');
  assert.deepEqual(config.jsApiList, ['updateAppMessageShareData', 'updateTimelineShareData']);
  assert.equal(config.debug, false);
  assert.ok(
    Math.abs(config.timestamp - Date.now() / 1000) < 300,
    `the timestamp is now, in seconds: ${config.timestamp}`,
  );
  const signed = calls.href.split('#')[0];
  assert.equal(
    config.signature,
    sha1Signature(ticket, config.nonceStr, config.timestamp, signed),
    `the signature is sha1 over the fake's ticket, the nonce, the timestamp and ${signed}`,
  );

  const card = calls.appMessage[0];
  const link = `${BASE}/s/${agent.code}`;
  // The shop wears the brand: "<agent>的小店 · <brand>".
  assert.match(card.title, new RegExp(`^${agent.name}的小店 · \\S+$`));
  assert.equal(card.link, link, 'the card links to the shop link itself, without WeChat’s ?from= or a #fragment');
  assert.ok(card.desc.includes(agent.name), `the description names the agent: ${card.desc}`);
  assert.doesNotMatch(card.desc, /奖|红包|返现|领取|转发|分享/, 'the copy promises nothing for sharing (诱导分享)');
  assert.equal(card.imgUrl, picture ? new URL(picture, BASE).href : '', 'the thumbnail is the shop’s first picture');
  if (picture) assert.match(card.imgUrl, /^https?:\/\/.+\.(?:png|jpe?g)$/i, 'an absolute PNG or JPEG URL');
  assert.deepEqual(calls.timeline, [{ title: card.title, link, imgUrl: card.imgUrl }], 'the Moments card too');
}

/** The shop's first product picture, from the page's data island. @param {Person} person */
function firstPicture(person) {
  return person.page.evaluate(() => {
    const data = JSON.parse(document.getElementById('shop-data')?.textContent ?? 'null');
    return data?.products.map((/** @type {{ image: string | null }} */ p) => p.image).find(Boolean) ?? null;
  });
}

test('in WeChat the shop link signs itself and sets its share card; a second page signs from the cached ticket', async () => {
  const shop = agentOfLevel(6);
  const other = agentOfLevel(5);
  const consumer = await openWechat('wechat-share', 'consumer');
  await withPeople([consumer], async () => {
    const requests = recordRequests(consumer.context);
    const before = await fakeWechatState();

    // As a link sent in a chat arrives: WeChat adds ?from=…; the fragment is never signed.
    await consumer.goto(`/s/${shop.code}?from=singlemessage&isappinstalled=0#products`);
    await consumer.page.getByRole('heading', { level: 1, name: shop.name }).waitFor();
    const calls = await shareCalls(consumer);
    assert.match(calls.href, /\?from=singlemessage&isappinstalled=0#products$/);
    const first = await fakeWechatState();
    assertCard(calls, first.ticket, shop, await firstPicture(consumer));
    assert.ok(first.tokenRequests >= 1 && first.ticketRequests >= 1, 'the Worker asked WeChat for a token and ticket');
    assert.ok(first.tokenRequests - before.tokenRequests <= 1, 'at most one token request for this page');

    // The signature request came after the first paint, never before it.
    const timing = await consumer.page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.POSITIVE_INFINITY;
      const api = performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.startsWith('/api/'));
      return { fcp, api: api.map((e) => ({ path: new URL(e.name).pathname, start: e.startTime })) };
    });
    const signing = timing.api.filter((e) => e.path === '/api/wechat/js-config');
    assert.equal(signing.length, 1, 'one signature request');
    assert.ok(Number.isFinite(timing.fcp), 'the page painted');
    assert.deepEqual(
      timing.api.filter((e) => e.start < timing.fcp),
      [],
      'no API call before the first contentful paint',
    );
    assert.equal(requests.filter((u) => u.startsWith('https://res.wx.qq.com/open/js/jweixin-1.6.0.js')).length, 1);
    await consumer.step('shop-in-wechat');

    // Another shop link in the same WeChat: a new signature from the ticket the Worker keeps.
    await consumer.goto(`/s/${other.code}`);
    const again = await shareCalls(consumer);
    const second = await fakeWechatState();
    assertCard(again, second.ticket, other, await firstPicture(consumer));
    assert.equal(second.tokenRequests, first.tokenRequests, 'no new token for the second page (cached)');
    assert.equal(second.ticketRequests, first.ticketRequests, 'no new ticket for the second page (cached)');
    await consumer.step('second-shop-in-wechat');

    // With the ticket cached, a signature costs one D1 round trip (the rate-limit count); pages off the JS safe
    // domain (WECHAT_MP_DOMAIN is 127.0.0.1 here) are refused.
    const signUrl = (/** @type {string} */ url) =>
      fetch(`${BASE}/api/wechat/js-config?url=${encodeURIComponent(url)}`, { signal: AbortSignal.timeout(WAIT_MS) });
    const cached = await signUrl(`${BASE}/s/${shop.code}`);
    assert.equal(cached.status, 200);
    assert.equal(cached.headers.get('x-d1-round-trips'), '1');
    assert.ok(Number(cached.headers.get('x-d1-rows-read')) <= 2, 'a bounded read');
    assert.equal(cached.headers.get('cache-control'), 'no-store');
    const offDomain = await signUrl(`http://shop.example.com/s/${shop.code}`);
    assert.equal(offDomain.status, 400);
    const refused = await offDomain.json();
    assert.equal(refused.error.code, 'VALIDATION_FAILED');
    assert.equal(refused.error.field, 'url');
    assert.equal((await fakeWechatState()).tokenRequests, first.tokenRequests, 'still no new token');
  });
});

test('outside WeChat the shop link asks for no signature and loads no WeChat SDK', async () => {
  const shop = agentOfLevel(6);
  const visitor = await Person.open(browser, 'wechat-share', 'visitor');
  await withPeople([visitor], async () => {
    const requests = recordRequests(visitor.context);
    await visitor.context.route(SDK, (route) => route.abort());
    await visitor.goto(`/s/${shop.code}`);
    await visitor.page.waitForLoadState('networkidle', { timeout: WAIT_MS }).catch(() => undefined);
    // Longer than the page waits (idle, at most 2 s) before it would start in WeChat.
    await visitor.page.waitForTimeout(2_500);
    assert.deepEqual(
      requests.filter((u) => u.includes('/api/wechat/') || u.includes('res.wx.qq.com') || u.includes('wechatShare')),
      [],
      'no js-config request, no SDK and no share chunk',
    );
    assert.equal(await visitor.page.evaluate(() => typeof window.wx), 'undefined');
    assert.ok(
      (await visitor.page.content()).includes('<meta property="og:title"'),
      'the Open Graph tags serve the other apps',
    );
    await visitor.step('shop-outside-wechat');
  });
});
