// browser-test: alone (it switches the brand to the cloud stock model, where an agent is paid offline itself)
// Picture uploads (issues 15 and 16): an agent uploads its 收款码 in the console's 账户 tab and a guest who orders in
// its shop and pays offline sees that QR on the order page; a consumer reports the agent by its WeChat ID (typed in
// other letter case) with an evidence screenshot, and the brand opens the case in its queue with the picture; the brand
// adds an uploaded picture to a product beside its existing URL pictures. The agent's photo goes on its share poster.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { encode } from 'uqr';
import { ApiClient, agentOfLevel, BASE, freshPhone, launch, logins, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * A PNG (8-bit RGB) of `side` × `side` pixels coloured by `rgb(x, y)`.
 * @param {number} side @param {(x: number, y: number) => [number, number, number]} rgb @returns {Buffer}
 */
function png(side, rgb) {
  const raw = Buffer.alloc((side * 3 + 1) * side);
  for (let y = 0; y < side; y++) {
    const row = y * (side * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < side; x++) raw.set(rgb(x, y), row + 1 + x * 3);
  }
  /** @param {string} type @param {Buffer} data */
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real PNG of a QR code (8 px a module), so the uploaded 收款码 is a picture a phone could scan. @param {string} text */
function qrPng(text) {
  const qr = encode(text, { ecc: 'M', border: 2 });
  const scale = 8;
  return png(qr.size * scale, (x, y) =>
    qr.data[Math.floor(y / scale)]?.[Math.floor(x / scale)] ? [0, 0, 0] : [255, 255, 255],
  );
}

/** Whether an <img> has loaded a picture (not a broken image). @param {import('playwright-core').Locator} img */
async function loaded(img) {
  await img.waitFor();
  await img.evaluate((el) =>
    /** @type {HTMLImageElement} */ (el).complete ? null : new Promise((r) => el.addEventListener('load', r)),
  );
  return img.evaluate((el) => /** @type {HTMLImageElement} */ (el).naturalWidth);
}

test('an agent’s uploaded 收款码 shows on an offline order; a report by WeChat ID with evidence reaches the brand', async () => {
  const demo = logins();
  const seller = agentOfLevel(1);
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const agentApi = new ApiClient();
  await agentApi.login('agent', seller.phone, demo.password);
  const me = await agentApi.call('GET', '/agents/me');
  const wechat = /** @type {string} */ (me.body.wechat);
  assert.ok(wechat, 'the demo agent has a WeChat ID');
  const products = await admin.call('GET', '/products?limit=5');
  const product = products.body.items.find((/** @type {{ onSale: boolean }} */ p) => p.onSale);
  assert.ok(product, 'the demo has a product on sale');
  // The cloud model: the agent owns what it sells and is paid offline itself.
  const settings = await admin.call('PATCH', '/brand/settings', { stockModel: 'cloud' });
  assert.equal(settings.status, 200, `switch to the cloud model: ${JSON.stringify(settings.body)}`);
  const restock = await agentApi.call('POST', '/orders', {
    kind: 'restock',
    lines: [{ productId: product.id, qty: 3 }],
    paymentMethod: 'online',
  });
  assert.equal(restock.status, 201, `restock: ${JSON.stringify(restock.body)}`);
  assert.equal((await agentApi.call('POST', `/orders/${restock.body.id}/simulate-payment`)).status, 200);
  assert.equal((await admin.call('POST', `/orders/${restock.body.id}/ship`, {})).status, 200);

  const agent = await Person.open(browser, 'uploads', 'agent');
  const consumer = await Person.open(browser, 'uploads', 'consumer');
  const brand = await Person.open(browser, 'uploads', 'brand', { width: 1280, height: 900 });
  await withPeople([agent, consumer, brand], async () => {
    // The agent uploads its 收款码 in 账户.
    await agent.login('代理', seller.phone, demo.password);
    await agent.goto('/console#account');
    const editor = agent.page.getByTestId('pay-qr-editor');
    await editor.getByText('还没有上传收款码。').or(editor.getByAltText('当前收款码')).waitFor();
    await editor.getByLabel(/^(上传|更换)收款码图片$/).setInputFiles({
      name: '收款码.png',
      mimeType: 'image/png',
      buffer: qrPng(`wxp://f2f0${Date.now()}`),
    });
    await editor.getByText('收款码已保存').waitFor();
    const preview = editor.getByAltText('当前收款码');
    assert.ok((await loaded(preview)) > 0, 'the console shows the uploaded QR');
    const qrUrl = (await preview.getAttribute('src')) ?? '';
    assert.match(qrUrl, /^\/api\/files\/[0-9a-f]{64}$/);
    await agent.step('pay-qr');

    // Its photo goes on its share posters: a red photo makes the poster's picture red.
    await agent.goto('/console#share');
    await agent.page.getByLabel('海报照片（选填，如本人或产品照片）').setInputFiles({
      name: 'me.png',
      mimeType: 'image/png',
      buffer: png(64, () => [220, 20, 60]),
    });
    assert.ok((await loaded(agent.page.getByAltText('我的海报照片'))) > 0, 'the console previews the photo');
    await agent.page.getByRole('button', { name: '生成海报', exact: true }).click();
    const poster = agent.page.getByAltText('我的店铺海报');
    await loaded(poster);
    const middle = await poster.evaluate((el) => {
      const img = /** @type {HTMLImageElement} */ (el);
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d');
      ctx?.drawImage(img, 0, 0);
      // The centre of the poster's picture square (poster.ts: 670 px from y = 180).
      return [...(ctx?.getImageData(375, 515, 1, 1).data ?? [])];
    });
    assert.deepEqual(middle.slice(0, 3), [220, 20, 60], 'the poster carries the agent’s photo');
    await poster.scrollIntoViewIfNeeded();
    await agent.step('poster-photo');

    // A guest orders in the agent's shop, pays offline, and sees the agent's QR on the order page.
    const page = consumer.page;
    await consumer.goto(`/s/${seller.code}`);
    await page.getByRole('link', { name: product.name }).first().click();
    await consumer.arrive(/\/product\?/);
    await page.getByRole('button', { name: '加入购物车', exact: true }).click();
    await page.getByRole('link', { name: '查看购物车' }).click();
    await consumer.arrive(/\/cart/);
    await page.getByRole('link', { name: '去结算' }).click();
    await consumer.arrive(/\/checkout/);
    await page.getByLabel('收货人', { exact: true }).fill('钱买家');
    await page.getByLabel('手机号', { exact: true }).fill(freshPhone());
    await page.getByLabel('收货地址', { exact: true }).fill('浙江省杭州市西湖区文三路 100 号');
    await page.getByText('线下付款', { exact: true }).click();
    await page.getByRole('button', { name: /^提交订单/ }).click();
    await consumer.arrive(/\/order\?id=/);
    const payee = page.getByTestId('payee');
    await payee.getByText(`请向 ${seller.name} 付款`).waitFor();
    const qr = payee.getByRole('img', { name: `${seller.name}的收款码` });
    assert.ok((await loaded(qr)) > 0, 'the order page shows the payee’s QR picture');
    assert.equal(await qr.getAttribute('src'), qrUrl, 'it is the QR the agent uploaded');
    await qr.scrollIntoViewIfNeeded();
    await consumer.step('order-pay-qr');
    // Served for a year without revalidation: the path is the file's hash.
    const served = await fetch(new URL(qrUrl, BASE));
    assert.equal(served.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(served.headers.get('content-type'), 'image/png');

    // The consumer reports the agent by its WeChat ID (in capitals) with a screenshot as evidence.
    await consumer.goto('/report');
    await page.getByLabel('代理微信号、手机号或小店链接', { exact: true }).fill(wechat.toUpperCase());
    await page.getByLabel('看到的售价（元）', { exact: true }).fill('99');
    await page.getByLabel('举报说明', { exact: true }).fill('朋友圈 99 元甩卖，见截图');
    await page.getByLabel('上传证据截图（选填，最多 3 张）').setInputFiles({
      name: 'screenshot.png',
      mimeType: 'image/png',
      buffer: qrPng(`evidence ${Date.now()}`),
    });
    assert.ok((await loaded(page.getByAltText('证据图片 1'))) > 0, 'the form previews the evidence');
    await consumer.step('report-form');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/reports') && r.request().method() === 'POST'),
      page.getByRole('button', { name: '提交举报', exact: true }).click(),
    ]);
    assert.equal(answer.status(), 201, `report: ${await answer.text()}`);
    const caseId = (await answer.json()).id;
    await page.getByText('举报已提交').waitFor();
    await consumer.step('reported');

    // The brand finds it in the queue, against this agent, with the evidence picture.
    await brand.login('品牌方', demo.admin.username, demo.admin.password);
    await brand.goto('/admin#inspections');
    const row = brand.page.getByTestId(`inspection-${caseId}`);
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    assert.ok(rowText.includes(seller.name) && rowText.includes('乱价举报'), `the row names the agent: ${rowText}`);
    await brand.step('queue');
    await row.getByRole('link', { name: seller.name }).click();
    await brand.arrive((url) => url.hash === `#inspections/${caseId}`);
    const shot = brand.page.getByTestId('case-evidence').getByAltText('证据图片 1');
    assert.ok((await loaded(shot)) > 0, 'the case shows the evidence picture');
    await brand.step('case-evidence');

    // The brand adds an uploaded picture to the product; its existing (URL) pictures stay, in order.
    const before = /** @type {string[]} */ ((await admin.call('GET', `/products/${product.id}`)).body.images);
    await brand.goto('/admin#products');
    await brand.page.getByTestId(`product-${product.id}`).getByRole('button', { name: '编辑' }).click();
    const form = brand.page.locator('form.ad-form');
    for (let i = 0; i < before.length; i++) {
      assert.ok((await loaded(form.getByAltText(`商品图片 ${i + 1}`, { exact: true }))) > 0, `picture ${i + 1} shows`);
    }
    await form.getByLabel('上传商品图片').setInputFiles({
      name: 'product.png',
      mimeType: 'image/png',
      buffer: qrPng(`product ${Date.now()}`),
    });
    const added = form.getByAltText(`商品图片 ${before.length + 1}`, { exact: true });
    assert.ok((await loaded(added)) > 0, 'the new picture is previewed');
    const addedUrl = (await added.getAttribute('src')) ?? '';
    await brand.step('product-pictures');
    await form.getByRole('button', { name: '保存商品', exact: true }).click();
    await brand.page.getByText(`已保存商品「${product.name}」。`).waitFor();
    const after = (await admin.call('GET', `/products/${product.id}`)).body.images;
    assert.deepEqual(after, [...before, addedUrl], 'the upload is added after the existing pictures');
  });
});
