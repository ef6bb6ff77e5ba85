// Shipping from a spreadsheet: 20 guest orders are paid; the brand uploads a CSV of 21 rows (the 20 with a carrier
// and tracking number, and one with a tracking number that cannot be right) in /admin#orders; the 20 ship, the bad
// row is listed with its row number and the reason, and the orders' tab count follows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, agentOfLevel, freshPhone, launch, logins, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A guest's order through a shop link, paid through the local payment simulator. @param {string} shopCode @param {string} productId */
async function paidOrder(shopCode, productId) {
  const guest = new ApiClient();
  const res = await guest.call('POST', '/orders', {
    kind: 'consumer',
    shopCode,
    lines: [{ productId, qty: 1 }],
    paymentMethod: 'online',
    shipping: { name: '郑批量', phone: freshPhone(), address: '江苏省南京市玄武区中山路 1 号' },
  });
  assert.equal(res.status, 201, `guest order: ${JSON.stringify(res.body)}`);
  // Only the buyer pays: a guest with the order's token, given once at creation.
  const paid = await guest.call('POST', `/orders/${res.body.id}/simulate-payment`, undefined, {
    'X-Order-Token': res.body.orderToken,
  });
  assert.equal(paid.status, 200, `paid: ${JSON.stringify(paid.body)}`);
  return /** @type {string} */ (res.body.id);
}

test('the brand ships 20 orders from an uploaded spreadsheet and sees the one bad row with its reason', async () => {
  const demo = logins();
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const products = await admin.call('GET', '/products?limit=5');
  const product = products.body.items.find((/** @type {{ onSale: boolean }} */ p) => p.onSale);
  assert.ok(product, 'the demo has a product on sale');
  const seller = agentOfLevel(6);
  /** @type {string[]} */
  const ids = [];
  for (let i = 0; i < 20; i++) ids.push(await paidOrder(seller.code, product.id));
  const bad = await paidOrder(seller.code, product.id);
  const csv = [
    '订单号,快递公司,快递单号',
    ...ids.map((id, i) => `${id},中通快递,ZT${String(Date.now()).slice(-8)}${String(i).padStart(2, '0')}`),
    `${bad},中通快递,单号待补`,
  ].join('\r\n');

  const brand = await Person.open(browser, 'ship-upload', 'brand', { width: 1366, height: 900 });
  await withPeople([brand], async () => {
    const page = brand.page;
    await brand.login('品牌方', demo.admin.username, demo.admin.password);
    await brand.goto('/admin#orders');
    await page.getByTestId('order-tab-paid').getByText(/^\d+$/).waitFor();
    const paidBefore = Number(await page.getByTestId('order-tab-paid').locator('.ad-tab-count').textContent());
    await page.getByLabel('选择表格文件（CSV）', { exact: true }).setInputFiles({
      name: '发货.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}`, 'utf8'),
    });
    const result = page.getByTestId('ship-upload-result');
    await result.getByText('已发货 20 单，1 行失败：').waitFor({ timeout: 60_000 });
    const badRow = result.getByTestId('ship-row-22');
    assert.match((await badRow.textContent()) ?? '', /第 22 行.*快递单号应为 4–40 位字母、数字或减号/);
    assert.equal(await result.locator('li').count(), 1, 'only the bad row is listed');
    await brand.step('uploaded');

    for (const id of [ids[0], ids[19]]) {
      const order = await admin.call('GET', `/orders/${id}`);
      assert.equal(order.body.status, 'shipped', `${id} shipped`);
      assert.equal(order.body.carrier, '中通快递');
    }
    assert.equal((await admin.call('GET', `/orders/${bad}`)).body.status, 'paid', 'the bad row’s order is not shipped');
    await page
      .getByTestId('order-tab-paid')
      .locator('.ad-tab-count')
      .getByText(String(paidBefore - 20), { exact: true })
      .waitFor();
  });
});
