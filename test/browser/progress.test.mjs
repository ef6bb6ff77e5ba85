// browser-test: alone (it replaces the brand's incentive rules and lists a gift)
// An agent's 成长 tab in the console: its progress toward the next level (a bar per rule), its points and the gifts
// it can redeem, the reward rules shown before they apply, on a phone-sized screen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, agentOfLevel, launch, logins, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('an agent sees its progress to the next level, its points and the reward rules', async () => {
  const demo = logins();
  const admin = new ApiClient();
  await admin.login('admin', demo.admin.username, demo.admin.password);
  const rules = await admin.call('PUT', '/incentives/rules', {
    rewards: [
      { kind: 'referral', depth: 1, amountFen: 800 },
      { kind: 'referral', depth: 2, bps: 200 },
      { kind: 'same_level', amountFen: 500 },
    ],
    upgrades: [
      { kind: 'cumulative', targetLevel: 4, thresholdFen: 50_000_000 },
      { kind: 'refer', referCount: 3 },
    ],
    pointsPerYuan: 2,
    pointsTowardUpgrade: false,
  });
  assert.equal(rules.status, 200, JSON.stringify(rules.body));
  const gift = await admin.call('POST', '/gifts', { name: '品牌定制礼盒', pointsCost: 2000, stock: 20 });
  assert.equal(gift.status, 201, JSON.stringify(gift.body));

  const seller = agentOfLevel(5);
  const agent = await Person.open(browser, 'progress', 'agent');
  await withPeople([agent], async () => {
    const page = agent.page;
    await agent.login('代理', seller.phone, demo.password);
    await agent.goto('/console#progress');
    await page.getByRole('heading', { name: '升级进度' }).waitFor();
    const steps = page.getByTestId('upgrade-step');
    await steps.first().waitFor();
    const texts = await steps.allTextContents();
    assert.ok(
      texts.some((s) => s.includes('累计进货满 ¥500000.00')),
      `the cumulative step: ${texts.join(' | ')}`,
    );
    assert.ok(
      texts.some((s) => s.includes('推荐 3 位同级代理')),
      `the 推三升一 step: ${texts.join(' | ')}`,
    );
    // Each bar is named by its step for a screen reader.
    const bar = page.getByRole('progressbar').first();
    assert.ok(await bar.getAttribute('aria-labelledby'), 'the bar is labelled');
    await page.getByText('推荐奖（第 1 级）：奖励 ¥8.00').waitFor();
    await page.getByText('进货额的 2%').waitFor();
    const redeem = page.getByRole('button', { name: '兑换「品牌定制礼盒」' });
    await redeem.waitFor();
    await agent.step('progress');
  });
});
