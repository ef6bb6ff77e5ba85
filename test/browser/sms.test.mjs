// Phones proved by text message code (the local SMS simulator stands in for the phone): a member who forgot its
// password resets it on /reset (linked from /login as 忘记密码) and signs in with the new one; a guest finds the
// orders it placed with its phone on /orders (用手机号查询订单), and a wrong code is refused under the code input.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ApiClient,
  agentOfLevel,
  expectFieldError,
  freshPhone,
  launch,
  logins,
  Person,
  smsCodeFor,
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

/** A member signed up through the API, the way the signup page does it (setup, not what these tests are about). */
async function memberWithCode() {
  const phone = freshPhone();
  const api = new ApiClient();
  const sent = await api.call('POST', '/sms/codes', { phone, purpose: 'signup' });
  assert.equal(sent.status, 202, `code: ${JSON.stringify(sent.body)}`);
  const made = await api.call('POST', '/members', {
    phone,
    name: '秦小雨',
    password: 'oldpass123',
    smsCode: await smsCodeFor(phone, 'signup'),
  });
  assert.equal(made.status, 201, `signup: ${JSON.stringify(made.body)}`);
  return { phone, api };
}

test('a member resets a forgotten password with a text message code and signs in with the new one', async () => {
  const { phone, api } = await memberWithCode();
  const member = await Person.open(browser, 'sms-reset', 'member');
  await withPeople([member], async () => {
    const page = member.page;
    await member.goto('/login?role=member');
    await page.getByRole('link', { name: '忘记密码？' }).click();
    await member.arrive(/\/reset/);
    await page.getByRole('heading', { name: '忘记密码', level: 1 }).waitFor();
    await page.getByRole('radio', { name: '会员', exact: true }).check();
    await page.getByLabel('手机号', { exact: true }).fill(phone);
    await page.getByRole('button', { name: '获取验证码', exact: true }).click();
    await page.getByText('验证码已发送，5 分钟内有效').waitFor();
    await page.getByRole('button', { name: /秒后重发/ }).waitFor();
    const code = await smsCodeFor(phone, 'reset');
    await page.getByLabel('新密码', { exact: true }).fill('newpass456');
    // A wrong code: refused under the code input, in Chinese; nothing changes.
    await page.getByLabel('短信验证码', { exact: true }).fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '重置密码', exact: true }).click();
    await expectFieldError(page.getByLabel('短信验证码', { exact: true }), '验证码错误或已失效，请重新获取');
    await member.step('reset-wrong-code');
    await page.getByLabel('短信验证码', { exact: true }).fill(code);
    await page.getByRole('button', { name: '重置密码', exact: true }).click();
    await page.getByText('密码已重置').waitFor();
    await member.step('reset-done');
    // The session the signup made is over; the new password signs in.
    assert.equal((await api.call('GET', '/auth/me')).status, 401, 'the old session ended');
    await page.getByRole('link', { name: '去登录' }).click();
    await member.login('会员', phone, 'newpass456');
    const check = new ApiClient();
    const old = await check.call('POST', '/auth/login', { role: 'member', account: phone, password: 'oldpass123' });
    assert.equal(old.status, 401, 'the old password no longer works');
  });
});

/**
 * A guest order with this phone through a demo shop, placed in the direct model (the brand's warehouse ships), the
 * brand's model put back after. Setup through the API.
 * @param {string} phone
 */
async function guestOrderWith(phone) {
  const demo = logins();
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const settings = await admin.call('GET', '/brand/settings');
  const model = settings.body.stockModel;
  await admin.call('PATCH', '/brand/settings', { stockModel: 'direct' });
  try {
    const products = await admin.call('GET', '/products?limit=1');
    const order = await new ApiClient().call('POST', '/orders', {
      kind: 'consumer',
      shopCode: agentOfLevel(1).code,
      lines: [{ productId: products.body.items[0].id, qty: 1 }],
      paymentMethod: 'offline',
      shipping: { name: '游小客', phone, address: '浙江省杭州市西湖区文三路 100 号' },
    });
    assert.equal(order.status, 201, `guest order: ${JSON.stringify(order.body)}`);
    return order.body.id;
  } finally {
    await admin.call('PATCH', '/brand/settings', { stockModel: model });
  }
}

test('a guest proves its phone on /orders and sees the orders placed with it', async () => {
  const phone = freshPhone();
  const orderId = await guestOrderWith(phone);
  const guest = await Person.open(browser, 'sms-orders', 'guest');
  await withPeople([guest], async () => {
    const page = guest.page;
    await guest.goto('/orders');
    await page.getByRole('heading', { name: '用手机号查询订单' }).waitFor();
    await page.getByLabel('下单手机号', { exact: true }).first().fill(phone);
    await page.getByRole('button', { name: '获取验证码', exact: true }).click();
    await page.getByLabel('短信验证码', { exact: true }).fill(await smsCodeFor(phone, 'orders'));
    await page.getByRole('button', { name: '查询订单', exact: true }).click();
    await page.getByRole('heading', { name: `手机号 ${phone} 的订单（1）` }).waitFor();
    await guest.step('orders-by-phone');
    // The order opens with the phone it was looked up with.
    await page.locator(`a[href*="${orderId}"]`).click();
    await guest.arrive(/\/order\?/);
    await page.getByText('游小客').first().waitFor();
  });
});
