// Policing (稽查): two price-breaking reports against a 市代 come in through POST /api/reports; the brand opens them in
// /admin#inspections (a bad fine amount first: the Chinese error under the amount), fines one in yuan and stops supply
// on the other; the agent's 通知 tab shows the supply-stopped banner, the fine and the stop; the brand resumes supply.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, agentOfLevel, expectFieldError, launch, logins, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** @param {string} code @param {string} note */
async function report(code, note) {
  const res = await new ApiClient().call('POST', '/reports', {
    agent: `https://shop.example.com/s/${code}`,
    priceSeenFen: 9_900,
    note,
  });
  assert.equal(res.status, 201, `report: ${JSON.stringify(res.body)}`);
  return /** @type {string} */ (res.body.id);
}

test('the brand fines and stops supply on reported cases; the agent reads both in 通知', async () => {
  const demo = logins();
  // Level 4 (市代): no other browser test signs in as it or restocks for it.
  const culprit = agentOfLevel(4);
  const fined = await report(culprit.code, '朋友圈 99 元低价出售');
  const stopped = await report(culprit.code, '多个群里 99 元甩卖');
  const brand = await Person.open(browser, 'policing', 'brand', { width: 1280, height: 900 });
  const agent = await Person.open(browser, 'policing', 'agent');
  await withPeople([brand, agent], async () => {
    const page = brand.page;
    await brand.login('品牌方', demo.admin.username, demo.admin.password);
    await brand.goto('/admin#inspections');
    const row = page.getByTestId(`inspection-${fined}`);
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    assert.ok(rowText.includes(culprit.name), 'the row names the agent');
    assert.ok(rowText.includes('乱价举报') && rowText.includes('待处理'), `the row shows kind and status: ${rowText}`);
    assert.ok(rowText.includes('售价 ¥99.00'), `the row shows the price seen: ${rowText}`);
    await brand.step('queue');

    await row.getByRole('link', { name: culprit.name }).click();
    await brand.arrive((url) => url.hash === `#inspections/${fined}`);
    await page.getByRole('radio', { name: /^罚款/ }).check();
    const amount = page.getByLabel('罚款金额（元）', { exact: true });
    await amount.fill('12.345');
    await page.getByLabel('处理原因', { exact: true }).fill('低于零售价销售，第一次罚款');
    await page.getByRole('button', { name: '确认罚款', exact: true }).click();
    await expectFieldError(amount, '请输入 0.01 至 100000 元之间的金额');
    await brand.step('bad-amount');
    await amount.fill('88.5');
    await page.getByRole('button', { name: '确认罚款', exact: true }).click();
    // A fine is confirmed first, naming the agent and the amount; 取消 changes nothing.
    const ask = page.getByRole('dialog');
    await ask.getByText(`确认对 ${culprit.name} 罚款 ¥88.50？`, { exact: false }).waitFor();
    await brand.step('fine-confirm');
    await ask.getByRole('button', { name: '取消' }).click();
    assert.equal(await page.getByText('已处理：已罚款。').count(), 0, 'cancelled: nothing decided');
    await page.getByRole('button', { name: '确认罚款', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认罚款', exact: true }).click();
    await page.getByText('已处理：已罚款。').waitFor();
    await page.getByText('¥88.50', { exact: true }).waitFor();
    await page.getByText('该记录已处理。').waitFor();
    await brand.step('fined');

    await brand.goto(`/admin#inspections/${stopped}`);
    await page.getByRole('radio', { name: /^停货/ }).check();
    await page.getByLabel('处理原因', { exact: true }).fill('屡次低价，停货整改');
    await page.getByRole('button', { name: '确认停货', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认停货', exact: true }).click();
    await page.getByText('已处理：已停货。').waitFor();
    await page.getByText(/^已停货（/).waitFor();
    await brand.step('supply-stopped');

    await agent.login('代理', culprit.phone, demo.password);
    await agent.goto('/console#notices');
    await agent.page.getByTestId('supply-stopped').waitFor();
    const list = agent.page.getByRole('list', { name: '通知列表' });
    await list.getByText('罚款 ¥88.50', { exact: true }).waitFor();
    await list.getByText(/屡次低价，停货整改/).waitFor();
    await agent.step('notices');

    await page.getByLabel('原因', { exact: true }).fill('已整改');
    await page.getByRole('button', { name: '恢复供货', exact: true }).click();
    await page.getByText('已恢复供货，代理收到通知。').waitFor();
    await brand.step('resumed');
    await agent.page.reload();
    await agent.hydrated();
    await list
      .getByText(/恢复供货/)
      .first()
      .waitFor();
    assert.equal(await agent.page.getByTestId('supply-stopped').count(), 0, 'the banner is gone once supply resumes');
    await agent.step('resumed');
  });
});
