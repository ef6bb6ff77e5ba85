// (c) The shop link to earnings: a consumer opens an agent's shop link (agent and products in the HTML, no API call
// browser-test: alone (it switches the brand to the cloud stock model and changes the freeze period)
// before the first paint), signs up bound to that agent, adds a product, checks out and pays online (the Native QR
// code, paid at the fake WeChat Pay); the agent ships it in /console with a carrier and tracking number; the brand sets the freeze
// period to 0 days in /admin and completes the order; the release cron runs; the agent's 收益 shows it available.
//
// Setup through the API (not what this test is about): the brand switches to the cloud stock model (云仓), where the
// agent owns the units it sells and ships them itself, and the agent restocks from the brand.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ApiClient,
  agentOfLevel,
  BASE,
  eventually,
  expectFieldError,
  freshPhone,
  launch,
  logins,
  Person,
  smsCodeFor,
  WAIT_MS,
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

/** @param {string} text */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** ¥12.34, as DESIGN.md (Money) and site/src/lib/money.ts write an amount. @param {number} fen */
function yuan(fen) {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * The brand runs the cloud model and the agent holds `qty` units of the product (restocked from the brand, paid
 * online through the simulator, delivered by the brand).
 * @param {ApiClient} admin @param {ApiClient} agent @param {string} productId @param {number} qty
 */
async function cloudStock(admin, agent, productId, qty) {
  const settings = await admin.call('PATCH', '/brand/settings', { stockModel: 'cloud' });
  assert.equal(settings.status, 200, `switch to the cloud model: ${JSON.stringify(settings.body)}`);
  const restock = await agent.call('POST', '/orders', {
    kind: 'restock',
    lines: [{ productId, qty }],
    paymentMethod: 'online',
  });
  assert.equal(restock.status, 201, `restock: ${JSON.stringify(restock.body)}`);
  const paid = await agent.call('POST', `/orders/${restock.body.id}/simulate-payment`);
  assert.equal(paid.status, 200, `restock paid: ${JSON.stringify(paid.body)}`);
  const delivered = await admin.call('POST', `/orders/${restock.body.id}/ship`, {});
  assert.equal(delivered.status, 200, `restock delivered: ${JSON.stringify(delivered.body)}`);
  assert.equal(delivered.body.status, 'completed');
}

test('a consumer buys through a shop link; the agent ships; the order completes and the earnings become available', async () => {
  const demo = logins();
  const seller = agentOfLevel(1);
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const agentApi = new ApiClient();
  const me = await agentApi.login('agent', seller.phone, demo.password);

  const products = await admin.call('GET', '/products?limit=5');
  assert.equal(products.status, 200, `products: ${JSON.stringify(products.body)}`);
  const product = products.body.items[0];
  assert.ok(product, 'the demo has products');
  await cloudStock(admin, agentApi, product.id, 5);
  const walletBefore = await agentApi.call('GET', `/agents/${me.id}/wallet`);
  assert.equal(walletBefore.status, 200, `wallet: ${JSON.stringify(walletBefore.body)}`);

  const memberPhone = freshPhone();
  const memberName = '钱小购';
  const consumer = await Person.open(browser, 'shop', 'consumer');
  const agent = await Person.open(browser, 'shop', 'agent');
  const brand = await Person.open(browser, 'shop', 'brand');
  await withPeople([consumer, agent, brand], async () => {
    // The shop link without JavaScript: the agent's name and the products are in the HTML the Worker sent.
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
    try {
      const plain = await noJs.newPage();
      const res = await plain.goto(`${BASE}/s/${seller.code}`, { timeout: WAIT_MS });
      assert.equal(res?.status(), 200, 'the shop link answers 200');
      await plain.getByRole('heading', { level: 1, name: seller.name, exact: true }).waitFor({ timeout: WAIT_MS });
      for (const p of products.body.items.filter((/** @type {{ onSale: boolean }} */ x) => x.onSale)) {
        const card = plain.getByRole('link', { name: new RegExp(escapeRegExp(p.name)) });
        assert.equal(await card.count(), 1, `the product ${p.name} is in the HTML, as a link`);
        assert.ok(
          (await card.textContent())?.includes(yuan(p.retailFen)),
          `with its retail price ${yuan(p.retailFen)}`,
        );
      }
      assert.ok(
        (await plain.content()).includes(`<meta property="og:title"`),
        'the shop link carries Open Graph tags for link previews',
      );
    } finally {
      await noJs.close();
    }

    // The consumer opens the shop link: no /api/ request starts before the first contentful paint.
    const page = consumer.page;
    await consumer.goto(`/s/${seller.code}`);
    await page.getByRole('heading', { name: seller.name, level: 1 }).waitFor();
    const early = await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.POSITIVE_INFINITY;
      return performance
        .getEntriesByType('resource')
        .filter((e) => new URL(e.name).pathname.startsWith('/api/') && e.startTime < fcp)
        .map((e) => e.name);
    });
    assert.deepEqual(early, [], 'no API call before the first contentful paint');
    await page
      .getByRole('link', { name: new RegExp(escapeRegExp(product.name)) })
      .first()
      .waitFor();
    await consumer.step('shop-link');

    // Sign up from the shop: bound to this agent.
    await page.getByRole('link', { name: '注册会员', exact: true }).click();
    await consumer.arrive(/\/signup/);
    await page.getByText(`通过 ${seller.name} 的小店注册`).waitFor();
    // A phone that already has a member account: the API's error lands under 手机号, in Chinese.
    const takenPhone = demo.members[0]?.phone ?? '';
    // Its owner proves it with the text message code first (read from the local SMS simulator, as from the phone).
    await page.getByLabel('手机号', { exact: true }).fill(takenPhone);
    await page.getByRole('button', { name: '获取验证码', exact: true }).click();
    await page.getByText('验证码已发送，5 分钟内有效').waitFor();
    await page.getByLabel('短信验证码', { exact: true }).fill(await smsCodeFor(takenPhone, 'signup'));
    await page.getByLabel('姓名', { exact: true }).fill(memberName);
    await page.getByLabel('密码', { exact: true }).fill('member123');
    await page.getByRole('button', { name: '注册', exact: true }).click();
    await expectFieldError(page.getByLabel('手机号', { exact: true }), '该手机号已被使用');
    await consumer.step('signup-phone-taken');
    await page.getByLabel('手机号', { exact: true }).fill(memberPhone);
    await page.getByRole('button', { name: '获取验证码', exact: true }).click();
    await page.getByLabel('短信验证码', { exact: true }).fill(await smsCodeFor(memberPhone, 'signup'));
    await page.getByRole('button', { name: '注册', exact: true }).click();
    await page.getByText(`已绑定 ${seller.name}`).waitFor();
    await consumer.step('signed-up');

    // Back in the shop: open the product, add it to the cart, check out.
    await page.getByRole('link', { name: '返回小店' }).click();
    await consumer.arrive((url) => url.pathname === `/s/${seller.code}`);
    await page
      .getByRole('link', { name: new RegExp(escapeRegExp(product.name)) })
      .first()
      .click();
    await consumer.arrive(/\/product\?/);
    await page.getByRole('heading', { name: product.name, level: 1 }).waitFor();
    await page.getByText(yuan(product.retailFen)).first().waitFor();
    await consumer.step('product');
    await page.getByRole('button', { name: '加入购物车', exact: true }).click();
    await page.getByText('已加入购物车（共 1 件）').waitFor();
    await page.getByRole('link', { name: '查看购物车' }).click();
    await consumer.arrive(/\/cart/);
    await page.getByRole('link', { name: product.name }).waitFor();
    await consumer.step('cart');
    await page.getByRole('link', { name: '去结算' }).click();
    await consumer.arrive(/\/checkout/);

    // Checkout: the member's name and phone are filled in; the address is required.
    await page.getByText(`会员 ${memberName} 已登录`).waitFor();
    assert.equal(await page.getByLabel('收货人', { exact: true }).inputValue(), memberName);
    assert.equal(await page.getByLabel('手机号', { exact: true }).inputValue(), memberPhone);
    const submit = page.getByRole('button', { name: `提交订单 ${yuan(product.retailFen)}` });
    await submit.click();
    await expectFieldError(page.getByLabel('收货地址', { exact: true }), '请填写详细地址');
    await consumer.step('checkout-error');
    await page.getByLabel('收货地址', { exact: true }).fill('浙江省杭州市西湖区文三路 100 号');
    await consumer.step('checkout');
    await submit.click();
    await consumer.arrive(/\/order\?id=/);
    const orderId = new URL(page.url()).searchParams.get('id') ?? '';
    assert.ok(orderId, 'the order page carries the order id');
    await page.getByText('下单成功').waitFor();
    await consumer.step('order-placed');

    // Pay online: outside WeChat the page shows WeChat Pay's Native QR code; the payer scans and pays it (the fake
    // WeChat the server started stands in for WeChat Pay and notifies the Worker).
    await page.getByRole('button', { name: `立即支付 ${yuan(product.retailFen)}` }).click();
    const codeUrl = (await page.locator('figure.pay-qr').getAttribute('data-code-url')) ?? '';
    const scanned = await fetch(`${process.env.AGENTRY_FAKE_WECHAT}/__pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: codeUrl }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    assert.equal(scanned.status, 200, `the fake WeChat took the payment: ${await scanned.text()}`);
    await page.getByText('支付成功，等待发货。').waitFor({ timeout: 20_000 });
    await page.getByText('已付款，待发货').first().waitFor();
    await consumer.step('paid');

    // My orders lists it.
    await page.getByRole('link', { name: '我的订单' }).click();
    await consumer.arrive(/\/orders/);
    await page.locator(`a[href*="${orderId}"]`).first().waitFor();
    await consumer.step('my-orders');

    // The agent ships it from the console's 订单 tab.
    await agent.login('代理', seller.phone, demo.password);
    await agent.goto('/console#orders');
    const row = agent.page.getByTestId(`order-${orderId}`);
    await row.waitFor();
    await agent.step('to-ship');
    await row.getByRole('button', { name: '发货', exact: true }).click();
    await expectFieldError(row.getByLabel('快递单号', { exact: true }), '请填写快递单号');
    await row.getByLabel('快递公司', { exact: true }).fill('顺丰速运');
    await row.getByLabel('快递单号', { exact: true }).fill('SF1234567890');
    await agent.step('tracking');
    await row.getByRole('button', { name: '发货', exact: true }).click();
    await agent.page.getByText('已发货。').waitFor();
    await eventually(async () => (await row.count()) === 0, 'the shipped order to leave the list');
    await agent.step('shipped');

    // The consumer sees it shipped with the tracking number.
    await consumer.goto(`/order?id=${encodeURIComponent(orderId)}`);
    await page.getByText('SF1234567890').waitFor();
    await page.getByText('已发货', { exact: true }).first().waitFor();
    await consumer.step('shipped');

    // The brand sets the freeze period to 0 days, then completes the order.
    await brand.login('品牌方', demo.admin.username, demo.admin.password);
    assert.equal(new URL(brand.page.url()).pathname, '/admin', 'the brand lands on /admin');
    await brand.goto('/admin#settings');
    const freeze = brand.page.getByLabel('收益冻结天数', { exact: true });
    await freeze.fill('0');
    await brand.page.getByRole('button', { name: '保存设置', exact: true }).click();
    await brand.page.getByText('品牌设置已保存。').waitFor();
    await brand.step('freeze-0');
    const check = await admin.call('GET', '/brand/settings');
    assert.equal(check.body.freezeDays, 0, 'the settings page saved 0 freeze days');

    await brand.goto('/admin#orders');
    const adminRow = brand.page.getByTestId(`order-${orderId}`);
    await adminRow.waitFor();
    await brand.step('orders');
    // The list names the order by the number people see, never its internal id.
    const orderNumber = (await admin.call('GET', `/orders/${orderId}`)).body.number;
    await adminRow.getByRole('link', { name: orderNumber }).click();
    await brand.page.getByRole('button', { name: '完成订单', exact: true }).click();
    await brand.page.getByText('订单已完成。').waitFor();
    await eventually(
      async () => (await admin.call('GET', `/orders/${orderId}`)).body?.status === 'completed',
      'the order to complete',
    );
    await brand.step('completed');

    // Before the release the agent's share is pending; the cron makes it available.
    const pending = await agentApi.call('GET', `/agents/${me.id}/wallet`);
    const earned = pending.body.pendingFen - walletBefore.body.pendingFen;
    assert.ok(earned > 0, `the order put earnings in the agent's pending balance (${JSON.stringify(pending.body)})`);
    await agent.goto('/console#earnings');
    const wallet = agent.page.getByRole('region', { name: '我的钱包' });
    await wallet.getByText(yuan(pending.body.pendingFen)).first().waitFor();
    await agent.step('earnings-pending');

    const cron = await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`, {
      signal: AbortSignal.timeout(WAIT_MS),
    });
    assert.equal(cron.status, 200, `the scheduled handler ran: ${await cron.text()}`);
    const released = await eventually(async () => {
      const w = await agentApi.call('GET', `/agents/${me.id}/wallet`);
      return w.body.availableFen >= walletBefore.body.availableFen + earned ? w.body : null;
    }, 'the release cron to make the earnings available');
    assert.equal(released.availableFen, walletBefore.body.availableFen + earned, 'all of the share became available');

    await agent.page.reload();
    await agent.hydrated();
    const available = agent.page.getByTestId('wallet-available');
    await available.waitFor();
    assert.equal((await available.textContent()).trim(), yuan(released.availableFen), 'the console shows it available');
    await agent.step('earnings-available');
  });
});
