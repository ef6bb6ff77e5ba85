// Order search: a guest orders twice with one phone; the brand, in /admin#orders, finds both by the consignee's phone
// typed with spaces (not the other guest's order), narrows them with the status tabs and their counts, and finds one
// by the start of its order number. Each row shows the product's name (and picture).
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

/** @param {string} shopCode @param {string} productId @param {string} phone @param {string} name */
async function guestOrder(shopCode, productId, phone, name) {
  const res = await new ApiClient().call('POST', '/orders', {
    kind: 'consumer',
    shopCode,
    lines: [{ productId, qty: 1 }],
    paymentMethod: 'online',
    shipping: { name, phone, address: '上海市浦东新区世纪大道 100 号' },
  });
  assert.equal(res.status, 201, `guest order: ${JSON.stringify(res.body)}`);
  return /** @type {string} */ (res.body.id);
}

test('the brand finds a consignee’s orders by phone and an order by its number', async () => {
  const demo = logins();
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const products = await admin.call('GET', '/products?limit=5');
  const product = products.body.items.find((/** @type {{ onSale: boolean }} */ p) => p.onSale);
  assert.ok(product, 'the demo has a product on sale');
  const seller = agentOfLevel(6);
  const phone = freshPhone();
  const first = await guestOrder(seller.code, product.id, phone, '周查找');
  const second = await guestOrder(seller.code, product.id, phone, '周查找');
  const other = await guestOrder(seller.code, product.id, freshPhone(), '吴旁人');

  const brand = await Person.open(browser, 'order-search', 'brand', { width: 1366, height: 900 });
  await withPeople([brand], async () => {
    const page = brand.page;
    await brand.login('品牌方', demo.admin.username, demo.admin.password);
    await brand.goto('/admin#orders');
    const all = page.getByTestId('order-tab-all');
    await all.getByText(/^\d+$/).waitFor();
    await brand.step('tabs');

    // Typed the way people read a phone out: 3-4-4 with spaces.
    await page
      .getByLabel('搜索订单', { exact: true })
      .fill(`${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`);
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    const row = page.getByTestId(`order-${second}`);
    // The unfiltered list may already show both orders: wait for the search's answer, which lists exactly them.
    await eventually(
      async () => (await page.locator('tr[data-testid^="order-ord_"]').count()) === 2,
      'the search lists two orders',
    );
    await row.waitFor();
    await page.getByTestId(`order-${first}`).waitFor();
    assert.equal(await page.getByTestId(`order-${other}`).count(), 0, 'another consignee’s order is not listed');
    assert.equal(await page.locator('tr[data-testid^="order-ord_"]').count(), 2, 'exactly the two orders');
    const rowText = (await row.textContent()) ?? '';
    assert.ok(rowText.includes(product.name), `the row names the product: ${rowText}`);
    assert.ok(rowText.includes('周查找') && rowText.includes('待付款'), `consignee and status: ${rowText}`);
    await brand.step('by-phone');

    // The tabs narrow the search: both are unpaid, none shipped.
    await page.getByTestId('order-tab-shipped').click();
    await page.getByText('没有符合条件的订单。').waitFor();
    await page.getByTestId('order-tab-pending_payment').click();
    await row.waitFor();
    assert.equal(await page.getByTestId('order-tab-pending_payment').getAttribute('aria-pressed'), 'true');
    await brand.step('tab-unpaid');

    await page.getByLabel('搜索订单', { exact: true }).fill(first.slice(0, 20).toUpperCase());
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.getByTestId(`order-${second}`).waitFor({ state: 'detached' });
    await page.getByTestId(`order-${first}`).waitFor();
    await brand.step('by-number');

    await page.getByRole('button', { name: '退出搜索', exact: true }).click();
    await page.getByTestId(`order-${other}`).waitFor();
  });
});
