// The agent console at 360 px: a fresh 县代 with one pending applicant and one customer who paid an order. The tab bar
// shows the to-do badge on 更多 and on 审核 inside it; 客户 finds the customer by the start of its phone and opens its
// order; 分享 draws a recruiting poster whose QR code is the invite link, saved as a PNG, and copies the brand's 素材;
// 收益 keeps a bank card as the payout account (a short card number refused in Chinese first) and tells its statement in
// words; 团队 opens a member with call and copy-WeChat buttons.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { encode } from 'uqr';
import { ApiClient, agentOfLevel, freshPhone, launch, logins, Person, smsCodeFor, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** An application through an invite code (setup). @param {string} inviteCode @param {string} name @param {number} level */
async function applyTo(inviteCode, name, level) {
  const phone = freshPhone();
  const res = await new ApiClient().call('POST', '/applications', {
    inviteCode,
    name,
    phone,
    wechat: `wx${phone}`,
    region: '浙江省杭州市',
    level,
    password: 'newagent123',
  });
  assert.equal(res.status, 201, `application: ${JSON.stringify(res.body)}`);
  return { id: /** @type {string} */ (res.body.id), phone };
}

test('an agent sees its to-do badges, opens a customer’s order and saves a recruiting poster whose QR is its invite link', async () => {
  const demo = logins();
  // A 市代 brings in a 县代, who supplies (and so reviews) a 天使 applicant.
  const inviter = agentOfLevel(4);
  const inviterApi = new ApiClient();
  await inviterApi.login('agent', inviter.phone, demo.password);
  const joined = await applyTo(inviter.code, '蒋控台', 5);
  const approved = await inviterApi.call('POST', `/applications/${joined.id}/approve`);
  assert.equal(approved.status, 200, `approve: ${JSON.stringify(approved.body)}`);
  const agentApi = new ApiClient();
  await agentApi.login('agent', joined.phone, 'newagent123');
  const me = (await agentApi.call('GET', '/agents/me')).body;
  // One applicant waits for this agent: the 审核 badge.
  const waiting = await applyTo(me.code, '韩待审', 6);

  // A customer bound through the shop link, with one paid order.
  const buyerPhone = freshPhone();
  const buyer = new ApiClient();
  assert.equal((await buyer.call('POST', '/sms/codes', { phone: buyerPhone, purpose: 'signup' })).status, 202);
  const signup = await buyer.call('POST', '/members', {
    phone: buyerPhone,
    name: '魏顾客',
    password: 'buyer12345',
    ref: me.code,
    smsCode: await smsCodeFor(buyerPhone, 'signup'),
  });
  assert.equal(signup.status, 201, `signup: ${JSON.stringify(signup.body)}`);
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const products = await admin.call('GET', '/products?limit=5');
  const product = products.body.items.find((/** @type {{ onSale: boolean }} */ p) => p.onSale);
  const order = await buyer.call('POST', '/orders', {
    kind: 'consumer',
    shopCode: me.code,
    lines: [{ productId: product.id, qty: 1 }],
    paymentMethod: 'online',
    shipping: { name: '魏顾客', phone: buyerPhone, address: '浙江省杭州市西湖区文三路 1 号' },
  });
  assert.equal(order.status, 201, `order: ${JSON.stringify(order.body)}`);
  assert.equal((await buyer.call('POST', `/orders/${order.body.id}/simulate-payment`)).status, 200);

  const copy = `控台素材${Date.now()}：新品到货，正品授权可查。`;
  const posted = await admin.call('POST', '/materials', { title: '本周新品', body: copy, images: [] });
  assert.equal(posted.status, 201, `material: ${JSON.stringify(posted.body)}`);

  const agent = await Person.open(browser, 'console', 'agent');
  await withPeople([agent], async () => {
    const page = agent.page;
    await agent.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await agent.login('代理', joined.phone, 'newagent123');
    const nav = page.getByRole('navigation', { name: '控制台栏目' });
    const more = nav.getByRole('button', { name: '更多' });
    // The waiting applicant shows on 更多 (审核 is behind it), read out as a to-do.
    await eventuallyText(nav.locator('#cx-todo-more'), '1 项待处理');
    const bar = await nav.boundingBox();
    assert.ok(
      bar && bar.y + bar.height >= 799 && bar.y > 600,
      `the tab bar sits at the bottom: ${JSON.stringify(bar)}`,
    );
    await agent.step('tab-bar');
    await more.click();
    const review = nav.getByRole('link', { name: '审核' });
    await review.waitFor();
    assert.equal(await nav.locator('#cx-todo-review').textContent(), '1 项待处理');
    await agent.step('more-menu');
    await review.click();
    await page.getByRole('heading', { name: '代理申请审核' }).waitFor();
    await page.getByText('韩待审').waitFor();
    assert.equal(await nav.getByRole('button', { name: '审核' }).getAttribute('aria-current'), 'page');

    // 客户: found by the start of the phone, typed with a space.
    await nav.getByRole('link', { name: '客户' }).click();
    await page.getByRole('heading', { name: '我的客户' }).waitFor();
    await page.getByLabel('手机号或姓名（开头几位）').fill(`${buyerPhone.slice(0, 3)} ${buyerPhone.slice(3, 7)}`);
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    const row = page.locator('[data-testid^="customer-mem_"]');
    await row.getByText('魏顾客').waitFor();
    assert.equal(await row.count(), 1, 'the search finds the one customer');
    assert.ok((await row.textContent())?.includes('已购 1 单'), 'the paid order is counted');
    await row.getByRole('button').first().click();
    const orders = page.getByRole('list', { name: '魏顾客 的订单' });
    await orders.getByText(product.name).waitFor();
    // Listed by its human number, never by its internal id.
    assert.ok((await orders.textContent())?.includes(order.body.number), 'the customer’s order is listed');
    assert.ok(!(await orders.textContent())?.includes(order.body.id), 'no internal id shown');
    assert.equal(await row.getByRole('link', { name: '打电话' }).getAttribute('href'), `tel:${buyerPhone}`);
    await agent.step('customer-open');

    // 分享: the recruiting poster, saved as a PNG.
    await more.click();
    await nav.getByRole('link', { name: '分享' }).click();
    await page.getByRole('heading', { name: '分享海报' }).waitFor();
    await page.getByText('招商海报', { exact: true }).click();
    await page.getByRole('button', { name: '生成海报' }).click();
    const poster = page.getByRole('img', { name: '我的招商海报' });
    await poster.waitFor();
    const saving = page.waitForEvent('download');
    await page.getByRole('link', { name: '保存图片（PNG）' }).click();
    const file = await saving;
    assert.match(file.suggestedFilename(), /^招商海报-.+\.png$/);
    const png = await (await file.createReadStream()).toArray();
    assert.deepEqual([...Buffer.concat(png).subarray(1, 4)], [0x50, 0x4e, 0x47], 'the saved file is a PNG');
    // The QR code drawn on the poster is the invite link: its modules, read back from the pixels, are the code's.
    const dark = await poster.evaluate((img) => {
      const image = /** @type {HTMLImageElement} */ (img);
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const ctx = canvas.getContext('2d');
      ctx?.drawImage(image, 0, 0);
      const pixels = ctx?.getImageData(510, 940, 200, 200).data ?? new Uint8ClampedArray();
      return { pixels: Array.from(pixels, (v, i) => (i % 4 === 0 ? v : 0)).filter((_, i) => i % 4 === 0) };
    });
    const qr = encode(me.inviteUrl, { ecc: 'M', border: 2 });
    const cell = Math.floor(200 / qr.size);
    const offset = Math.floor((200 - cell * qr.size) / 2);
    let mismatches = 0;
    qr.data.forEach((cells, r) => {
      cells.forEach((isDark, c) => {
        const x = offset + c * cell + Math.floor(cell / 2);
        const y = offset + r * cell + Math.floor(cell / 2);
        if (dark.pixels[y * 200 + x] < 128 !== isDark) mismatches++;
      });
    });
    assert.equal(mismatches, 0, `the poster's QR code encodes ${me.inviteUrl}`);
    await agent.step('poster');

    // 素材库: the brand's copy, copied in one tap.
    const material = page.getByTestId(`material-${posted.body.id}`);
    await material.getByRole('button', { name: '复制文案' }).click();
    await page.getByText('文案已复制，去朋友圈粘贴吧').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), copy);
    await material.scrollIntoViewIfNeeded();
    await agent.step('material-copied');

    // 收益: the payout account the brand will pay withdrawals to; withdrawing waits for it.
    await nav.locator('button[aria-controls="cx-more"]').click();
    await nav.getByRole('link', { name: '收益' }).click();
    const payout = page.getByRole('region', { name: '收款账户' });
    await payout.getByText('还没有收款账户，设置后才能提现。').waitFor();
    assert.equal(
      await page.getByRole('button', { name: '申请提现' }).isDisabled(),
      true,
      'no withdrawal without an account',
    );
    await payout.getByRole('button', { name: '设置收款账户' }).click();
    await payout.getByText('银行卡', { exact: true }).click();
    await payout.getByLabel('银行卡号').fill('6222 02');
    await payout.getByLabel('开户银行（含支行）').fill('工商银行杭州西湖支行');
    await payout.getByRole('button', { name: '保存' }).click();
    await payout.getByText('银行卡号为 12–19 位数字').waitFor();
    await agent.step('payout-bad-card');
    await payout.getByLabel('银行卡号').fill('6222 0212 3456 7890 123');
    await payout.getByRole('button', { name: '保存' }).click();
    await payout.getByTestId('payout-account').getByText('6222 0212 3456 7890 123').waitFor();
    assert.equal(await page.getByRole('button', { name: '申请提现' }).isDisabled(), false, 'withdrawing is open now');
    await payout.scrollIntoViewIfNeeded();
    await agent.step('payout-saved');

    // 收支明细 in words: the customer's paid order, by its number, earning for this agent (pending until released).
    const statement = page.getByRole('list', { name: '收支明细' });
    const earned = statement.getByText(new RegExp(`^订单 ${order.body.number} 收益 ¥\\d+\\.\\d\\d 待结算$`));
    await earned.waitFor();
    assert.ok(!/ord_|txn_|agt_|·\s*待结算\s*[+−-]/.test((await statement.textContent()) ?? ''), 'no ids or pairs');
    await earned.scrollIntoViewIfNeeded();
    await agent.step('statement-words');

    // 团队: the approved 天使 opens to its summary and contact buttons (call, copy WeChat ID).
    assert.equal((await agentApi.call('POST', `/applications/${waiting.id}/approve`)).status, 200);
    await nav.locator('button[aria-controls="cx-more"]').click();
    await nav.getByRole('link', { name: '团队' }).click();
    const member = page.locator('[data-testid^="agent-agt_"]').filter({ hasText: '韩待审' });
    await member.getByRole('button', { name: /韩待审/ }).click();
    assert.equal(await member.getByRole('link', { name: '打电话' }).getAttribute('href'), `tel:${waiting.phone}`);
    await member.getByTestId('agent-team-size').getByText('TA 还没有团队成员').waitFor();
    await member.getByRole('button', { name: '复制微信号' }).click();
    await page.getByText(`微信号 wx${waiting.phone} 已复制，去微信添加好友`).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `wx${waiting.phone}`);
    await agent.step('team-member');
  });
});

/** @param {import('playwright-core').Locator} locator @param {string} text */
async function eventuallyText(locator, text) {
  await locator.waitFor({ state: 'attached' });
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 60; i++) {
      if ((await locator.textContent()) === text) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${text} never shown; last: ${await locator.textContent()}`);
  });
}
