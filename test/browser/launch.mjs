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
 * more renderer processes for an address bar no headless test shows.
 */
const DISABLED_FEATURES = [
  ...PLAYWRIGHT_DISABLED_FEATURES,
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
];

/** How Chromium is started, for a browser of one test file or one shared by the run (scripts/test-browser.mjs). */
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
 * The test file's browser: the run's shared Chromium when scripts/test-browser.mjs started one (AGENTRY_BROWSER_WS;
 * starting Chromium costs about as much CPU as a short test, and every file would start its own), else a new one.
 * Each person still gets its own context, and `close()` on a connected browser closes only this file's contexts.
 */
export function launch() {
  const ws = process.env.AGENTRY_BROWSER_WS;
  if (ws) return chromium.connect(ws, { timeout: 30_000 });
  return chromium.launch(launchOptions);
}
