#!/usr/bin/env node
// npm run bench [-- NAME ...]
// Runs every benchmark module in bench/ (each *.mjs file but this one; files starting with _ are helpers), or only
// the named ones, and merges the figures they return into bench/results.json: an object of named numbers, where the
// figures of modules not run this time (and figures a module skipped) keep their previous values.
//
// A benchmark module default-exports `async (context) => ({ 'some.figure': 123, ... })`; it may export
// `timeoutMs` (default 9 minutes). context: { root, stateDir, log(line), signal } — `signal` aborts at the deadline,
// and a module must stop whatever it started (servers, child processes) before it returns or throws.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.env.WRANGLER_SEND_METRICS = 'false';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const resultsFile = path.join(here, 'results.json');
const stateDir = path.join(here, '.state');

/** @returns {Record<string, number>} */
function readResults() {
  try {
    const parsed = JSON.parse(readFileSync(resultsFile, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** @param {Record<string, number>} figures */
function mergeResults(figures) {
  const merged = { ...readResults(), ...figures };
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(resultsFile, `${JSON.stringify(sorted, null, 2)}\n`);
}

async function main() {
  const wanted = process.argv.slice(2).map((a) => a.replace(/\.mjs$/, ''));
  const all = readdirSync(here)
    .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
    .map((f) => f.replace(/\.mjs$/, ''))
    .sort();
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')} (there are: ${all.join(', ')})`);
  const names = wanted.length > 0 ? wanted : all;

  let failed = 0;
  for (const name of names) {
    const started = Date.now();
    const log = (/** @type {string} */ line) => console.log(`[${name}] ${line}`);
    log('start');
    try {
      const mod = await import(pathToFileURL(path.join(here, `${name}.mjs`)).href);
      const run = mod.default ?? mod.run;
      if (typeof run !== 'function') throw new Error('the module exports no default function');
      const timeoutMs = Number(mod.timeoutMs ?? 9 * 60_000);
      const controller = new AbortController();
      /** @type {NodeJS.Timeout | undefined} */
      let timer;
      const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new Error(`timed out after ${timeoutMs / 1000} s`));
          reject(new Error(`timed out after ${timeoutMs / 1000} s`));
        }, timeoutMs);
      });
      const figures = await Promise.race([run({ root, stateDir, log, signal: controller.signal }), deadline]).finally(
        () => clearTimeout(timer),
      );
      /** @type {Record<string, number>} */
      const numbers = {};
      for (const [key, value] of Object.entries(figures ?? {})) {
        if (typeof value === 'number' && Number.isFinite(value)) numbers[key] = value;
        else log(`ignored ${key}: not a number (${value})`);
      }
      mergeResults(numbers);
      log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const [key, value] of Object.entries(numbers)) log(`  ${key} = ${value}`);
    } catch (err) {
      failed++;
      console.error(`[${name}] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
    }
  }
  console.log(`Results: ${path.relative(root, resultsFile)}`);
  return failed;
}

main().then(
  (failed) => process.exit(failed > 0 ? 1 : 0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
