// Sign-in redirects stay on the site (site/src/lib/redirect.ts), and the main pages run under their
// Content-Security-Policy without a single violation (site/integrations/securityHeaders.mjs, worker/middleware).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { agentOfLevel, BASE, launch, logins, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const ORIGIN = new URL(BASE).origin;

/** Reports every CSP violation on the page as a console error (withPeople fails on those) and keeps the list. */
async function watchCsp(/** @type {Person} */ person) {
  /** @type {string[]} */
  const violations = [];
  await person.page.exposeFunction('__cspViolation', (/** @type {string} */ what) => violations.push(what));
  await person.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const what = `${e.violatedDirective} ${e.blockedURI} on ${location.pathname}`;
      // @ts-expect-error exposed by the test
      window.__cspViolation(what);
      console.error(`CSP violation: ${what}`);
    });
  });
  return violations;
}

// The tests below are independent (each opens its own people and accounts): they run at once.
describe('redirects and the CSP', { concurrency: true }, () => {
  test('sign-in with next=/%09/evil.example/phish, //evil, /\\evil or javascript: stays on the site', async () => {
    const agent = agentOfLevel(5);
    const visitor = await Person.open(browser, 'security-redirect', 'agent');
    await withPeople([visitor], async () => {
      // Were the site to follow one, the page would say so instead of failing to resolve.
      await visitor.context.route(
        (url) => url.hostname === 'evil.example',
        (route) =>
          route.fulfill({
            status: 200,
            contentType: 'text/html',
            body: '<meta name="viewport" content="width=device-width"><title>phish</title>phished',
          }),
      );
      for (const next of ['/\t/evil.example/phish', '//evil.example/phish', '/\\evil.example/phish', 'javascript:1']) {
        // Leave /console first: with its cookie gone it sends itself to /login, which would abort the next goto.
        await visitor.page.goto('about:blank');
        await visitor.page.context().clearCookies();
        await visitor.login('代理', agent.phone, logins().password, next);
        const landed = new URL(visitor.page.url());
        assert.equal(landed.origin, ORIGIN, `next=${JSON.stringify(next)} landed on ${landed.href}`);
        assert.equal(landed.pathname, '/console', `next=${JSON.stringify(next)}: the agent's home instead`);
      }
      await visitor.step('stayed-on-site');
    });
  });

  test('a same-site next is still honoured after sign-in', async () => {
    const agent = agentOfLevel(5);
    const visitor = await Person.open(browser, 'security-redirect-ok', 'agent');
    await withPeople([visitor], async () => {
      await visitor.login('代理', agent.phone, logins().password, '/verify?from=login');
      const landed = new URL(visitor.page.url());
      assert.equal(landed.origin + landed.pathname + landed.search, `${ORIGIN}/verify?from=login`);
    });
  });

  test('home, shop, checkout, console and admin run under the CSP with no violation', async () => {
    const demo = logins();
    const seller = agentOfLevel(4);
    const consumer = await Person.open(browser, 'security-csp', 'consumer');
    const agent = await Person.open(browser, 'security-csp', 'agent');
    const brand = await Person.open(browser, 'security-csp', 'brand');
    const seen = await Promise.all([consumer, agent, brand].map(watchCsp));
    await withPeople([consumer, agent, brand], async () => {
      for (const path of ['/', `/s/${seller.code}`, `/checkout?s=${seller.code}`, '/verify', '/no-such-page']) {
        const res = await consumer.page.goto(path, { waitUntil: 'load' });
        const csp = (await res?.allHeaders())?.['content-security-policy'] ?? '';
        assert.match(csp, /frame-ancestors 'none'/, `${path} has a CSP`);
        assert.doesNotMatch(csp, /unsafe-eval/, `${path}: no unsafe-eval`);
        await consumer.hydrated();
      }
      await consumer.goto(`/s/${seller.code}`);
      await consumer.step('shop');
      await agent.login('代理', seller.phone, demo.password);
      await agent.goto('/console');
      await agent.step('console');
      await brand.login('品牌方', demo.admin.username, demo.admin.password);
      await brand.goto('/admin');
      await brand.step('admin');
      assert.deepEqual(seen.flat(), [], 'no CSP violation');
    });
  });
});
