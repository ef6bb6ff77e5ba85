#!/usr/bin/env node
// npm test: every check CI runs, scheduled for a 2-core machine.
//   build     npm run build:site (the API tests and the browser tests serve the built pages)
//   lint      Biome                          tsc     TypeScript 7, --noEmit       astro   astro check
//   api       vitest (after build)           browser the browser tests (after build)
// The browser tests are chains of page loads that wait on each other more than they compute (alone they use less
// than one core), so they run at normal priority while everything else runs niced (AGENTRY_TEST_NICE, default 10)
// beside them and takes the CPU they leave. Each job's output is kept whole and printed when the job ends (so two
// jobs never interleave), also under test-output/logs/<job>.log. Exit code 1 when any job fails.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, stopProcessGroup } from './lib/wrangler.mjs';

const NICE = Number(process.env.AGENTRY_TEST_NICE ?? 10);
const LOGS = path.join(ROOT, 'test-output', 'logs');

/** @typedef {{ name: string, script: string, after?: string[], niced?: boolean }} Job */
/** @type {Job[]} */
const JOBS = [
  { name: 'build', script: 'build:site' },
  { name: 'lint', script: 'lint', niced: true },
  { name: 'tsc', script: 'typecheck:ts', niced: true },
  { name: 'astro', script: 'typecheck:astro', niced: true },
  { name: 'api', script: 'test:api', after: ['build'], niced: true },
  { name: 'browser', script: 'test:browser', after: ['build'] },
];

const started = Date.now();
const seconds = (/** @type {number} */ since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();

/** @param {Job} job @returns {Promise<{ code: number, ms: number }>} */
function run(job) {
  const t0 = Date.now();
  const file = path.join(LOGS, `${job.name}.log`);
  const out = createWriteStream(file);
  const npm = process.env.npm_execpath;
  // npm's own script runner (npm_execpath when npm started us) without a second npm banner per job.
  const command = npm ? [process.execPath, npm, 'run', '-s', job.script] : ['npm', 'run', '-s', job.script];
  const argv = job.niced && NICE > 0 ? ['nice', '-n', String(NICE), ...command] : command;
  console.log(`[test] ${job.name} started at ${seconds(started)}${job.niced && NICE > 0 ? ` (nice ${NICE})` : ''}`);
  const child = spawn(/** @type {string} */ (argv[0]), argv.slice(1), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  return new Promise((resolve) => {
    child.once('error', (err) => {
      out.write(`${err}\n`);
    });
    child.once('close', (exitCode, signal) => {
      running.delete(child);
      const code = exitCode ?? (signal ? 1 : 0);
      out.end(() => {
        const text = readFileSync(file, 'utf8').trimEnd();
        const label = `[${job.name}]`;
        if (text) console.log(text.replace(/^/gm, `${label} `));
        console.log(`[test] ${job.name} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(t0)}`);
        resolve({ code, ms: Date.now() - t0 });
      });
    });
  });
}

async function main() {
  mkdirSync(LOGS, { recursive: true });
  /** @type {Map<string, Promise<{ code: number, ms: number }>>} */
  const done = new Map();
  /** @param {Job} job @returns {Promise<{ code: number, ms: number }>} */
  const schedule = (job) => {
    const existing = done.get(job.name);
    if (existing) return existing;
    const promise = (async () => {
      const before = await Promise.all((job.after ?? []).map((n) => schedule(byName(n))));
      if (before.some((r) => r.code !== 0)) {
        console.log(`[test] ${job.name} not run: ${job.after?.join(', ')} failed`);
        return { code: 1, ms: 0 };
      }
      return run(job);
    })();
    done.set(job.name, promise);
    return promise;
  };
  const results = await Promise.all(JOBS.map(schedule));
  const failed = JOBS.filter((_, i) => results[i]?.code !== 0).map((j) => j.name);
  console.log(
    `[test] ${failed.length === 0 ? 'all passed' : `FAILED: ${failed.join(', ')}`} in ${seconds(started)} (${JOBS.map(
      (j, i) => `${j.name} ${((results[i]?.ms ?? 0) / 1000).toFixed(1)} s`,
    ).join(', ')})`,
  );
  return failed.length === 0 ? 0 : 1;
}

/** @param {string} name @returns {Job} */
function byName(name) {
  const job = JOBS.find((j) => j.name === name);
  if (!job) throw new Error(`no job ${name}`);
  return job;
}

const stopAll = () => Promise.all([...running].map((c) => stopProcessGroup(c, 5_000)));
for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    console.log(`[test] ${signal}: stopping`);
    stopAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[test] failed: ${err instanceof Error ? err.stack : err}`);
    stopAll().finally(() => process.exit(1));
  },
);
