// browser-test: alone (it switches the brand to the cloud stock model and adds categorised products)
// The shop as a shopper sees it (issue 15 items 5, 7, 8): the brand's name (not the platform's) on the shop and the
// other consumer pages, a product the agent holds none of marked 售罄, search and the brand's categories, the bottom
// tab bar, and 再来一单 on a paid order's page refilling the cart.
//
// Setup through the API: the brand runs the cloud model; two new products with categories; the agent restocks one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, agentOfLevel, eventually, freshPhone, launch, logins, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The names on the product cards that are shown. @param {import('playwright-core').Page} page */
function shownNames(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('li.pcard')]
      .filter((li) => li.getClientRects().length > 0)
      .map((li) => li.querySelector('.pname')?.textContent ?? ''),
  );
}

/** @param {ApiClient} admin @param {string} name @param {string} category */
async function newProduct(admin, name, category) {
  const levels = await admin.call('GET', '/brand/settings');
  const prices = Object.fromEntries(
    levels.body.levels.map((/** @type {{ rank: number }} */ l) => [String(l.rank), 10_000 + l.rank * 1_000]),
  );
  const sku = `SF-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const res = await admin.call('POST', '/products', { sku, name, category, retailFen: 29_900, prices, onSale: true });
  assert.equal(res.status, 201, `product: ${JSON.stringify(res.body)}`);
  const stock = await admin.call('POST', '/stock/adjust', { productId: res.body.id, delta: 50, reason: '测试入库' });
  assert.equal(stock.status, 200, `warehouse stock: ${JSON.stringify(stock.body)}`);
  return res.body;
}

test('the shop wears the brand, marks sold-out products, filters by search and category, and 再来一单 refills the cart', async () => {
  const demo = logins();
  const seller = agentOfLevel(1);
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const agentApi = new ApiClient();
  await agentApi.login('agent', seller.phone, demo.password);
  const brand = await admin.call('GET', '/brand');
  const brandName = brand.body.name;
  assert.ok(brandName, 'the demo brand has a name');

  const cloud = await admin.call('PATCH', '/brand/settings', { stockModel: 'cloud' });
  assert.equal(cloud.status, 200, `cloud model: ${JSON.stringify(cloud.body)}`);
  const tag = Date.now().toString(36).slice(-4);
  const serum = await newProduct(admin, `晨露精华 ${tag}`, '精华');
  const lipstick = await newProduct(admin, `丝绒唇釉 ${tag}`, '唇妆');
  // The agent restocks the serum only: the lipstick is one it holds none of.
  const restock = await agentApi.call('POST', '/orders', {
    kind: 'restock',
    lines: [{ productId: serum.id, qty: 3 }],
    paymentMethod: 'online',
  });
  assert.equal(restock.status, 201, `restock: ${JSON.stringify(restock.body)}`);
  assert.equal((await agentApi.call('POST', `/orders/${restock.body.id}/simulate-payment`)).status, 200);
  const delivered = await admin.call('POST', `/orders/${restock.body.id}/ship`, {});
  assert.equal(delivered.status, 200, `restock delivered: ${JSON.stringify(delivered.body)}`);

  const consumer = await Person.open(browser, 'shopfront', 'consumer');
  await withPeople([consumer], async () => {
    const page = consumer.page;
    await consumer.goto(`/s/${seller.code}`);
    await page.getByRole('heading', { name: seller.name, level: 1 }).waitFor();
    // The brand's name in the title and the header; the platform's nowhere.
    assert.match(await page.title(), new RegExp(`${seller.name}的小店 · ${brandName}`));
    assert.equal((await page.locator('header .brand-name').textContent())?.trim(), brandName);
    assert.equal(await page.locator('header a#brand-home').getAttribute('href'), `/s/${seller.code}`);
    assert.ok(!(await page.content()).includes('Agentry'), 'no platform name on the shop page');
    // The bottom tab bar: four 44 px targets.
    const tabs = page.getByRole('navigation', { name: '主导航' }).getByRole('link');
    assert.deepEqual(await tabs.allTextContents(), ['首页', '分类', '购物车', '我的']);
    for (const box of await Promise.all((await tabs.all()).map((t) => t.boundingBox()))) {
      assert.ok(box && box.height >= 44 && box.width >= 44, `tab target ${JSON.stringify(box)} is at least 44 px`);
    }
    await consumer.step('shop-brand');

    // Search finds the lipstick: marked 售罄, with no cart button.
    await page.getByRole('searchbox', { name: '搜索商品' }).fill(`丝绒唇釉 ${tag}`);
    await eventually(async () => {
      assert.deepEqual(await shownNames(page), [lipstick.name], 'only the searched product shows');
      return true;
    }, 'search narrows the list');
    const lipCard = page.locator('li.pcard', { hasText: lipstick.name });
    await lipCard.getByText('售罄').waitFor();
    assert.equal(await lipCard.getByRole('button').count(), 0, 'a sold-out product cannot be added');
    await page.getByText('找到 1 件商品').waitFor();
    await consumer.step('search-sold-out');

    // The category 精华: the serum, which the agent holds, can be added to the cart.
    await page.getByRole('searchbox', { name: '搜索商品' }).fill('');
    await page.getByRole('button', { name: '精华', exact: true }).click();
    await eventually(async () => {
      assert.deepEqual(await shownNames(page), [serum.name], 'only the category’s products show');
      return true;
    }, 'the category filter');
    assert.equal(await page.getByRole('button', { name: '精华', exact: true }).getAttribute('aria-pressed'), 'true');
    await consumer.step('category');
    await page.getByRole('button', { name: `加入购物车：${serum.name}` }).click();
    await page.getByText(`已加入购物车：${serum.name}`).waitFor();

    // A paid order of two serums (placed as a guest through the API), opened with its phone: 再来一单.
    const phone = freshPhone();
    const guest = new ApiClient();
    const order = await guest.call('POST', '/orders', {
      kind: 'consumer',
      shopCode: seller.code,
      lines: [{ productId: serum.id, qty: 2 }],
      paymentMethod: 'online',
      shipping: { name: '林小购', phone, address: '浙江省杭州市西湖区文三路 100 号' },
    });
    assert.equal(order.status, 201, `order: ${JSON.stringify(order.body)}`);
    const token = { 'X-Order-Token': order.body.orderToken };
    assert.equal((await guest.call('POST', `/orders/${order.body.id}/simulate-payment`, undefined, token)).status, 200);
    // This browser holds the order as its checkout would have left it: the phone given and the order's token.
    await page.evaluate((o) => localStorage.setItem('agentry.orders', JSON.stringify([o])), {
      id: order.body.id,
      phone,
      shop: seller.code,
      at: Date.now(),
      token: order.body.orderToken,
    });
    await consumer.goto(`/order?id=${encodeURIComponent(order.body.id)}&s=${seller.code}`);
    const again = page.getByRole('button', { name: /再来一单/ });
    await again.waitFor();
    assert.ok(!(await page.content()).includes('Agentry'), 'no platform name on the order page');
    assert.match(await page.title(), new RegExp(` · ${brandName}$`));
    await consumer.step('order-buy-again');
    await again.click();
    await consumer.arrive(/\/cart\?s=/);
    // One serum was in the cart already; the order's two are added to it.
    await page.getByText(serum.name).first().waitFor();
    await eventually(async () => {
      assert.equal(await page.locator(`input[type="number"], input[inputmode="numeric"]`).first().inputValue(), '3');
      return true;
    }, 'the cart holds the earlier serum and the order’s two');
    await consumer.step('cart-after-buy-again');
  });
  await admin.call('PATCH', '/brand/settings', { stockModel: 'direct' });
});
