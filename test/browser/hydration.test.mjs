// On a slow phone network a visitor types into a form before its island's JavaScript has loaded: the text (and a
// chosen tab) must survive hydration (site/src/lib/hooks.ts useFormValues / useTypedValue / useTypedChoice).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, Person, sleep, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * Holds back every script of the islands until `release()` (not for a fixed time: on a busy machine typing can take
 * longer than any delay chosen here).
 * @param {import('playwright-core').Page} page
 */
async function slowIslands(page) {
  /** @type {() => void} */
  let open = () => {};
  const gate = new Promise((resolve) => {
    open = () => resolve(undefined);
  });
  await page.route('**/_astro/**/*.js', async (route) => {
    await gate;
    await route.continue();
  });
  return { release: open };
}

/** @param {import('playwright-core').Page} page */
function notHydratedYet(page) {
  return page.evaluate(() => document.querySelectorAll('astro-island[ssr]').length > 0);
}

test('/login: what was typed and the tab chosen before the form loaded are still there, and are what it sends', async () => {
  const visitor = await Person.open(browser, 'hydration', 'visitor');
  await withPeople([visitor], async () => {
    const page = visitor.page;
    const islands = await slowIslands(page);
    await page.goto('/login', { waitUntil: 'domcontentloaded' });
    await page.getByRole('radio', { name: '会员', exact: true }).check();
    const account = page.getByLabel('手机号', { exact: true });
    const password = page.getByLabel('密码', { exact: true });
    await account.fill('13800000000');
    await password.fill('not-the-password');
    assert.ok(await notHydratedYet(page), 'the typing happened before the island hydrated');
    await visitor.step('typed-before-hydration');

    islands.release();
    await visitor.hydrated();
    // Hydration is followed by renders (language, ready state): give them time to run.
    await sleep(500);
    assert.equal(await account.inputValue(), '13800000000', 'the phone survives hydration');
    assert.equal(await password.inputValue(), 'not-the-password', 'the password survives hydration');
    assert.ok(await page.getByRole('radio', { name: '会员', exact: true }).isChecked(), 'the 会员 tab stays chosen');
    await visitor.step('after-hydration');

    // The island's state holds them: the server answers (not the form's own 此项必填).
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '账号或密码错误' }).waitFor();
    assert.equal(await page.getByText('此项必填').count(), 0, 'no field is reported empty');
    await visitor.step('sent');
  });
});

test('/v: a code typed before the page loaded is still there after hydration', async () => {
  const visitor = await Person.open(browser, 'hydration', 'verifier');
  await withPeople([visitor], async () => {
    const page = visitor.page;
    const islands = await slowIslands(page);
    await page.goto('/v', { waitUntil: 'domcontentloaded' });
    const code = page.getByLabel('防伪码', { exact: true });
    await code.fill('ABCD-EFGH-JKMN-PQRS');
    assert.ok(await notHydratedYet(page), 'the typing happened before the island hydrated');
    islands.release();
    await visitor.hydrated();
    await sleep(500);
    assert.equal(await code.inputValue(), 'ABCD-EFGH-JKMN-PQRS');
  });
});
