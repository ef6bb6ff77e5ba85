// (d) Nothing scrolls sideways at 360 px: the public pages, every tab of the agent console and every section of the
// brand console, in Chinese and (public pages and agent console) in English, whose words run longer. Each page is
// saved as a screenshot; the flows in the other files check the pages they visit the same way.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { agentOfLevel, launch, logins, Person, WAIT_MS, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Lets the page's own requests finish (bounded) and its "loading" notes go, before the screenshot. */
async function settle(person) {
  await person.page.waitForLoadState('networkidle', { timeout: WAIT_MS }).catch(() => undefined);
  await person.page
    .waitForFunction(
      () =>
        ![...document.querySelectorAll('[role="status"]')].some((el) => /加载中|Loading/.test(el.textContent ?? '')),
      null,
      { timeout: WAIT_MS },
    )
    .catch(() => undefined);
}

/** @param {'zh' | 'en'} lang */
async function openIn(lang, test, who) {
  const person = await Person.open(browser, test, who);
  person.lang = lang;
  if (lang === 'en') {
    await person.context.addInitScript(() => {
      try {
        localStorage.setItem('agentry.lang', 'en');
      } catch {
        // no storage: stays Chinese
      }
    });
  }
  return person;
}

// The tests below are independent (each opens its own people and accounts): they run at once.
describe('layouts at 360 px', { concurrency: true }, () => {
  for (const lang of /** @type {const} */ (['zh', 'en'])) {
    test(`public pages and the agent console fit 360 px (${lang})`, async () => {
      const shop = agentOfLevel(6);
      const agentLogin = agentOfLevel(3);
      const visitor = await openIn(lang, `layout-${lang}`, 'visitor');
      const agent = await openIn(lang, `layout-${lang}`, 'agent');
      await withPeople([visitor, agent], async () => {
        const pages = [
          ['home', '/'],
          ['verify', '/verify'],
          ['join', `/join?code=${shop.code}`],
          ['login', '/login'],
          ['shop', `/s/${shop.code}`],
          ['signup', '/signup'],
          ['cart', `/cart?s=${shop.code}`],
          ['orders', '/orders'],
          ['not-found', '/no-such-page'],
        ];
        for (const [name, url] of pages) {
          await visitor.page.goto(url, { waitUntil: 'load' });
          await visitor.hydrated();
          await settle(visitor);
          await visitor.step(name);
          if (name === 'shop') {
            // The page's language switch reaches placeholders too, not only texts and labels.
            const search = visitor.page.locator('#shop-q');
            assert.equal(await search.getAttribute('placeholder'), lang === 'en' ? 'Search products' : '搜索商品');
          }
        }

        await agent.login('代理', agentLogin.phone, logins().password);
        const nav = agent.page.getByRole('navigation', { name: lang === 'en' ? 'Console sections' : '控制台栏目' });
        await nav.waitFor();
        const more = nav.getByRole('button', { name: lang === 'en' ? 'More' : '更多' });
        /** @param {Element[]} links */
        const hrefs = (links) => links.map((a) => a.getAttribute('href') ?? '');
        const primary = await nav.getByRole('link').evaluateAll(hrefs);
        await more.click();
        const behindMore = (await nav.getByRole('link').evaluateAll(hrefs)).filter((h) => !primary.includes(h));
        await more.click();
        assert.ok(behindMore.length > 0, 'some sections sit behind 更多');
        for (const href of [...primary, ...behindMore]) {
          // A section behind 更多 is reached through the menu, as a person on a phone would.
          if (behindMore.includes(href)) await nav.locator('button[aria-controls="cx-more"]').click();
          await nav.locator(`a[href="${href}"]`).click();
          await agent.page.waitForFunction((h) => location.hash === h, href, { timeout: WAIT_MS });
          await settle(agent);
          await agent.step(`console-${href.slice(1)}`);
        }
      });
    });
  }

  test('every section of the brand console fits 360 px', async () => {
    const demo = logins();
    const brand = await Person.open(browser, 'layout-zh', 'brand');
    await withPeople([brand], async () => {
      await brand.login('品牌方', demo.admin.username, demo.admin.password);
      await settle(brand);
      const nav = brand.page.getByRole('navigation', { name: '后台栏目' });
      await nav.waitFor();
      const sections = await nav
        .getByRole('link')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      for (const href of sections) {
        await brand.goto(`/admin${href}`);
        await settle(brand);
        await brand.step(`admin-${href.slice(1)}`);
      }
    });
  });
});
