// Starting Debian's Chromium for the browser tests, and the made-up client addresses each person and API client sends.
import { chromium } from 'playwright-core';

/** A made-up client address (a header value only) from the benchmarking range 198.18.0.0/15, new at each call. */
export function clientAddress() {
  const n = Math.floor(Math.random() * 131_072);
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

/** The features playwright-core 1.65 turns off (its chromiumSwitches.ts), restated: Chromium reads one --disable-features. */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];
/**
 * Chromium's omnibox popups are web pages of their own (WebUI): every new context (each test person) would start two
 * more renderer processes for an address bar no headless test shows. The back/forward cache and the swaps of browsing
 * instance and render document it brings keep the page left behind alive and prepare a new one at each navigation, and
 * the spare renderer is a process started ahead for a next site: the tests navigate within one site and never go
 * back, so all of it is CPU spent for nothing (about a tenth of Chromium's CPU in the browser tests).
 */
const DISABLED_FEATURES = [
  ...PLAYWRIGHT_DISABLED_FEATURES,
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
  'BackForwardCache',
  'RenderDocument',
  'ProactivelySwapBrowsingInstance',
  'SpareRendererForSitePerProcess',
];

/** How Chromium is started for the browser tests. */
export const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--disable-features=${DISABLED_FEATURES.join(',')}`,
  ],
  // Playwright's own list is replaced by the one above (a second --disable-features would override the first).
  ignoreDefaultArgs: [`--disable-features=${PLAYWRIGHT_DISABLED_FEATURES.join(',')}`],
  timeout: 30_000,
};

/**
 * What a test file uses of its browser: new contexts (one per person), and `close()`, which closes this file's
 * contexts only.
 * @typedef {{ newContext: import('playwright-core').Browser['newContext'], close: () => Promise<void> }} TestBrowser
 */

/**
 * The process's Chromium while anyone holds it (started in this process: no protocol server in between).
 * @type {Promise<import('playwright-core').Browser> | undefined}
 */
let shared;
let holders = 0;

/**
 * Holds the process's Chromium, starting it on first use. test/browser/group.mjs holds it for all the files of its
 * run, so they share one Chromium; a file run on its own holds it alone and closes it when done. A start that fails
 * holds nothing, and the next call starts Chromium again.
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function holdBrowser() {
  holders += 1;
  const starting = shared ?? chromium.launch(launchOptions);
  shared = starting;
  try {
    return await starting;
  } catch (err) {
    holders -= 1;
    if (shared === starting) shared = undefined;
    throw err;
  }
}

/** Lets go of the process's Chromium; the last holder closes it. */
export async function releaseBrowser() {
  holders -= 1;
  if (holders > 0 || !shared) return;
  const browser = shared;
  shared = undefined;
  await (await browser).close().catch(() => undefined);
}

/**
 * The test file's browser: the process's shared Chromium, seen through the contexts this file opens.
 * @returns {Promise<TestBrowser>}
 */
export async function launch() {
  const browser = await holdBrowser();
  /** @type {Set<import('playwright-core').BrowserContext>} */
  const contexts = new Set();
  let closed = false;
  return {
    newContext: async (options) => {
      const context = await browser.newContext(options);
      contexts.add(context);
      context.on('close', () => contexts.delete(context));
      return context;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([...contexts].map((c) => c.close().catch(() => undefined)));
      await releaseBrowser();
    },
  };
}
