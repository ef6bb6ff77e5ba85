// A throwaway Agentry server for the browser tests (scripts/test-browser.mjs) and the shop page benchmark
// (bench/shop-page.mjs): a fresh temp dir with a copy of site/dist and a seeded local D1 database, and the Worker
// (bundled by `wrangler deploy --dry-run`) under Miniflare in its own process (test/browser/serve.mjs) on 127.0.0.1,
// in its own process group, always stopped and removed by `stop()`.
//
// The copy of site/dist is taken once and checked whole (every /_astro file its pages name), so another engineer's
// `npm run build:site` while the tests run changes nothing under them. The server reads a copy of wrangler.toml that
// differs in two things: the assets directory is that copy, and "/__scheduled" is in run_worker_first (wrangler.toml
// has it; added if missing), where the Worker runs the cron's work when TEST_SCHEDULED is set (miniflare's
// /cdn-cgi/handler/scheduled fails here: "DataCloneError: Could not serialize ScheduledController").

import { spawn } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runWrangler, sleep, stopProcessGroup, waitForHttp } from '../../scripts/lib/wrangler.mjs';
import { demoSeed, loginsFile, writeLogins } from '../../scripts/seed.mjs';
import { startFakeWechat } from './fakeWechat.mjs';

process.env.WRANGLER_SEND_METRICS = 'false';

const DIST = path.join(ROOT, 'site', 'dist');
const REQUIRED_PAGES = ['index.html', '404.html', 'shop-template.html', 'verify.html', 'join.html', 'login.html'];

/** Is the port free on 127.0.0.1? @param {number} port @returns {Promise<boolean>} */
function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The preferred port when free, otherwise one the system hands out. @param {number} preferred */
export async function choosePort(preferred) {
  if (await portFree(preferred)) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** What a copy of the site lacks: required pages, or /_astro files its pages name. @param {string} dir */
function missingInSite(dir) {
  const missing = REQUIRED_PAGES.filter((f) => !existsSync(path.join(dir, f)));
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(path.join(dir, file), 'utf8');
    for (const [, ref] of html.matchAll(/["'(](\/_astro\/[^"'()\s?#]+)/g)) {
      if (ref && !existsSync(path.join(dir, ref))) missing.push(`${ref} (named by ${file})`);
    }
  }
  return missing;
}

/**
 * Copies site/dist to `dest`, retrying (at most 90 s) while the copy is not whole: another `npm run build:site`
 * may be writing it right now.
 * @param {string} dest @param {(line: string) => void} log
 */
async function snapshotSite(dest, log) {
  if (!existsSync(DIST)) throw new Error('site/dist is missing: run `npm run build:site` first');
  const deadline = Date.now() + 90_000;
  let missing = ['site/dist'];
  while (Date.now() < deadline) {
    rmSync(dest, { recursive: true, force: true });
    try {
      cpSync(DIST, dest, { recursive: true });
      missing = missingInSite(dest);
      if (missing.length === 0) return;
    } catch (err) {
      missing = [String(err)];
    }
    log(`site/dist is incomplete (a build running?): ${missing.slice(0, 3).join(', ')}; retrying`);
    await sleep(3_000);
  }
  throw new Error(`site/dist stayed incomplete: ${missing.slice(0, 5).join(', ')}; run npm run build:site`);
}

/**
 * wrangler.toml for the test server, written into `dir`: paths made absolute, the assets directory set to `site`,
 * and /__scheduled routed to the Worker (see the header).
 * @param {string} dir @param {string} site @returns {string} the file
 */
function serverConfig(dir, site) {
  let toml = readFileSync(path.join(ROOT, 'wrangler.toml'), 'utf8');
  /** @param {RegExp} pattern @param {(match: string, ...groups: string[]) => string} replace @param {string} what */
  const edit = (pattern, replace, what) => {
    if (!pattern.test(toml)) throw new Error(`wrangler.toml: cannot find ${what} to adapt for the test server`);
    toml = toml.replace(pattern, replace);
  };
  const abs = (/** @type {string} */ rel) => JSON.stringify(path.resolve(ROOT, rel));
  edit(/^main\s*=\s*"([^"]+)"/m, (_m, rel) => `main = ${abs(rel)}`, 'main');
  edit(/^directory\s*=\s*"([^"]+)"/m, () => `directory = ${JSON.stringify(site)}`, '[assets] directory');
  edit(/^migrations_dir\s*=\s*"([^"]+)"/m, (_m, rel) => `migrations_dir = ${abs(rel)}`, 'migrations_dir');
  // wrangler.toml routes /__scheduled to the Worker itself now; keep the edit for a config that does not.
  if (!toml.includes('"/__scheduled"'))
    edit(/^run_worker_first\s*=\s*\[/m, (m) => `${m}"/__scheduled", `, 'run_worker_first');
  const file = path.join(dir, 'wrangler.toml');
  writeFileSync(file, toml);
  return file;
}

/**
 * @typedef {{ base: string, port: number, dir: string, bundle: string, loginsFile: string,
 *   logins: import('../../scripts/seed.mjs').DemoLogins | null, wechat: string, stop: () => Promise<void> }} Server
 *   wechat: the fake WeChat API's base URL (test/browser/fakeWechat.mjs), which the Worker is configured with
 */

/**
 * The Worker bundled as `wrangler deploy` would upload it, into `outdir`.
 * @param {string} config @param {string} outdir @returns {Promise<string>} outdir
 */
export async function bundleWorker(config, outdir) {
  const result = await runWrangler(['deploy', '--dry-run', '--outdir', outdir, '--config', config], { capture: true });
  if (result.code !== 0)
    throw new Error(`bundling the Worker failed (exit ${result.code})\n${result.stdout}${result.stderr}`);
  return outdir;
}

/**
 * A first-run database as a real deployment has it: the migrations and one admin, made by `npm run admin:create`
 * itself (which applies the migrations first), and no brand.
 * @param {string} persistTo @param {{ username: string, password: string }} admin
 */
async function createAdminOnly(persistTo, admin) {
  const { code, stdout, stderr } = await new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        'scripts/create-admin.mjs',
        '--username',
        admin.username,
        '--password',
        admin.password,
        '--persist-to',
        persistTo,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  if (code !== 0) throw new Error(`admin:create failed (exit ${code}): ${stdout}${stderr}`);
}

/**
 * Starts a seeded server (or, with `emptyWithAdmin`, one whose database has only the migrations and that admin).
 * Always call `stop()` (it is also run, synchronously and harder, when the process exits).
 * @param {{ port: number, logFile: string, log: (line: string) => void, signal?: AbortSignal,
 *   emptyWithAdmin?: { username: string, password: string }, extraPages?: Record<string, string> }} options
 *   port: the preferred port (a free one is taken when it is busy); logFile: where the server's output goes;
 *   extraPages: files added to this server's copy of the site only (the shop-page bench's bare floor page)
 * @returns {Promise<Server>}
 */
export async function startServer({ port: preferred, logFile, log, signal, emptyWithAdmin, extraPages = {} }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'agentry-browser-'));
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  /** @type {Awaited<ReturnType<typeof startFakeWechat>> | undefined} */
  let wechat;
  const onExit = () => {
    try {
      if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child) await stopProcessGroup(child, 5_000);
    await wechat?.stop();
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', onExit);
  };
  try {
    const site = path.join(dir, 'site');
    await snapshotSite(site, log);
    for (const [file, text] of Object.entries(extraPages)) writeFileSync(path.join(site, file), text);
    signal?.throwIfAborted();
    const config = serverConfig(dir, site);
    const started = Date.now();
    // The Worker bundled by wrangler itself (as a deploy would), while the database is made.
    // A test file's own server reuses the run's bundle (AGENTRY_WORKER_BUNDLE, set by scripts/test-browser.mjs).
    const shared = process.env.AGENTRY_WORKER_BUNDLE;
    const bundling = shared ? Promise.resolve(shared) : bundleWorker(config, path.join(dir, 'bundle'));
    bundling.catch(() => {});
    /** @type {import('../../scripts/seed.mjs').DemoLogins | null} */
    let logins = null;
    /** @type {{ migrate?: boolean, seed?: string }} */
    let database = {};
    if (emptyWithAdmin) await createAdminOnly(dir, emptyWithAdmin);
    else {
      // The server's process applies the migrations and the demo seed through its D1 binding before it says ready.
      const seed = demoSeed();
      logins = seed.logins;
      await writeLogins(dir, logins);
      const seedFile = path.join(dir, 'seed.sql');
      writeFileSync(seedFile, seed.sql);
      database = { migrate: true, seed: seedFile };
    }
    signal?.throwIfAborted();
    wechat = await startFakeWechat();
    const port = await choosePort(preferred);
    const base = `http://127.0.0.1:${port}`;
    mkdirSync(path.dirname(logFile), { recursive: true });
    const out = createWriteStream(logFile);
    /** The Worker's variables for the tests (wrangler.toml's [vars] stay as they are). */
    const vars = {
      DB_METRICS: '1',
      PAYMENT_SIMULATOR: '1',
      SMS_SIMULATOR: '1',
      // GET /__scheduled runs the cron's work and answers when it is done (worker/index.ts), as `wrangler dev
      // --test-scheduled` offered.
      TEST_SCHEDULED: '1',
      // Sign-ups and sign-ins hash with 1,000 rounds (worker/lib/password.ts), and the Worker writes no JSON line per
      // request: both cost CPU the tests share with Chromium.
      TEST_PASSWORD_ITERATIONS: '1000',
      LOG_REQUESTS: '0',
      // An Official Account whose API is the fake: shop pages opened with WeChat's user agent sign and set a card.
      WECHAT_MP_APPID: wechat.appId,
      WECHAT_MP_SECRET: wechat.secret,
      WECHAT_MP_DOMAIN: '127.0.0.1',
      WECHAT_API_BASE: wechat.base,
      // OAuth (snsapi_base) and WeChat Pay v3 (payments, refunds, transfers, bills) are the fake's too, with keys it
      // made: the merchant's app is the Official Account, as JSAPI payment requires.
      WECHAT_OAUTH_BASE: wechat.base,
      WECHATPAY_API_BASE: wechat.base,
      WECHAT_MCH_ID: wechat.pay.mchId,
      WECHAT_APP_ID: wechat.pay.appId,
      WECHAT_APIV3_KEY: wechat.pay.apiV3Key,
      WECHAT_PLATFORM_PUBLIC_KEY: wechat.pay.platformPublicKeyPem,
      WECHAT_PLATFORM_SERIAL: wechat.pay.platformSerial,
      WECHAT_MERCHANT_PRIVATE_KEY: wechat.pay.merchantPrivateKeyPem,
      WECHAT_MERCHANT_SERIAL: wechat.pay.merchantSerial,
      WECHATPAY_BACKOFF_MS: '50,100',
    };
    child = spawn(process.execPath, [path.join(ROOT, 'test', 'browser', 'serve.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        AGENTRY_SERVE: JSON.stringify({ config, persistTo: dir, port, bundle: await bundling, vars, ...database }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    child.once('exit', () => out.end());
    const serving = child;
    await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error('the server did not say ready within 90 s')), 90_000);
      serving.stdout?.on('data', (/** @type {Buffer} */ d) => {
        seen += d;
        if (/^ready /m.test(seen)) {
          clearTimeout(timer);
          resolve(undefined);
        }
      });
      serving.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code}) before it was ready`));
      });
    }).catch((err) => {
      throw new Error(`${err.message}; see ${path.relative(ROOT, logFile)}`);
    });
    await waitForHttp(`${base}/api/health`, { timeoutMs: 90_000, child }).catch((err) => {
      throw new Error(`${err.message}; see ${path.relative(ROOT, logFile)}`);
    });
    log(
      `${emptyWithAdmin ? 'empty (one admin)' : 'seeded'} and answering on ${base} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return { base, port, dir, bundle: await bundling, loginsFile: loginsFile(dir), logins, wechat: wechat.base, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
