// Team PK and the brand dashboard: a guest buys twice through a 天使's shop (paid), the brand sets the month's target
// of the 天使's team; the brand opens /admin#dashboard and sees the charts drawn (uPlot canvases with ink on them),
// the repeat-purchase rate and the team table; the 天使 opens its 排行 tab and sees its team's sales, the target's
// progress and itself in its team's ranking.
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

/** @param {string} shopCode @param {string} productId @param {string} phone */
async function paidOrder(shopCode, productId, phone) {
  const guest = new ApiClient();
  const res = await guest.call('POST', '/orders', {
    kind: 'consumer',
    shopCode,
    lines: [{ productId, qty: 1 }],
    paymentMethod: 'online',
    shipping: { name: '冯复购', phone, address: '浙江省杭州市西湖区文三路 100 号' },
  });
  assert.equal(res.status, 201, `guest order: ${JSON.stringify(res.body)}`);
  const paid = await guest.call('POST', `/orders/${res.body.id}/simulate-payment`, undefined, {
    'X-Order-Token': res.body.orderToken,
  });
  assert.equal(paid.status, 200, `paid: ${JSON.stringify(paid.body)}`);
}

/** Pixels of a canvas that are not transparent: a drawn chart has many. @param {import('playwright-core').Locator} canvas */
function inkOf(canvas) {
  return canvas.evaluate((el) => {
    const c = /** @type {HTMLCanvasElement} */ (el);
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

test('the brand’s dashboard draws its charts and an agent sees its team’s PK and target', async () => {
  const demo = logins();
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const products = await admin.call('GET', '/products?limit=5');
  const product = products.body.items.find((/** @type {{ onSale: boolean }} */ p) => p.onSale);
  assert.ok(product, 'the demo has a product on sale');
  const seller = agentOfLevel(6);
  const phone = freshPhone();
  await paidOrder(seller.code, product.id, phone);
  await paidOrder(seller.code, product.id, phone);

  const agentApi = new ApiClient();
  await agentApi.login('agent', seller.phone, demo.password);
  const team = await agentApi.call('GET', '/board/teams/me');
  assert.equal(team.status, 200, JSON.stringify(team.body));
  const target = await admin.call('PUT', '/board/targets', {
    month: team.body.month,
    teamId: team.body.teamId,
    salesFen: team.body.salesFen * 2 + 100,
  });
  assert.equal(target.status, 200, JSON.stringify(target.body));

  const brand = await Person.open(browser, 'board', 'brand', { width: 1366, height: 900 });
  const agent = await Person.open(browser, 'board', 'agent');
  await withPeople([brand, agent], async () => {
    const page = brand.page;
    await brand.login('品牌方', demo.admin.username, demo.admin.password);
    await brand.goto('/admin#dashboard');
    await page.getByRole('heading', { name: '数据看板' }).waitFor();
    const lines = page.locator('[data-chart="line"] canvas');
    await lines.nth(1).waitFor();
    const bars = page.locator('[data-chart="bar"] canvas');
    await bars.first().waitFor();
    for (const canvas of [lines.nth(0), lines.nth(1), bars.first()]) {
      assert.ok((await inkOf(canvas)) > 500, 'a chart has lines or bars drawn on its canvas');
    }
    const rate = page.getByTestId('repeat-rate');
    assert.match(await rate.innerText(), /^\d+\.\d%$/);
    assert.notEqual(await rate.innerText(), '0.0%', 'the guest who paid twice is a repeat buyer');
    await page.getByRole('cell', { name: team.body.name, exact: true }).waitFor();
    await brand.step('dashboard');

    await agent.login('代理', seller.phone, demo.password);
    await agent.goto('/console#board');
    const card = agent.page.getByRole('heading', { name: `${team.body.name}团队 · 本月` });
    await card.waitFor();
    await agent.page.getByText(/目标完成度 \d+\.\d%/).waitFor();
    await agent.page.getByText(`${seller.name}（我）`).waitFor();
    await agent.step('board');
  });
});
