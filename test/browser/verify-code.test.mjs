// 防伪查询 and 乱价举报 at 360×800: the brand (through the API) makes a small code batch and ships it to a demo agent;
// a stranger opens a code's /v/<code> link (genuine, product, official price, masked agent, certificate link), opens
// it again (the repeat warning), tries a made-up code (not found) and a malformed one (the Chinese error under the
// field), then reports price-breaking from the result page and sees the confirmation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, agentOfLevel, BASE, expectFieldError, launch, logins, Person, withPeople } from './lib.mjs';

/** @type {import('./launch.mjs').TestBrowser} */
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** 张*明 style, as worker/domain/mask.ts. @param {string} name */
function masked(name) {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  return chars.length === 2 ? `${chars[0]}*` : `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/** ¥12.34, as site/src/lib/money.ts. @param {number} fen */
function yuan(fen) {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/**
 * The brand makes a batch of 5 codes for a product and binds them all to `agent`; returns the product and the codes'
 * verification paths from the printer's CSV.
 * @param {ApiClient} brand @param {{ phone: string }} agent
 */
async function shippedCodes(brand, agent) {
  const products = await brand.call('GET', '/products?limit=1');
  assert.equal(products.status, 200, JSON.stringify(products.body));
  const product = products.body.items[0];
  const batch = await brand.call('POST', '/brand/code-batches', { productId: product.id, size: 5 });
  assert.equal(batch.status, 201, JSON.stringify(batch.body));
  assert.equal(batch.body.status, 'ready');
  const csv = await brand.call('GET', `/brand/code-batches/${batch.body.id}/codes.csv`);
  assert.equal(csv.status, 200);
  const rows = String(csv.body)
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(','));
  assert.equal(rows.length, 5, 'the CSV has one line per code');
  const found = await brand.call('GET', `/agents?q=${agent.phone}`);
  const agentId = found.body.items?.[0]?.id;
  assert.ok(agentId, `the demo agent is found: ${JSON.stringify(found.body)}`);
  const bound = await brand.call('POST', '/brand/code-bindings', {
    agentId,
    ranges: [{ from: batch.body.serialStart, to: batch.body.serialEnd }],
  });
  assert.equal(bound.status, 201, JSON.stringify(bound.body));
  return { product, paths: rows.map(([, , url]) => new URL(url).pathname), printed: rows.map(([, code]) => code) };
}

test('a stranger verifies a shipped code twice, a made-up and a malformed one, then reports price-breaking', async () => {
  const demo = logins();
  const agent = agentOfLevel(3);
  const brand = new ApiClient();
  await brand.login('admin', demo.admin.username, demo.admin.password);
  const { product, paths, printed } = await shippedCodes(brand, agent);

  const stranger = await Person.open(browser, 'verify-code', 'stranger');
  await withPeople([stranger], async () => {
    const page = stranger.page;
    await stranger.goto(paths[0]);
    const card = page.getByRole('region', { name: '正品' });
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    assert.ok(text.includes(product.name), `the card names the product ${product.name}:\n${text}`);
    assert.ok(text.includes(`官方零售价 ${yuan(product.retailFen)}`), `and its official retail price:\n${text}`);
    assert.ok(text.includes(printed[0]), 'and the code as printed');
    assert.ok(text.includes(masked(agent.name)), `and the masked agent ${masked(agent.name)}:\n${text}`);
    assert.ok(!text.includes(agent.name), 'never the agent’s full name');
    assert.ok(text.includes(agent.levelName), `and its level ${agent.levelName}`);
    assert.match(text, /第 1 次查询，首次查询于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    assert.equal(await card.getByRole('alert').count(), 0, 'no repeat warning the first time');
    const certificate = card.getByRole('link', { name: /查看授权书 AG/ });
    assert.match((await certificate.getAttribute('href')) ?? '', /^\/c\/AG[0-9A-Z]+$/);
    await stranger.step('genuine');

    // Opened again: the repeat warning.
    await stranger.goto(paths[0]);
    await card.waitFor();
    await card.getByRole('alert').filter({ hasText: '此码已被查询过 2 次，若非本人查询，请谨防假冒' }).waitFor();
    assert.match((await card.textContent()) ?? '', /第 2 次查询/);
    await stranger.step('repeated');

    // The certificate link leads to the agent's certificate.
    await certificate.click();
    await stranger.arrive(/\/c\/AG/);
    await page.getByText(masked(agent.name)).first().waitFor();
    await stranger.step('certificate');

    // A well-formed code that was never issued.
    await stranger.goto('/v/ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    const missing = page.getByRole('alert').filter({ hasText: '未查到此防伪码' });
    await missing.waitFor();
    assert.match((await missing.textContent()) ?? '', /查无此码/);
    await stranger.step('not-found');

    // A malformed code typed into the form: the API's Chinese error under the field.
    await stranger.goto('/v');
    const input = page.getByRole('textbox', { name: '防伪码', exact: true });
    await input.fill('ABC-123');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expectFieldError(input, '防伪码格式不正确');
    await stranger.step('malformed');

    // Typed into the form, another of the codes verifies on the page.
    await input.fill(printed[1].toLowerCase());
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await card.waitFor();
    assert.match((await card.textContent()) ?? '', /第 1 次查询/);

    // Report price-breaking from the result: the agent and the product are filled in; the price is typed in yuan.
    await page.getByRole('link', { name: '发现低价乱价？去举报' }).click();
    await stranger.arrive((url) => url.pathname === '/report' && url.searchParams.get('agent') === agent.code);
    await page.waitForFunction((code) => document.querySelector('#report-agent')?.value === code, agent.code, {
      timeout: 15_000,
    });
    const productSelect = page.getByLabel('涉及商品（选填）', { exact: true });
    await page.waitForFunction((id) => document.querySelector('#report-productId')?.value === id, product.id, {
      timeout: 15_000,
    });
    assert.equal(await productSelect.inputValue(), product.id);
    await page.getByLabel('代理微信号、手机号或小店链接', { exact: true }).fill(`${BASE}/s/${agent.code}`);
    await page.getByLabel('看到的售价（元）', { exact: true }).fill('99.9');
    await page.getByLabel('举报说明', { exact: true }).fill('朋友圈以 99.9 元出售，远低于官方零售价');
    await stranger.step('report-form');
    await page.getByRole('button', { name: '提交举报', exact: true }).click();
    const done = page.getByRole('status').filter({ hasText: '举报已提交' });
    await done.waitFor();
    const id = /ins_[0-9a-z]{26}/.exec((await done.textContent()) ?? '')?.[0];
    assert.ok(id, 'the confirmation shows the reference');
    await stranger.step('reported');

    // The brand's queue has it, with the price converted to fen exactly.
    const seen = await brand.call('GET', `/brand/inspections/${id}`);
    assert.equal(seen.status, 200, JSON.stringify(seen.body));
    assert.equal(seen.body.kind, 'price_report');
    assert.equal(seen.body.priceSeenFen, 9990);
    assert.equal(seen.body.productId, product.id);
    assert.equal(seen.body.agent.code, agent.code);
  });
});
