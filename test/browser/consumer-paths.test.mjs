// The rest of the consumer's journey (issue 15), in WeChat's browser at 360×800: a member's address book (我的 → 收货地址,
// added with the 省市区 picker, edited, made the default, deleted); add-to-cart feedback in view on the product page; a
// missing or off-sale product that leads back to the shop; and the shop link, product, cart and checkout asking the
// server for nothing it answers 401 or 404, as a guest and as a member.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ApiClient,
  agentOfLevel,
  eventually,
  freshPhone,
  HEIGHT,
  launch,
  logins,
  Person,
  smsCodeFor,
  WECHAT_UA,
  withPeople,
} from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * A person in WeChat's browser, whose JS-SDK (res.wx.qq.com, out of reach of this offline machine) is a stub that
 * accepts the share card.
 * @param {string} who
 */
async function inWechat(who) {
  const person = await Person.open(browser, 'consumer-paths', who, { userAgent: WECHAT_UA });
  await person.context.route('https://res.wx.qq.com/**', (route) =>
    route.fulfill({
      contentType: 'application/javascript',
      body: 'window.wx = { config() {}, ready(fn) { fn(); }, error() {}, updateAppMessageShareData() {}, updateTimelineShareData() {} };',
    }),
  );
  return person;
}

/** A new member bound to the shop's agent, signed up with its SMS code. @param {string} shopCode */
async function newMember(shopCode, name) {
  const phone = freshPhone();
  const client = new ApiClient();
  assert.equal((await client.call('POST', '/sms/codes', { phone, purpose: 'signup' })).status, 202);
  const made = await client.call('POST', '/members', {
    phone,
    name,
    password: 'member12345',
    ref: shopCode,
    smsCode: await smsCodeFor(phone, 'signup'),
  });
  assert.equal(made.status, 201, `signup: ${JSON.stringify(made.body)}`);
  return { phone, password: 'member12345', client };
}

/**
 * Records every answer of 401 or 404 the page gets (documents, scripts, API calls), as the console would show them.
 * @param {import('playwright-core').Page} page
 */
function watchFailures(page) {
  /** @type {string[]} */
  const failed = [];
  page.on('response', (res) => {
    if (res.status() === 401 || res.status() === 404) failed.push(`${res.status()} ${new URL(res.url()).pathname}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') failed.push(`console: ${msg.text()}`);
  });
  return failed;
}

/** Shop link → product → 加入购物车 → cart → checkout. @param {Person} person @param {string} code */
async function walkToCheckout(person, code) {
  const page = person.page;
  await person.goto(`/s/${code}`);
  await page.locator('li.pcard:not(.soldout) a').first().click();
  await person.arrive(/\/product\?/);
  await page.getByRole('button', { name: '加入购物车', exact: true }).click();
  await page.getByRole('link', { name: '查看购物车' }).click();
  await person.arrive(/\/cart/);
  await page.getByRole('link', { name: '去结算' }).click();
  await person.arrive(/\/checkout/);
  await page.getByRole('button', { name: /^提交订单/ }).waitFor();
  // Late requests (the share card's, the region list) have their answers by now.
  await page.waitForLoadState('networkidle');
}

// The tests below are independent (each opens its own people and accounts): they run at once.
describe('the consumer paths', { concurrency: true }, () => {
  test('a member keeps delivery addresses: added with the 省市区 picker, edited, made the default, deleted', async () => {
    const seller = agentOfLevel(3);
    const member = await newMember(seller.code, '邹地址');
    const person = await inWechat('member');
    await withPeople([person], async () => {
      const page = person.page;
      await person.login('会员', member.phone, member.password, '/orders');
      await page.getByRole('link', { name: '收货地址' }).click();
      await person.arrive('/addresses');
      assert.equal(await page.locator('.tabbar [data-tab="me"]').getAttribute('aria-current'), 'page');
      await page.getByText('还没有收货地址').waitFor();

      /** @param {string} name @param {string} phone @param {[string, string, string]} region @param {string} street */
      async function fill(name, phone, region, street) {
        await page.getByLabel('收货人', { exact: true }).fill(name);
        await page.getByLabel('手机号', { exact: true }).fill(phone);
        const [province, city, district] = region;
        await page.getByLabel('省份').selectOption(province);
        await page.getByLabel('城市').selectOption(city);
        await page.getByLabel('区县').selectOption(district);
        await page.getByLabel('详细地址', { exact: true }).fill(street);
      }
      await page.getByRole('button', { name: '新增收货地址' }).click();
      // A street too short without the region is refused under its field before anything is sent.
      await page.getByLabel('收货人', { exact: true }).fill('邹先生');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.getByText('请输入 11 位手机号').waitFor();
      await fill('邹先生', '13900001111', ['浙江省', '杭州市', '西湖区'], '文三路 100 号');
      await person.step('address-new');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      const first = page.locator('li.address-item', { hasText: '邹先生' });
      await first.getByText('浙江省杭州市西湖区 文三路 100 号').waitFor();
      await first.getByText('默认', { exact: true }).waitFor();

      await page.getByRole('button', { name: '新增收货地址' }).click();
      await fill('邹太太', '13900002222', ['上海市', '上海市', '浦东新区'], '世纪大道 1 号');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      const second = page.locator('li.address-item', { hasText: '邹太太' });
      await second.getByText('上海市浦东新区 世纪大道 1 号').waitFor();
      assert.equal(await second.getByText('默认', { exact: true }).count(), 0, 'the first address stays the default');

      // Editing reads the saved text back into the picker: the region selected, the street alone in its field.
      await page.getByRole('button', { name: '编辑 邹太太' }).click();
      assert.equal(await page.getByLabel('省份').inputValue(), '上海市');
      assert.equal(await page.getByLabel('区县').inputValue(), '浦东新区');
      assert.equal(await page.getByLabel('详细地址', { exact: true }).inputValue(), '世纪大道 1 号');
      await page.getByLabel('区县').selectOption('黄浦区');
      await page.getByLabel('详细地址', { exact: true }).fill('南京东路 8 号');
      await person.step('address-edit');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await second.getByText('上海市黄浦区 南京东路 8 号').waitFor();

      await second.getByRole('button', { name: '设为默认' }).click();
      await second.getByText('默认', { exact: true }).waitFor();
      await eventually(async () => (await first.getByText('默认', { exact: true }).count()) === 0, 'the default moves');
      // The default comes first.
      assert.match((await page.locator('li.address-item').first().textContent()) ?? '', /邹太太/);
      await person.step('address-default');

      await page.getByRole('button', { name: '删除 邹先生' }).click();
      await page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
      await page.getByText('已删除').waitFor();
      // The toast may show before the list has drawn again.
      await eventually(async () => (await first.count()) === 0, 'the deleted address leaves the list');
      await person.step('address-deleted');

      const saved = await member.client.call('POST', '/auth/login', {
        role: 'member',
        account: member.phone,
        password: member.password,
      });
      assert.equal(saved.status, 200);
      const list = await member.client.call('GET', '/members/me/addresses');
      assert.deepEqual(
        list.body.items.map((/** @type {{ address: string, isDefault: boolean }} */ a) => [a.address, a.isDefault]),
        [['上海市黄浦区 南京东路 8 号', true]],
      );
    });
  });

  test('the product page shows add-to-cart feedback in view; a missing or off-sale product leads back to the shop', async () => {
    const seller = agentOfLevel(4);
    const demo = logins();
    const admin = new ApiClient();
    await admin.login('admin', demo.admin.username, demo.admin.password);
    const levels = await admin.call('GET', '/brand/settings');
    const prices = Object.fromEntries(
      levels.body.levels.map((/** @type {{ rank: number }} */ l) => [String(l.rank), 10_000 + l.rank * 1_000]),
    );
    const sku = `OFF-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const off = await admin.call('POST', '/products', {
      sku,
      name: '下架面霜',
      retailFen: 29_900,
      prices,
      onSale: false,
    });
    assert.equal(off.status, 201, `off-sale product: ${JSON.stringify(off.body)}`);

    const guest = await inWechat('guest');
    await withPeople([guest], async () => {
      const page = guest.page;
      const failed = watchFailures(page);
      await guest.goto(`/s/${seller.code}`);
      const shopName = `${seller.name}的小店`;
      await page.locator('li.pcard:not(.soldout) a').first().click();
      await guest.arrive(/\/product\?/);
      await page.getByRole('button', { name: '加入购物车', exact: true }).click();
      const toast = page.locator('.add-toast');
      await toast.getByText(/已加入购物车（共 1 件）/).waitFor();
      const box = await toast.boundingBox();
      assert.ok(box, 'the feedback is shown');
      assert.ok(box.y >= 0 && box.y + box.height <= HEIGHT, `the feedback is in the viewport: ${JSON.stringify(box)}`);
      // It is not hidden under the tab bar.
      const bar = await page.locator('nav.tabbar').boundingBox();
      assert.ok(bar && box.y + box.height <= bar.y + 0.5, `above the tab bar: ${JSON.stringify({ box, bar })}`);
      await guest.step('product-added');
      await toast.getByRole('link', { name: '查看购物车' }).waitFor();

      for (const [label, id] of [
        ['bad-id', 'prd_01jx0000000000000000000000'],
        ['off-sale', off.body.id],
      ]) {
        await guest.goto(`/product?id=${id}&s=${seller.code}`);
        await page.getByRole('heading', { name: '商品不存在或已下架' }).waitFor();
        const back = page.getByRole('link', { name: `返回${shopName}` });
        assert.equal(await back.getAttribute('href'), `/s/${seller.code}`);
        assert.equal(await page.getByRole('link', { name: '我的订单' }).getAttribute('href'), '/orders');
        await guest.step(`product-${label}`);
      }
      // The API said 404 for both (what the quiet walk below would catch on a page that asked for something missing).
      assert.ok(failed.includes(`404 /api/products/${off.body.id}`), `the off-sale product is a 404: ${failed}`);
      assert.ok(failed.includes('404 /api/products/prd_01jx0000000000000000000000'), `a bad id is a 404: ${failed}`);
      await page.getByRole('link', { name: `返回${shopName}` }).click();
      await guest.arrive(`/s/${seller.code}`);
      await page.getByRole('heading', { name: seller.name, level: 1 }).waitFor();
    });
  });

  test('the shop link, product, cart and checkout get no 401 or 404, as a guest and as a member', async () => {
    const seller = agentOfLevel(5);
    const member = await newMember(seller.code, '钱安静');
    const guest = await inWechat('quiet-guest');
    const signedIn = await inWechat('quiet-member');
    await withPeople([guest, signedIn], async () => {
      const guestFailed = watchFailures(guest.page);
      await walkToCheckout(guest, seller.code);
      await guest.step('guest-checkout');
      assert.deepEqual(guestFailed, [], 'a guest’s pages get no 401 or 404');

      await signedIn.login('会员', member.phone, member.password, `/s/${seller.code}`);
      const memberFailed = watchFailures(signedIn.page);
      await walkToCheckout(signedIn, seller.code);
      await signedIn.page.getByText('会员 钱安静 已登录').waitFor();
      await signedIn.step('member-checkout');
      assert.deepEqual(memberFailed, [], 'a member’s pages get no 401 or 404');
    });
  });
});
