#!/usr/bin/env node
// npm run test:browser [-- FILTER ...]
// The browser tests (test/browser/*.test.mjs: node:test + playwright-core driving Debian's Chromium) against the real
// Worker. Builds nothing: run `npm run build:site` first. The Worker is bundled once (`wrangler deploy --dry-run`);
// test/browser/server.mjs makes a fresh temp dir with a copy of site/dist and runs that bundle under Miniflare on
// 127.0.0.1 (test/browser/serve.mjs; migrations and the demo seed applied through its D1 binding) with the payment
// simulator, a fake WeChat API (AGENTRY_FAKE_WECHAT) and GET /__scheduled. Three seeded servers (ports from 8804, or
// free ones) start at once; the test files run against them in one process per server (test/browser/group.mjs, which
// starts one Chromium for its files), and everything is always stopped and the temp dirs removed (on failure, timeout
// and Ctrl-C too).
// Screenshots: test-output/browser/<test>/<NN>-<who>-<step>.png (failure-<who>.png when a test fails);
// the servers' logs: test-output/browser/server*.log. FILTER keeps the test files whose name contains it.
// Exit code 1 on any failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { bundleWorker, startServer } from '../test/browser/server.mjs';
import { ROOT, stopProcessGroup } from './lib/wrangler.mjs';

process.env.WRANGLER_SEND_METRICS = 'false';

const PORT = 8804;
/**
 * The test files together (first-run.test.mjs starts a second, empty server); the whole run stays well under it, also
 * beside the API tests.
 */
const TESTS_MS = 8 * 60_000;
/**
 * Test files sharing the server at once (AGENTRY_BROWSER_CONCURRENCY overrides): three. A file spends most of its time
 * waiting on page loads, so even on a 2-core machine three chains keep the cores busier than two.
 */
const CONCURRENCY = Number(process.env.AGENTRY_BROWSER_CONCURRENCY || 3);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUTPUT = path.join(ROOT, 'test-output', 'browser');
const TEST_DIR = path.join(ROOT, 'test', 'browser');

/** @param {string} line */
function log(line) {
  console.log(`[test:browser] ${line}`);
}

/** @param {string[]} filters */
function testFiles(filters) {
  return readdirSync(TEST_DIR)
    .filter((f) => f.endsWith('.test.mjs'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort()
    .map((f) => path.join('test', 'browser', f));
}

/**
 * One process over `files` (test/browser/group.mjs: one Chromium for them all), `concurrency` files at a time,
 * stopped after `ms`.
 * @param {string[]} files @param {number} concurrency @param {number} ms @param {Server} server
 * @returns {Promise<number>}
 */
function runFiles(files, concurrency, ms, server) {
  const child = spawn(process.execPath, ['--test-reporter=spec', path.join('test', 'browser', 'group.mjs'), ...files], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: {
      ...process.env,
      AGENTRY_BASE_URL: server.base,
      AGENTRY_LOGINS: server.loginsFile,
      AGENTRY_FAKE_WECHAT: server.wechat,
      AGENTRY_OUTPUT: OUTPUT,
      AGENTRY_GROUP_CONCURRENCY: String(concurrency),
      CHROMIUM_PATH: CHROMIUM,
    },
  });
  running.add(child);
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => {
        log(`the tests did not finish within ${TESTS_MS / 1000} s: stopping them`);
        stopProcessGroup(child, 3_000).then(() => resolve(124));
      },
      Math.max(ms, 1_000),
    );
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve(exitCode ?? (signal ? 1 : 0));
    });
  });
}

/** @typedef {Awaited<ReturnType<typeof startServer>>} Server */

/** The test processes running now, stopped on a signal or exit. @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();

async function main() {
  const started = Date.now();
  const filters = process.argv.slice(2);
  if (!existsSync(path.join(ROOT, 'site', 'dist')))
    throw new Error('site/dist is missing: run `npm run build:site` first');
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const files = testFiles(filters);
  if (files.length === 0) throw new Error(`no test files in test/browser/ match ${filters.join(', ')}`);
  rmSync(OUTPUT, { recursive: true, force: true });
  mkdirSync(OUTPUT, { recursive: true });

  /** @type {Server[]} */
  const servers = [];
  const cleanup = async () => {
    await Promise.all(
      [...running].filter((c) => c.exitCode === null && c.signalCode === null).map((c) => stopProcessGroup(c, 3_000)),
    );
    await Promise.all(servers.map((s) => s.stop()));
  };
  const onSignal = (/** @type {NodeJS.Signals} */ signal) => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    try {
      for (const c of running) if (c.pid !== undefined && c.exitCode === null) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  try {
    // The Worker is bundled once for every server of the run (test/browser/server.mjs reads AGENTRY_WORKER_BUNDLE).
    const bundle = path.join(OUTPUT, '.bundle');
    process.env.AGENTRY_WORKER_BUNDLE = await bundleWorker(path.join(ROOT, 'wrangler.toml'), bundle);
    // Files that change brand-wide state (a `// browser-test: alone` line) run one at a time on seeded servers of
    // their own, while the others share the first server three at a time (each works on its own accounts and orders),
    // and a file that starts its own server (`// browser-test: own server`) runs beside them: the run keeps both cores
    // busy instead of waiting on one chain of page loads.
    const marked = (/** @type {string} */ f, /** @type {string} */ mark) =>
      new RegExp(`^// browser-test: ${mark}`, 'm').test(readFileSync(path.join(ROOT, f), 'utf8'));
    const ownServer = files.filter((f) => marked(f, 'own server'));
    const alone = files.filter((f) => !ownServer.includes(f) && marked(f, 'alone'));
    const together = files.filter((f) => !ownServer.includes(f) && !alone.includes(f));
    // The lone files in two streams, each on a seeded server of its own (every stream's brand-wide changes stay in it),
    // balanced by the files' sizes (longest first to the shorter stream): a file's length follows its steps.
    /** @type {[string[], string[]]} */
    const streams = [[], []];
    const size = (/** @type {string} */ f) => statSync(path.join(ROOT, f)).size;
    const load = [0, 0];
    for (const f of [...alone].sort((a, b) => size(b) - size(a))) {
      const i = load[0] <= load[1] ? 0 : 1;
      streams[i]?.push(f);
      load[i] = (load[i] ?? 0) + size(f);
    }
    const [shared, ...lone] = await Promise.all([
      together.length > 0 || ownServer.length > 0
        ? startServer({ port: PORT, logFile: path.join(OUTPUT, 'server.log'), log: (line) => log(line) })
        : undefined,
      ...streams.map((stream, i) =>
        stream.length > 0
          ? startServer({
              port: PORT + 1 + i,
              logFile: path.join(OUTPUT, `server-alone-${i + 1}.log`),
              log: (line) => log(`[alone ${i + 1}] ${line}`),
            })
          : undefined,
      ),
    ]);
    for (const s of [shared, ...lone]) if (s) servers.push(s);
    const deadline = Date.now() + TESTS_MS;
    /** @param {string[]} group @param {number} concurrency @param {Server | undefined} server */
    const run = async (group, concurrency, server) => {
      if (group.length === 0 || !server) return 0;
      log(
        `running ${group.length} file(s), ${concurrency} at a time: ${group.map((f) => path.basename(f)).join(', ')}`,
      );
      return runFiles(group, concurrency, deadline - Date.now(), server);
    };
    const codes = await Promise.all([
      run(together, CONCURRENCY, shared),
      ...streams.map((stream, i) => run(stream, 1, lone[i])),
      run(ownServer, 1, shared),
    ]);
    return codes.find((c) => c !== 0) ?? 0;
  } finally {
    await cleanup();
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in test-output/browser/`);
  }
}

main().then(
  (code) => process.exit(code === 0 ? 0 : 1),
  (err) => {
    console.error(`[test:browser] failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
