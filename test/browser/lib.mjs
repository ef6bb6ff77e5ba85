// Helpers for the browser tests (run by scripts/test-browser.mjs, which starts the server and sets the environment):
// AGENTRY_BASE_URL (the test server: the Worker under Miniflare), AGENTRY_LOGINS (the demo logins JSON written by the
// seed), AGENTRY_OUTPUT (screenshots go to <it>/<test>/<step>.png) and CHROMIUM_PATH.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { clientAddress } from './launch.mjs';

export { clientAddress, launch } from './launch.mjs';

export const BASE = process.env.AGENTRY_BASE_URL ?? 'http://127.0.0.1:8804';
export const OUTPUT = process.env.AGENTRY_OUTPUT ?? path.resolve('test-output', 'browser');
export const WIDTH = 360;
export const HEIGHT = 800;
/** How long one wait for something on a page may take. */
export const WAIT_MS = 15_000;
/** WeChat's own browser on an Android phone, where most shop links are opened. */
export const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220099 MMWEBSDK/20240301 MMWEBID/1234 ' +
  'MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

/**
 * @typedef {{ level: number, levelName: string, name: string, phone: string, code: string, status: string }} DemoAgent
 * @typedef {{ admin: { username: string, password: string }, password: string, agents: DemoAgent[],
 *   suspended: DemoAgent[], members: { name: string, phone: string, boundTo: string }[],
 *   applicants: { name: string, phone: string, levelName: string }[] }} DemoLogins
 */

/** @returns {DemoLogins} */
export function logins() {
  const file = process.env.AGENTRY_LOGINS;
  if (!file) throw new Error('AGENTRY_LOGINS is not set: run the browser tests with npm run test:browser');
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The seeded active agent of a level (1 = highest). @param {number} level */
export function agentOfLevel(level) {
  const agent = logins().agents.find((a) => a.level === level && a.status === 'active');
  if (!agent) throw new Error(`the demo has no active agent of level ${level}`);
  return agent;
}

/** A phone number no seeded account has (the seed uses 13x–19x with 11 digits; these start with 166 + 8 random). */
export function freshPhone() {
  return `166${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/**
 * One person's browser: its own context (cookies, storage) at 360×800, with screenshots for a test, a check that no
 * page scrolls sideways, and the page errors and failed API answers collected for the report.
 */
export class Person {
  /**
   * @param {import('./launch.mjs').TestBrowser} browser
   * @param {string} test the test's folder under the output
   * @param {string} who a label for the screenshots of this person
   * @param {{ width?: number, height?: number, userAgent?: string }} [size] (and the browser's user agent)
   */
  static async open(browser, test, who, size = {}) {
    const width = size.width ?? WIDTH;
    const context = await browser.newContext({
      viewport: { width, height: size.height ?? HEIGHT },
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      baseURL: BASE,
      ...(size.userAgent ? { userAgent: size.userAgent } : {}),
      // Each person browses from an address of its own, as Cloudflare's edge would tell the Worker; locally nothing
      // sets CF-Connecting-IP, and the rate limits per address would otherwise count every test's requests together.
      extraHTTPHeaders: { 'CF-Connecting-IP': clientAddress() },
    });
    context.setDefaultTimeout(WAIT_MS);
    context.setDefaultNavigationTimeout(30_000);
    const page = await context.newPage();
    return new Person(context, page, test, who, width);
  }

  /**
   * @param {import('playwright-core').BrowserContext} context
   * @param {import('playwright-core').Page} page
   * @param {string} test @param {string} who @param {number} width
   */
  constructor(context, page, test, who, width) {
    this.context = context;
    this.page = page;
    this.test = test;
    this.who = who;
    this.width = width;
    /** @type {string[]} */
    this.errors = [];
    /** @type {string[]} pages (paths) seen by `step`, with their scroll widths */
    this.visited = [];
    /** @type {'zh' | 'en'} the language the pages show (the labels `login` looks for) */
    this.lang = 'zh';
    page.on('pageerror', (err) => this.errors.push(`page error on ${page.url()}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.errors.push(`console error on ${page.url()}: ${msg.text()}`);
    });
  }

  /**
   * Opens a path, waits until its islands are hydrated and checks it does not scroll sideways.
   * @param {string} url a path on the server
   */
  async goto(url) {
    await this.page.goto(url, { waitUntil: 'load' });
    await this.hydrated();
    await this.assertNoSideScroll('on arrival');
  }

  /**
   * Waits until every Astro island on the page is hydrated (Astro removes its `ssr` attribute then): typing into an
   * input before that is lost, as the island's state starts empty.
   */
  async hydrated() {
    await this.page.waitForLoadState('load');
    await this.page.waitForFunction(() => !document.querySelector('astro-island[ssr]'), null, { timeout: WAIT_MS });
  }

  /**
   * Waits for a navigation to a URL, then for hydration, and checks the page does not scroll sideways.
   * @param {string | RegExp | ((url: URL) => boolean)} url
   */
  async arrive(url) {
    await this.page.waitForURL(url, { timeout: WAIT_MS });
    await this.hydrated();
    await this.assertNoSideScroll('on arrival');
  }

  /**
   * Takes the screenshot <test>/<NN>-<who>-<name>.png (full page) and checks that the page does not scroll sideways
   * at this width.
   * @param {string} name
   */
  async step(name) {
    const dir = path.join(OUTPUT, this.test);
    mkdirSync(dir, { recursive: true });
    const n = String(nextShot(this.test)).padStart(2, '0');
    const file = path.join(dir, `${n}-${this.who}-${name}.png`);
    // A page that fits the viewport gives the same picture either way; a full-page capture renders the page again at
    // its whole height (about four times the CPU of a viewport capture in Chromium).
    const fits = await this.page.evaluate(
      () =>
        document.documentElement.scrollHeight <= window.innerHeight && document.body.scrollHeight <= window.innerHeight,
    );
    await this.page.screenshot({ path: file, fullPage: !fits, timeout: WAIT_MS });
    await this.assertNoSideScroll(name);
    return file;
  }

  /** document.documentElement.scrollWidth ≤ the viewport width. @param {string} where */
  async assertNoSideScroll(where) {
    const { scrollWidth, path: at } = await this.page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      path: location.pathname + location.search,
    }));
    this.visited.push(`${at} (${scrollWidth}px)`);
    if (scrollWidth > this.width) {
      const wide = await widestElements(this.page, this.width);
      assert.fail(
        `${at} scrolls sideways at ${this.width}px (${where}): scrollWidth ${scrollWidth}; widest: ${wide.join('; ')}`,
      );
    }
  }

  /**
   * Signs in on /login with the role tab (代理 / 会员 / 品牌方; their English labels when the page is in English).
   * @param {'代理' | '会员' | '品牌方'} role @param {string} account @param {string} password
   */
  async login(role, account, password, next = '') {
    await this.goto(`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    const page = this.page;
    const t = LOGIN_LABELS[this.lang];
    await page.getByRole('radio', { name: t.roles[role], exact: true }).check();
    await page.getByLabel(role === '品牌方' ? t.username : t.phone, { exact: true }).fill(account);
    await page.getByLabel(t.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: t.submit, exact: true }).click();
    await this.arrive((url) => url.pathname !== '/login');
  }

  /** After a failure: a screenshot of where this person is (never throws). */
  async failureShot() {
    try {
      const dir = path.join(OUTPUT, this.test);
      mkdirSync(dir, { recursive: true });
      await this.page.screenshot({ path: path.join(dir, `failure-${this.who}.png`), fullPage: true, timeout: 5_000 });
    } catch {
      // the page may be gone
    }
  }

  async close() {
    await this.context.close().catch(() => undefined);
  }
}

/** The sign-in form's labels (site/src/features/auth/LoginForm.tsx). */
const LOGIN_LABELS = {
  zh: {
    roles: { 代理: '代理', 会员: '会员', 品牌方: '品牌方' },
    phone: '手机号',
    username: '用户名',
    password: '密码',
    submit: '登录',
  },
  en: {
    roles: { 代理: 'Agent', 会员: 'Member', 品牌方: 'Brand' },
    phone: 'Mobile phone',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
  },
};

/** @type {Map<string, number>} */
const shots = new Map();
/** @param {string} test */
function nextShot(test) {
  const n = (shots.get(test) ?? 0) + 1;
  shots.set(test, n);
  return n;
}

/** The elements that reach past the right edge, for the message. @param {import('playwright-core').Page} page */
function widestElements(page, width) {
  return page.evaluate((w) => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 0.5 && r.width > 0) {
        const id = el.id ? `#${el.id}` : '';
        const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ').join('.')}` : '';
        out.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(r.right)}`);
      }
      if (out.length >= 5) break;
    }
    return out;
  }, width);
}

/**
 * The text that describes an input (its hint and error paragraphs, through aria-describedby), i.e. what a screen
 * reader reads with it; the error must be there and sit right below the input in the same field.
 * @param {import('playwright-core').Locator} input
 */
export function describedText(input) {
  return input.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' | '),
  );
}

/**
 * Waits until the input's error (its aria-describedby text) contains `message`, the input is marked invalid and the
 * error is shown below the input.
 * @param {import('playwright-core').Locator} input @param {string | RegExp} message
 */
export async function expectFieldError(input, message) {
  const deadline = Date.now() + WAIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    last = await describedText(input);
    const matches = typeof message === 'string' ? last.includes(message) : message.test(last);
    if (matches) break;
    await sleep(100);
  }
  const matches = typeof message === 'string' ? last.includes(message) : message.test(last);
  assert.ok(matches, `the field's error should say ${message}; it reads: ${last || '(nothing)'}`);
  assert.equal(await input.getAttribute('aria-invalid'), 'true', 'the input is marked aria-invalid');
  const below = await input.evaluate((el) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/);
    const error = ids.map((id) => document.getElementById(id)).find((e) => e?.id.endsWith('-error'));
    if (!error) return false;
    const a = el.getBoundingClientRect();
    const b = error.getBoundingClientRect();
    return b.top >= a.bottom - 1 && b.height > 0;
  });
  assert.ok(below, 'the error is shown below its input');
}

/**
 * Waits (bounded) until `fn` returns a truthy value, and returns it.
 * @template T @param {() => Promise<T>} fn @param {string} what @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function eventually(fn, what, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  /** @type {unknown} */
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError}` : ''}`);
}

/**
 * The last code texted to a phone, as its owner reads it: from the local SMS simulator (GET /api/dev/sms), which the
 * test server turns on (SMS_SIMULATOR=1).
 * @param {string} phone @param {string} [purpose] the purpose it must have been sent for
 * @returns {Promise<string>}
 */
export async function smsCodeFor(phone, purpose) {
  /** @type {string} */
  let code = '';
  await eventually(async () => {
    const res = await fetch(`${BASE}/api/dev/sms?phone=${phone}`, { signal: AbortSignal.timeout(WAIT_MS) });
    assert.equal(res.status, 200, `no text message for ${phone}`);
    const body = await res.json();
    if (purpose) assert.equal(body.purpose, purpose);
    code = body.code;
    return code;
  }, `a text message to ${phone}`);
  return code;
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A small API client with its own cookie (for setup steps that are not what the test is about).
 */
export class ApiClient {
  cookie = '';
  /** Each client is its own address, as the edge would tell it (rate limits count per address). */
  ip = clientAddress();

  /**
   * @param {string} method @param {string} url a path under /api @param {unknown} [body]
   * @returns {Promise<{ status: number, body: any }>}
   */
  async call(method, url, body, extraHeaders = {}) {
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json', Origin: BASE, 'CF-Connecting-IP': this.ip, ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    const res = await fetch(`${BASE}/api${url}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    const setCookie = res.headers.getSetCookie?.() ?? [];
    if (setCookie.length > 0) this.cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    const text = await res.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  /** @param {'agent' | 'member' | 'admin'} role @param {string} account @param {string} password */
  async login(role, account, password) {
    const res = await this.call('POST', '/auth/login', { role, account, password });
    assert.equal(res.status, 200, `API login as ${role} ${account}: ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

/**
 * Runs a test's body with its people, and always closes them; on a failure each one's screen is saved first and the
 * URLs they were on are added to the message.
 * @param {Person[]} people @param {() => Promise<void>} body
 */
export async function withPeople(people, body) {
  try {
    await body();
    assertNoPageErrors(people);
  } catch (err) {
    await Promise.all(people.map((p) => p.failureShot()));
    const where = people.map((p) => `${p.who} at ${p.page.url()}`).join(', ');
    const errors = people.flatMap((p) => p.errors);
    if (err instanceof Error) {
      const more = `\n  (${where})${errors.length > 0 ? `\n  page errors: ${errors.join('\n    ')}` : ''}`;
      err.message += more;
      if (err.stack) err.stack += more;
    }
    throw err;
  } finally {
    await Promise.all(people.map((p) => p.close()));
  }
}

/** Checks what every test checks at its end: no page errors. @param {Person[]} people */
export function assertNoPageErrors(people) {
  const errors = people.flatMap((p) => p.errors.filter((e) => !/Failed to load resource/.test(e)));
  assert.deepEqual(errors, [], 'no JavaScript errors on the pages');
}
