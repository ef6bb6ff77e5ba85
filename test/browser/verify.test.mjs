// (a) A stranger checks an agent's authorization on /verify: by phone, then by the certificate number the card shows,
// and with a phone that has no certificate (the Chinese error under the field).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { agentOfLevel, expectFieldError, launch, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** 张*明 style: the first character, then * for the middle, and the last character for names of 3+. */
function masked(name) {
  const chars = Array.from(name);
  return chars.length <= 2 ? `${chars[0]}*` : `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

test('a stranger looks up a certificate by phone and by number; a wrong phone shows the error', async () => {
  const agent = agentOfLevel(3);
  const stranger = await Person.open(browser, 'verify', 'stranger');
  await withPeople([stranger], async () => {
    const page = stranger.page;
    await stranger.goto('/verify');
    await page.getByRole('heading', { name: '授权查询', level: 1 }).waitFor();
    await stranger.step('verify-page');

    // By phone.
    await page.getByRole('radio', { name: '手机号', exact: true }).check();
    await page.getByRole('textbox', { name: '手机号', exact: true }).fill(agent.phone);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    const card = page.getByRole('region', { name: /授权代理/ });
    await card.waitFor();
    const text = await card.textContent();
    const maskedPhone = `${agent.phone.slice(0, 3)}****${agent.phone.slice(-4)}`;
    assert.ok(text.includes(masked(agent.name)), `the card shows the masked name ${masked(agent.name)}:\n${text}`);
    assert.ok(!text.includes(agent.name), 'the card never shows the full name');
    assert.ok(text.includes(maskedPhone), `the card shows the masked phone ${maskedPhone}:\n${text}`);
    assert.ok(!text.includes(agent.phone), 'the card never shows the full phone');
    assert.ok(text.includes(agent.levelName), `the card shows the level ${agent.levelName}`);
    assert.ok(text.includes('有效'), 'the card shows the status 有效');
    const number = (await card.getByRole('link').first().textContent()).trim();
    assert.match(number, /^AG/, 'the card shows the certificate number');
    await stranger.step('found-by-phone');

    // By certificate number, on a fresh page.
    await stranger.goto('/verify');
    await page.getByRole('radio', { name: '证书编号', exact: true }).check();
    await page.getByRole('textbox', { name: '证书编号', exact: true }).fill(number);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await card.waitFor();
    const byNumber = await card.textContent();
    assert.ok(byNumber.includes(masked(agent.name)), 'the lookup by number shows the same masked name');
    assert.ok(byNumber.includes('有效'), 'and the status 有效');
    await stranger.step('found-by-number');

    // The certificate's own page (/c/<number>) from the card's link.
    await card.getByRole('link', { name: number }).click();
    await stranger.arrive(/\/c(\/|\?n=)/);
    await page.getByText(masked(agent.name)).first().waitFor();
    await stranger.step('certificate-page');

    // A phone with no certificate: the Chinese error under the field, and no card.
    await stranger.goto('/verify');
    await page.getByRole('radio', { name: '手机号', exact: true }).check();
    const phone = page.getByRole('textbox', { name: '手机号', exact: true });
    await phone.fill('13000000000');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expectFieldError(phone, '未查到授权信息');
    assert.equal(await card.count(), 0, 'no certificate card after a miss');
    await stranger.step('wrong-phone');
  });
});
