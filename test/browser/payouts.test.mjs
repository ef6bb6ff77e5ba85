// browser-test: alone
// (It switches brand settings: freeze days, the withdrawal minimum and WeChat transfers, restored at the end.)
// Payouts and reconciliation against the fake WeChat Pay (fakeWechat.mjs): an agent's earnings become available, it
// asks to withdraw, the brand switches WeChat transfers on and approves by transfer in /admin#withdrawals and sees
// it paid (the fake got one signed transfer to the agent's openid); then the brand reconciles a day whose bill has
// one payment the ledger lacks and one at another amount, and /admin#reconciliation lists both.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, agentOfLevel, BASE, freshPhone, launch, logins, Person, WAIT_MS, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function fakeBase() {
  const base = process.env.AGENTRY_FAKE_WECHAT;
  if (!base) throw new Error('AGENTRY_FAKE_WECHAT is not set: run the browser tests with npm run test:browser');
  return base;
}

/** @returns {Promise<{ transfers: Record<string, { openid: string, amountFen: number }>, badSignatures: number }>} */
async function fakeState() {
  const res = await fetch(`${fakeBase()}/__state`, { signal: AbortSignal.timeout(WAIT_MS) });
  return res.json();
}

/** A trade bill as WeChat Pay writes it. @param {{ orderId: string, fen: number }[]} rows */
function billCsv(rows) {
  const yuan = (/** @type {number} */ fen) => (fen / 100).toFixed(2);
  const header =
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,' +
    '应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,' +
    '手续费,费率,订单金额,申请退款金额,费率备注';
  const lines = rows.map((r, i) =>
    [
      '2026-12-03 10:00:00',
      'wx0fa4e0fa4e0fa4e0',
      '1900009191',
      '0',
      '',
      `42000${i}`,
      r.orderId,
      'oUser',
      'JSAPI',
      'SUCCESS',
      'OTHERS',
      'CNY',
      yuan(r.fen),
      '0.00',
      '0',
      '',
      '0.00',
      '0.00',
      '',
      '',
      '商品',
      '',
      '0.00',
      '0.60%',
      yuan(r.fen),
      '0.00',
      '',
    ]
      .map((c) => `\`${c}`)
      .join(','),
  );
  return [header, ...lines, '总交易单数,应结订单总金额', `\`${rows.length},\`0.00`, ''].join('\r\n');
}

/** A guest order through a shop link, paid (simulator), shipped and received; returns its id and amount. */
async function completedOrder(
  /** @type {ApiClient} */ admin,
  /** @type {string} */ shopCode,
  /** @type {string} */ productId,
) {
  const guest = new ApiClient();
  const placed = await guest.call('POST', '/orders', {
    kind: 'consumer',
    shopCode,
    lines: [{ productId, qty: 1 }],
    paymentMethod: 'online',
    shipping: { name: '周转账', phone: freshPhone(), address: '广东省深圳市南山区科技园 1 号' },
  });
  assert.equal(placed.status, 201, `order: ${JSON.stringify(placed.body)}`);
  const id = /** @type {string} */ (placed.body.id);
  const token = { 'X-Order-Token': placed.body.orderToken };
  assert.equal((await guest.call('POST', `/orders/${id}/simulate-payment`, undefined, token)).status, 200);
  const shipped = await admin.call('POST', `/orders/${id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF7000000001' });
  assert.equal(shipped.status, 200, `ship: ${JSON.stringify(shipped.body)}`);
  const done = await admin.call('POST', `/orders/${id}/complete`);
  assert.equal(done.status, 200, `complete: ${JSON.stringify(done.body)}`);
  return { id, amountFen: /** @type {number} */ (placed.body.amountFen) };
}

test('the brand pays a withdrawal by WeChat transfer and sees it paid; 对账 lists a day’s differences', async () => {
  const demo = logins();
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const before = (await admin.call('GET', '/brand/settings')).body;
  const restore = {
    freezeDays: before.freezeDays,
    withdrawMinFen: before.withdrawMinFen,
    payoutTransfer: before.payoutTransfer,
  };
  const brand = await Person.open(browser, 'payouts', 'brand', { width: 1280, height: 900 });
  try {
    const patched = await admin.call('PATCH', '/brand/settings', {
      freezeDays: 0,
      withdrawMinFen: 100,
      payoutTransfer: false,
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const products = await admin.call('GET', '/products?limit=5');
    const product = products.body.items.find((/** @type {{ onSale: boolean }} */ p) => p.onSale);
    // Files run before this one may have moved the brand to cloud stock (it cannot move back while agents hold
    // some): then a first-level agent, who restocks from the brand, buys the unit it sells; in the direct model a
    // sixth-level agent sells and the brand ships.
    const settings = await admin.call('GET', '/brand/settings');
    const cloud = settings.body.stockModel === 'cloud';
    const seller = agentOfLevel(cloud ? 1 : 6);
    if (cloud) {
      const sellerApi = new ApiClient();
      await sellerApi.login('agent', seller.phone, demo.password);
      const restock = await sellerApi.call('POST', '/orders', {
        kind: 'restock',
        lines: [{ productId: product.id, qty: 1 }],
        paymentMethod: 'online',
      });
      assert.equal(restock.status, 201, `restock: ${JSON.stringify(restock.body)}`);
      assert.equal((await sellerApi.call('POST', `/orders/${restock.body.id}/simulate-payment`)).status, 200);
      assert.equal((await admin.call('POST', `/orders/${restock.body.id}/ship`, {})).status, 200);
    }
    const order = await completedOrder(admin, seller.code, product.id);
    // The cron releases shares whose freeze period (0 days now) ended.
    assert.equal((await fetch(`${BASE}/__scheduled?cron=*/5+*+*+*+*`)).status, 200);
    const agent = new ApiClient();
    await agent.login('agent', seller.phone, demo.password);
    const me = await agent.call('GET', '/agents/me');
    const wallet = await agent.call('GET', `/agents/${me.body.id}/wallet`);
    const available = /** @type {number} */ (wallet.body.availableFen);
    assert.ok(available >= 100, `the agent has earnings available: ${JSON.stringify(wallet.body)}`);
    // Paid by hand unless transfers are on: the brand must know where, so the agent names its account first.
    const payout = { kind: 'alipay', name: seller.name, account: 'pay-demo@example.com' };
    assert.equal((await agent.call('PUT', '/agents/me/payout-account', payout)).status, 200);
    const asked = await agent.call('POST', '/withdrawals', { amountFen: available });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const withdrawalId = /** @type {string} */ (asked.body.id);

    await withPeople([brand], async () => {
      const page = brand.page;
      await brand.login('品牌方', demo.admin.username, demo.admin.password);
      await brand.goto('/admin#withdrawals');
      const row = page.getByTestId(`withdrawal-${withdrawalId}`);
      await row.waitFor();
      await row
        .getByTestId('withdrawal-payout')
        .getByText(/pay-demo@example\.com/)
        .waitFor();
      await page.getByLabel(/开启微信转账打款/).check();
      await page.getByText('已开启微信转账打款。').waitFor();
      await brand.step('transfers-on');
      await row.getByRole('button', { name: '微信转账', exact: true }).click();
      await page.getByText(new RegExp(`已通过微信转账向 ${seller.name} 打款`)).waitFor();
      await brand.step('transferred');
      const sent = Object.entries((await fakeState()).transfers).filter(([no]) => no === withdrawalId.replace('_', ''));
      assert.equal(sent.length, 1, 'one transfer reached WeChat Pay');
      assert.equal(sent[0]?.[1].amountFen, available);
      assert.match(sent[0]?.[1].openid ?? '', /^oDemo/);
      await page.getByRole('radio', { name: '已打款', exact: true }).check();
      const paidRow = page.getByTestId(`withdrawal-${withdrawalId}`);
      await paidRow.getByText('微信转账到零钱').waitFor();
      await brand.step('paid-list');

      // Today's bill (the fake has one for any day it is given): our order at 1 yuan less, and one it never booked.
      const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const missing = `ord_${'0'.repeat(10)}wxonly${Date.now().toString(36)}`.slice(0, 30);
      const csv = billCsv([
        { orderId: order.id, fen: order.amountFen - 100 },
        { orderId: missing, fen: 19_900 },
      ]);
      const setBill = await fetch(`${fakeBase()}/__pay/bill`, {
        method: 'POST',
        body: JSON.stringify({ day, type: 'SUCCESS', csv }),
      });
      assert.equal(setBill.status, 200);
      await brand.goto('/admin#reconciliation');
      await page.getByLabel('对账日期', { exact: true }).fill(day);
      await page.getByRole('button', { name: '立即对账', exact: true }).click();
      await page.getByText(new RegExp(`${day} 对账完成`)).waitFor();
      const mismatch = page.getByTestId(`difference-${order.id}`);
      await mismatch.getByText('金额不一致').waitFor();
      await page.getByTestId(`difference-${missing}`).getByText('微信有、账本无').waitFor();
      await brand.step('differences');
      await mismatch.getByRole('button', { name: '标记已解决', exact: true }).click();
      await mismatch.getByLabel('处理说明', { exact: true }).fill('已与微信支付核实，差额为优惠券');
      await mismatch.getByRole('button', { name: '确认', exact: true }).click();
      await page.getByText('已标记为已解决。').waitFor();
      assert.equal(await page.getByTestId(`difference-${order.id}`).count(), 0);
      await brand.step('resolved');
      assert.equal((await fakeState()).badSignatures, 0, 'every call to WeChat Pay was signed');
    });
  } finally {
    await admin.call('PATCH', '/brand/settings', restore);
  }
});
