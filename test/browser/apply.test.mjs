// (b) An applicant applies through an agent's invite link (a taken phone first: the Chinese error under 手机号),
// sees 待审核 on the progress page; the approving agent approves it in /console; the progress page shows 已通过 and
// the new agent can sign in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { agentOfLevel, expectFieldError, freshPhone, launch, logins, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The tests below are independent (each opens its own people and accounts): they run at once.
describe('applications', { concurrency: true }, () => {
  test('an applicant applies through an invite link, the inviting agent approves, the applicant signs in', async () => {
    // A 县代 (level 5) invites a 天使 (level 6): the 县代 is the supplier and approves.
    const inviter = agentOfLevel(5);
    const taken = agentOfLevel(2).phone;
    const phone = freshPhone();
    const password = 'newagent123';
    const name = '孙晓测';
    const wechat = `wx${phone}`;
    const applicant = await Person.open(browser, 'apply', 'applicant');
    const approver = await Person.open(browser, 'apply', 'inviter');
    await withPeople([applicant, approver], async () => {
      const page = applicant.page;
      await applicant.goto(`/join?code=${inviter.code}`);
      await page.getByText(`${inviter.name}（${inviter.levelName}）邀请您加入`).waitFor();
      await applicant.step('invite-page');

      await page.getByLabel('姓名', { exact: true }).fill(name);
      const phoneInput = page.getByLabel('手机号', { exact: true });
      await phoneInput.fill(taken);
      await page.getByLabel('微信号', { exact: true }).fill(wechat);
      await page.getByLabel('所在地区', { exact: true }).fill('浙江省杭州市');
      await page.getByLabel('申请等级', { exact: true }).selectOption({ label: '天使' });
      await page.getByLabel('密码', { exact: true }).fill(password);
      await page.getByRole('button', { name: '提交申请', exact: true }).click();
      await expectFieldError(phoneInput, '该手机号已被使用');
      assert.equal(new URL(page.url()).pathname, '/join', 'the form stays on the page after an error');
      await applicant.step('phone-taken');

      await phoneInput.fill(phone);
      await page.getByRole('button', { name: '提交申请', exact: true }).click();
      await applicant.arrive(/\/application\?id=/);
      const applicationId = new URL(page.url()).searchParams.get('id') ?? '';
      assert.ok(applicationId, 'the progress page carries the application id');
      const progress = page.getByRole('region', { name: '我的代理申请' });
      await progress.getByText('待审核', { exact: true }).waitFor();
      await applicant.step('pending');

      // Signing in before the approval says the application is under review, with a link to its progress.
      await applicant.goto('/login');
      await page.getByLabel('手机号', { exact: true }).fill(phone);
      await page.getByLabel('密码', { exact: true }).fill(password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByText('您的代理申请正在审核中').first().waitFor();
      await applicant.step('login-while-pending');
      await page.getByRole('link', { name: '查看申请进度' }).click();
      await applicant.arrive(/\/application/);
      await progress.getByText('待审核', { exact: true }).waitFor();

      // The inviter approves it in the console's 审核 tab.
      await approver.login('代理', inviter.phone, logins().password);
      assert.equal(new URL(approver.page.url()).pathname, '/console', 'an agent lands on /console');
      await approver.goto('/console#review');
      const row = approver.page.getByTestId(`application-${applicationId}`);
      await row.waitFor();
      assert.ok((await row.textContent()).includes(name), 'the row shows the applicant');
      await approver.step('review-tab');
      await row.getByRole('button', { name: '通过', exact: true }).click();
      await approver.page.getByRole('dialog').getByRole('button', { name: '确认通过' }).click();
      await approver.page.getByText(`已通过 ${name} 的申请`).waitFor();
      assert.equal(await row.count(), 0, 'the approved application leaves the pending list');
      await approver.step('approved');

      await page.reload();
      await applicant.hydrated();
      await progress.getByText('已通过', { exact: true }).waitFor();
      await applicant.step('progress-approved');

      await progress.getByRole('link', { name: '去登录' }).click();
      await applicant.arrive(/\/login/);
      await page.getByLabel('手机号', { exact: true }).fill(phone);
      await page.getByLabel('密码', { exact: true }).fill(password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await applicant.arrive((url) => url.pathname === '/console');
      await page.getByRole('heading', { name, level: 2 }).waitFor();
      await applicant.step('new-agent-console');
    });
  });

  test('a direct application (no invite) is approved by the brand in /admin, and its certificate can be looked up', async () => {
    const demo = logins();
    const phone = freshPhone();
    const password = 'direct1234';
    const name = '周直申';
    const applicant = await Person.open(browser, 'apply-brand', 'applicant');
    const brand = await Person.open(browser, 'apply-brand', 'brand');
    await withPeople([applicant, brand], async () => {
      const page = applicant.page;
      await applicant.goto('/join');
      await page.getByText(/由品牌方审核/).waitFor();
      await page.getByLabel('姓名', { exact: true }).fill(name);
      await page.getByLabel('手机号', { exact: true }).fill(phone);
      await page.getByLabel('微信号', { exact: true }).fill(`wx${phone}`);
      await page.getByLabel('所在地区', { exact: true }).fill('江苏省南京市');
      await page.getByLabel('申请等级', { exact: true }).selectOption({ label: '总代' });
      await page.getByLabel('密码', { exact: true }).fill(password);
      await applicant.step('direct-form');
      await page.getByRole('button', { name: '提交申请', exact: true }).click();
      await applicant.arrive(/\/application\?id=/);
      const applicationId = new URL(page.url()).searchParams.get('id') ?? '';
      const progress = page.getByRole('region', { name: '我的代理申请' });
      await progress.getByText('待审核', { exact: true }).waitFor();
      await applicant.step('pending');

      await brand.login('品牌方', demo.admin.username, demo.admin.password);
      await brand.goto('/admin#applications');
      const row = brand.page.getByTestId(`application-${applicationId}`);
      await row.waitFor();
      await brand.step('applications');
      await row.getByRole('button', { name: '通过', exact: true }).click();
      await brand.page.getByRole('dialog').getByRole('button', { name: '确认通过' }).click();
      await brand.page.getByText(`已通过 ${name} 的申请`).waitFor();
      await brand.step('approved');

      await page.reload();
      await applicant.hydrated();
      await progress.getByText('已通过', { exact: true }).waitFor();
      await applicant.step('progress-approved');

      // The certificate was issued on approval: anyone can look it up by the new agent's phone.
      await applicant.goto('/verify');
      await page.getByRole('radio', { name: '手机号', exact: true }).check();
      await page.getByRole('textbox', { name: '手机号', exact: true }).fill(phone);
      await page.getByRole('button', { name: '查询', exact: true }).click();
      const card = page.getByRole('region', { name: /授权代理/ });
      await card.waitFor();
      const text = await card.textContent();
      assert.ok(text.includes('周*申'), `the new certificate shows the masked name:\n${text}`);
      assert.ok(text.includes('总代') && text.includes('有效'), `level 总代 and status 有效:\n${text}`);
      await applicant.step('certificate');
    });
  });
});
