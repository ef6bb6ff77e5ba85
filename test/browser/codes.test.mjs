// Anti-counterfeit codes in the brand console (/admin#codes), on a phone-sized screen: a batch of 25,000 codes is
// generated chunk by chunk behind a progress bar until its CSV can be downloaded; a binding beyond the batch shows
// the API's Chinese error under the last serial, and the batch's first 100 serials are bound to a demo agent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { agentOfLevel, eventually, expectFieldError, launch, logins, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const serial = (/** @type {number} */ n) => String(n).padStart(10, '0');

test('the brand generates a batch with a progress bar, downloads its CSV and binds a range to an agent', async () => {
  const demo = logins();
  const receiver = agentOfLevel(2);
  const brand = await Person.open(browser, 'codes', 'brand');
  await withPeople([brand], async () => {
    const page = brand.page;
    await brand.login('品牌方', demo.admin.username, demo.admin.password);
    await brand.goto('/admin#codes');
    await page.getByRole('heading', { name: '防伪码', level: 2 }).waitFor();

    const product = page.getByLabel('商品', { exact: true });
    await eventually(async () => (await product.locator('option').count()) > 1, 'the product list');
    await product.selectOption({ index: 1 });
    const productName = ((await product.locator('option').nth(1).textContent()) ?? '').replace(/（.*$/, '');
    await page.getByLabel('数量', { exact: true }).fill('25000');
    await page.getByRole('button', { name: '生成', exact: true }).click();

    const batches = page.getByRole('list', { name: '批次' });
    const row = batches.getByRole('listitem').first();
    await row.getByText(`${productName} · 25,000 个`).waitFor();
    // The first answer holds 20,000 codes: the bar shows them while the rest is written.
    const bar = row.getByRole('progressbar', { name: `${productName} 生成进度` });
    const download = row.getByRole('link', { name: `下载 ${productName} 批次的 CSV` });
    // Generation may finish before the bar is seen on a fast machine; either way the row ends ready. (The 6-second
    // confirmation toast is not waited for: a slow run can miss it.)
    // The bar may go between seeing it and reading it (the batch finished): read it with a short wait, not 15 s.
    const seen = await eventually(async () => {
      if ((await download.count()) > 0) return 'ready';
      const value = await bar.getAttribute('value', { timeout: 500 }).catch(() => null);
      return value !== null && Number(value) >= 20_000 ? 'bar' : false;
    }, 'the progress bar at 20,000 or the finished batch');
    if (seen === 'bar') await brand.step('generating');
    await download.waitFor();
    await row.getByText('已完成', { exact: true }).waitFor();
    assert.equal(await bar.count(), 0, 'a ready batch shows no progress bar');
    const rowText = (await row.textContent()) ?? '';
    const match = /序列号(\d{10})–(\d{10})/.exec(rowText.replace(/\s+/g, ''));
    assert.ok(match, `the row shows the serial range: ${rowText}`);
    const first = Number(match[1]);
    assert.equal(Number(match[2]), first + 24_999);
    await brand.step('ready');

    const csv = await page.evaluate(
      async (href) => {
        const res = await fetch(href);
        const bytes = new Uint8Array(await res.arrayBuffer());
        return {
          status: res.status,
          bom: [...bytes.slice(0, 3)],
          lines: new TextDecoder().decode(bytes).split('\r\n'),
        };
      },
      await download.getAttribute('href'),
    );
    assert.equal(csv.status, 200);
    assert.deepEqual(csv.bom, [0xef, 0xbb, 0xbf]);
    assert.equal(csv.lines[0], '序列号,防伪码,验证网址');
    assert.equal(csv.lines.filter(Boolean).length, 25_001);

    // Bind: find the agent, then a range that runs past the batch.
    await page.getByLabel('代理（姓名或手机号）', { exact: true }).fill(receiver.phone);
    await page.getByRole('button', { name: '查找', exact: true }).click();
    await eventually(
      async () => (await page.getByLabel('收货代理', { exact: true }).inputValue()) !== '',
      'the agent chosen',
    );
    const to = page.getByLabel('结束序列号', { exact: true });
    await page.getByLabel('起始序列号', { exact: true }).fill(serial(first + 24_990));
    await to.fill(serial(first + 25_009));
    await page.getByRole('button', { name: '绑定', exact: true }).click();
    await expectFieldError(to, `有 10 个防伪码尚未生成或不存在（如 ${serial(first + 25_000)}）`);
    await brand.step('bind-error');

    await page.getByLabel('起始序列号', { exact: true }).fill(serial(first));
    await to.fill(serial(first + 99));
    await page.getByRole('button', { name: '绑定', exact: true }).click();
    await page.getByText(`已将 100 个防伪码绑定给 ${receiver.name}。`).waitFor();
    const bindings = page.getByRole('list', { name: '绑定记录' });
    await bindings.getByText(`序列号 ${serial(first)} – ${serial(first + 99)}`).waitFor();
    await brand.step('bound');
  });
});
