// The first view of a shop link (/s/<code>) on a slow phone: Chromium (Debian's /usr/bin/chromium) with the network
// throttled to 1.6 Mbps down / 750 kbps up with a 150 ms round trip and the CPU slowed 4× (CDP
// Network.emulateNetworkConditions and Emulation.setCPUThrottlingRate), a fresh context with the cache disabled,
// at 360×800. Five runs; each loads a demo 天使's shop and, as the floor, a bare static page (a heading and a
// paragraph, no stylesheet or script) served by the same server, in alternating order. Each figure is the median:
//   shop_page.lcp_ratio_to_floor      the shop's largest-contentful-paint over the bare page's, in the same run
//   shop_page.floor_lcp_ms            the bare page's largest-contentful-paint
//   shop_page.transfer_kb             compressed bytes (Network.loadingFinished encodedDataLength) of the documents,
//                                     stylesheets and scripts loaded for the first view, product images excluded, in KB
//   shop_page.lcp_ms                  largest-contentful-paint (PerformanceObserver), ms after navigation start
//   shop_page.fcp_ms                  first-contentful-paint
//   shop_page.api_calls_before_fcp    requests to /api/ started before the first contentful paint
// The server is the browser tests' (test/browser/server.mjs): a seeded demo in its own temp dir on 127.0.0.1
// (port 8805, or a free one), stopped when the benchmark ends; the bare page is added to its copy of the site only.
// Run alone, on an otherwise quiet machine: npm run bench -- shop-page
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../test/browser/server.mjs';

export const timeoutMs = 7 * 60_000;

const RUNS = 5;
const FLOOR_FILE = 'bench-floor.html';
// What a bare static page paints: text of about the shop head's size, nothing to fetch after the document.
const FLOOR_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>小店</title></head><body><h1>小店</h1><p>正品直供，可查授权。欢迎选购，下单后由代理为您服务。</p></body></html>`;
const PORT = 8805;
const KBPS = 1000 / 8; // bytes per second in one kilobit per second
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: 1600 * KBPS,
  uploadThroughput: 750 * KBPS,
};
const CPU_SLOWDOWN = 4;
const COUNTED = new Set(['Document', 'Stylesheet', 'Script']);
const LOAD_MS = 60_000;
/** After the load event: the page's late scripts (islands' chunks) and a final LCP candidate get this long. */
const SETTLE_MS = 1_500;

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Recorded in the page before any of its scripts runs. */
function observePaints() {
  const w = /** @type {Window & { __lcp?: number, __fcp?: number, __lcpWhat?: string }} */ (window);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      w.__lcp = entry.startTime;
      const lcp = /** @type {PerformanceEntry & { element?: Element | null, url?: string }} */ (entry);
      w.__lcpWhat = `${lcp.element?.tagName ?? '?'}${lcp.url ? ` ${new URL(lcp.url).pathname}` : ''}`;
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') w.__fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
}

/**
 * One cold load of `url`.
 * @param {import('playwright-core').Browser} browser @param {string} url
 * @returns {Promise<{ transferBytes: number, lcpMs: number, fcpMs: number, apiBeforeFcp: number, lcpWhat: string,
 *   counted: string[] }>}
 */
async function measure(browser, url) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 800 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(observePaints);
    const cdp = await context.newCDPSession(page);
    /** @type {Map<string, { url: string, type: string, sentAt: number }>} */
    const requests = new Map();
    /** @type {{ url: string, type: string, bytes: number }[]} */
    const finished = [];
    cdp.on('Network.requestWillBeSent', (e) => {
      requests.set(e.requestId, { url: e.request.url, type: e.type ?? 'Other', sentAt: e.timestamp });
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(e.requestId);
      if (r) r.type = e.type ?? r.type;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r) finished.push({ url: r.url, type: r.type, bytes: e.encodedDataLength });
    });
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });

    await page.goto(url, { waitUntil: 'load', timeout: LOAD_MS });
    await page.waitForLoadState('networkidle', { timeout: LOAD_MS }).catch(() => undefined);
    await page.waitForTimeout(SETTLE_MS);
    const paints = await page.evaluate(() => {
      const w = /** @type {Window & { __lcp?: number, __fcp?: number, __lcpWhat?: string }} */ (window);
      const fcp = w.__fcp ?? performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1;
      const api = performance
        .getEntriesByType('resource')
        .filter((e) => new URL(e.name).pathname.startsWith('/api/') && e.startTime < (fcp < 0 ? Infinity : fcp));
      return { lcp: w.__lcp ?? -1, fcp, apiBeforeFcp: api.length, lcpWhat: w.__lcpWhat ?? '' };
    });
    if (paints.fcp < 0 || paints.lcp < 0) throw new Error(`no paint timing recorded for ${url}`);
    const counted = finished.filter((f) => COUNTED.has(f.type));
    return {
      transferBytes: counted.reduce((sum, f) => sum + f.bytes, 0),
      lcpMs: paints.lcp,
      fcpMs: paints.fcp,
      apiBeforeFcp: paints.apiBeforeFcp,
      lcpWhat: paints.lcpWhat,
      counted: counted.map((f) => `${f.type} ${new URL(f.url).pathname} ${f.bytes} B`),
    };
  } finally {
    await context.close();
  }
}

/** @param {{ root: string, stateDir: string, log: (line: string) => void, signal?: AbortSignal }} context */
export default async function shopPage({ stateDir, log, signal }) {
  const server = await startServer({
    port: PORT,
    extraPages: { [FLOOR_FILE]: FLOOR_PAGE },
    logFile: path.join(stateDir, 'shop-page', 'wrangler-dev.log'),
    log,
    signal,
  });
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  const onAbort = () => {
    browser?.close().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const agent = server.logins.agents.find((a) => a.level === 6 && a.status === 'active') ?? server.logins.agents[0];
    if (!agent) throw new Error('the demo has no agent');
    const url = `${server.base}/s/${agent.code}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      timeout: 30_000,
    });
    const floorUrl = `${server.base}/bench-floor`;
    // One unmeasured load of each first, so the Worker's first-request start-up is not in the figures.
    for (const u of [url, floorUrl]) {
      const res = await fetch(u, { signal: AbortSignal.timeout(30_000) });
      await res.text();
      if (res.status !== 200) throw new Error(`${u} answered ${res.status}`);
    }
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      signal?.throwIfAborted();
      // Alternating which goes first, so a machine getting busier favours neither.
      const floorFirst = i % 2 === 1;
      const floor = floorFirst ? await measure(browser, floorUrl) : null;
      const run = await measure(browser, url);
      const bare = floor ?? (await measure(browser, floorUrl));
      runs.push({ ...run, floorMs: bare.lcpMs, ratio: run.lcpMs / bare.lcpMs });
      log(
        `run ${i + 1}: ${(run.transferBytes / 1024).toFixed(1)} KB, FCP ${run.fcpMs.toFixed(0)} ms, ` +
          `LCP ${run.lcpMs.toFixed(0)} ms (${run.lcpWhat}), bare page LCP ${bare.lcpMs.toFixed(0)} ms, ` +
          `ratio ${(run.lcpMs / bare.lcpMs).toFixed(2)}, API calls before FCP ${run.apiBeforeFcp}`,
      );
      if (i === 0) for (const line of run.counted) log(`  ${line}`);
    }
    return {
      'shop_page.lcp_ratio_to_floor': Number(median(runs.map((r) => r.ratio)).toFixed(2)),
      'shop_page.floor_lcp_ms': Math.round(median(runs.map((r) => r.floorMs))),
      'shop_page.transfer_kb': Number((median(runs.map((r) => r.transferBytes)) / 1024).toFixed(1)),
      'shop_page.lcp_ms': Math.round(median(runs.map((r) => r.lcpMs))),
      'shop_page.fcp_ms': Math.round(median(runs.map((r) => r.fcpMs))),
      'shop_page.api_calls_before_fcp': median(runs.map((r) => r.apiBeforeFcp)),
    };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
}
