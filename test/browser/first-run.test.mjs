// First run: a server of its own whose database has only the migrations and one admin (made by
// `npm run admin:create`, as the README's deployment path does). The admin's first sign-in in /admin shows the setup
// step (a missing brand name and level name first: the Chinese errors under the inputs), which creates the brand and
// its levels; then the console opens with the brand's name, the settings show the levels, and a reload stays there.
// browser-test: own server (it starts a second server, on an empty database, so it runs beside the shared-server files)
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startServer } from './server.mjs';

const ADMIN = { username: 'founder', password: 'first-run-2024' };
const OUTPUT = process.env.AGENTRY_OUTPUT ?? path.resolve('test-output', 'browser');

/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let server;
/** @type {import('./launch.mjs').TestBrowser} */
let browser;
/** @type {typeof import('./lib.mjs')} */
let lib;

before(async () => {
  server = await startServer({
    port: 8814,
    logFile: path.join(OUTPUT, 'wrangler-dev-first-run.log'),
    log: (line) => console.log(`[first-run server] ${line}`),
    emptyWithAdmin: ADMIN,
  });
  // lib.mjs reads the server's address when it is loaded: this file's own server, not the seeded one.
  process.env.AGENTRY_BASE_URL = server.base;
  lib = await import('./lib.mjs');
  browser = await lib.launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the first admin sign-in leads through the setup step, then the console', async () => {
  const { Person, withPeople, expectFieldError, ApiClient } = lib;
  const api = new ApiClient();
  const before = await api.call('GET', '/brand');
  assert.deepEqual(
    { name: before.body.name, levels: before.body.levels },
    { name: '', levels: [] },
    'an empty database answers GET /api/brand',
  );

  const brand = await Person.open(browser, 'first-run', 'brand', { width: 1280, height: 900 });
  const phone = await Person.open(browser, 'first-run', 'phone');
  await withPeople([brand, phone], async () => {
    const page = brand.page;
    await brand.login('品牌方', ADMIN.username, ADMIN.password);
    await brand.arrive((url) => url.pathname === '/admin');
    await page.getByRole('heading', { name: '欢迎使用，先完成品牌初始设置' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: '后台栏目' }).count(), 0, 'no console before the setup');
    await brand.step('setup-form');

    await page.getByRole('button', { name: '完成设置，进入后台', exact: true }).click();
    await expectFieldError(page.getByLabel('品牌名称', { exact: true }), '此项必填');
    await expectFieldError(page.getByLabel('第 1 级名称', { exact: true }), '此项必填');
    await brand.step('setup-errors');

    await page.getByLabel('品牌名称', { exact: true }).fill('山茶花开');
    await page.getByLabel('第 1 级名称', { exact: true }).fill('联创');
    await page.getByLabel('第 2 级名称', { exact: true }).fill('总代');
    await page.getByLabel('第 3 级名称', { exact: true }).fill('总代');
    await page.getByRole('button', { name: '添加等级', exact: true }).click();
    await page.getByLabel('第 4 级名称', { exact: true }).fill('天使');
    await page.getByRole('button', { name: '完成设置，进入后台', exact: true }).click();
    await expectFieldError(page.getByLabel('第 3 级名称', { exact: true }), '等级名称不能重复');
    await page.getByLabel('第 3 级名称', { exact: true }).fill('省代');
    await page.getByRole('radio', { name: /^云仓/ }).check();
    await page.getByRole('radio', { name: /^可改绑/ }).check();
    await page.getByLabel('改绑天数', { exact: true }).fill('60');
    await page.getByLabel('收益冻结天数', { exact: true }).fill('3');
    await brand.step('setup-filled');
    await page.getByRole('button', { name: '完成设置，进入后台', exact: true }).click();

    const nav = page.getByRole('navigation', { name: '后台栏目' });
    await nav.waitFor();
    await page.locator('.ad-brand strong', { hasText: '山茶花开' }).waitFor();
    await brand.step('console');

    await brand.goto('/admin#settings');
    await page.getByLabel('品牌名称', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('品牌名称', { exact: true }).inputValue(), '山茶花开');
    assert.equal(await page.getByLabel('印章文字', { exact: true }).inputValue(), '山茶花开授权专用章');
    assert.ok(await page.getByRole('radio', { name: /^云仓/ }).isChecked(), 'the stock model chosen in the setup');
    await brand.step('settings');

    const after = await api.call('GET', '/brand');
    assert.deepEqual(
      { name: after.body.name, levels: after.body.levels },
      {
        name: '山茶花开',
        levels: [
          { rank: 1, name: '联创' },
          { rank: 2, name: '总代' },
          { rank: 3, name: '省代' },
          { rank: 4, name: '天使' },
        ],
      },
    );

    // The same admin on a phone: no setup step any more, the console at once.
    await phone.login('品牌方', ADMIN.username, ADMIN.password);
    await phone.arrive((url) => url.pathname === '/admin');
    await phone.page.getByRole('navigation', { name: '后台栏目' }).waitFor();
    assert.equal(await phone.page.getByRole('heading', { name: '欢迎使用，先完成品牌初始设置' }).count(), 0);
    await phone.step('console');
  });
});
