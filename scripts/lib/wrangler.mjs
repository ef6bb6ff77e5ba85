// Running wrangler from the project's own node_modules, without npx and without telemetry.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

/** The project root (where package.json and wrangler.toml live). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WRANGLER = path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
/** Where `wrangler dev` and `wrangler d1 … --local` keep local state when --persist-to is not given. */
export const DEFAULT_PERSIST_DIR = path.join(ROOT, '.wrangler', 'state');

process.env.WRANGLER_SEND_METRICS = 'false';

/** The environment every wrangler process gets. @param {Record<string, string>} [extra] */
export function wranglerEnv(extra = {}) {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', ...extra };
}

/**
 * Runs wrangler to completion.
 * @param {string[]} args
 * @param {{ capture?: boolean, env?: Record<string, string>, timeoutMs?: number, input?: string }} [options]
 *   capture: collect stdout/stderr instead of showing them; env: extra variables (CI=true answers prompts)
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runWrangler(args, options = {}) {
  const { capture = false, env = {}, timeoutMs = 300_000, input } = options;
  if (!existsSync(WRANGLER)) throw new Error(`wrangler is not installed (${WRANGLER}); run npm install first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: wranglerEnv(env),
      stdio: [input === undefined ? 'ignore' : 'pipe', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    if (input !== undefined) child.stdin?.end(input);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wrangler ${args.join(' ')} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/**
 * Applies db/migrations to the local (or remote) D1 database. Remote: `wrangler d1 migrations apply` (its
 * confirmation prompt answered by CI=true); local: the same files and bookkeeping in this process (scripts/lib/localD1.mjs).
 * @param {{ persistTo?: string, remote?: boolean, capture?: boolean }} [options]
 */
export async function applyMigrations(options = {}) {
  if (!options.remote) {
    const { applyLocalMigrations, withLocalD1 } = await import('./localD1.mjs');
    const applied = await withLocalD1(options.persistTo, (db) => applyLocalMigrations(db));
    if (!options.capture) {
      console.log(
        applied.length === 0
          ? 'No migrations to apply.'
          : `Applied ${applied.length} migration(s): ${applied.join(', ')}`,
      );
    }
    return;
  }
  const result = await runWrangler(['d1', 'migrations', 'apply', 'DB', '--remote'], {
    capture: options.capture,
    env: { CI: 'true' },
  });
  if (result.code !== 0) {
    throw new Error(`wrangler d1 migrations apply failed (exit ${result.code})\n${result.stdout}${result.stderr}`);
  }
}

/**
 * Runs SQL through `wrangler d1 execute DB --json` and returns each statement's result rows.
 * @param {{ command?: string, file?: string, persistTo?: string, remote?: boolean }} options
 * @returns {Promise<Record<string, unknown>[][]>}
 */
export async function d1Execute(options) {
  if (!options.remote) {
    const { runSql, withLocalD1 } = await import('./localD1.mjs');
    const text = options.file ? readFileSync(options.file, 'utf8') : (options.command ?? '');
    try {
      return await withLocalD1(options.persistTo, (db) => runSql(db, text));
    } catch (err) {
      throw new D1Error(stripVTControlCharacters(err instanceof Error ? err.message : String(err)));
    }
  }
  const where = ['--remote'];
  const what = options.file ? ['--file', options.file] : ['--command', options.command ?? ''];
  const result = await runWrangler(['d1', 'execute', 'DB', ...where, ...what, '--json', '--yes'], { capture: true });
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    parsed = undefined;
  }
  if (result.code !== 0 || !Array.isArray(parsed)) {
    throw new D1Error(describeFailure(parsed, result.stdout, result.stderr));
  }
  return parsed.map((r) => (Array.isArray(r?.results) ? r.results : []));
}

export class D1Error extends Error {}

/** @param {unknown} parsed @param {string} stdout @param {string} stderr */
function describeFailure(parsed, stdout, stderr) {
  const reported = /** @type {{ error?: { text?: string, notes?: { text?: string }[] } } | undefined} */ (parsed);
  const text = reported?.error?.text ?? '';
  const notes = (reported?.error?.notes ?? []).map((n) => n.text ?? '').join('\n');
  const message = [text, notes].filter(Boolean).join('\n') || `${stdout}\n${stderr}`.trim();
  return stripVTControlCharacters(message);
}

/**
 * Starts `wrangler dev` in its own process group, so the whole tree (wrangler and workerd) can be stopped.
 * @param {string[]} args extra arguments after `dev`
 * @param {{ stdio?: 'inherit' | 'pipe' | 'ignore', env?: Record<string, string>, detached?: boolean }} [options]
 */
export function spawnWranglerDev(args, options = {}) {
  const { stdio = 'inherit', env = {}, detached = false } = options;
  return spawn(process.execPath, [WRANGLER, 'dev', ...args], {
    cwd: ROOT,
    env: wranglerEnv(env),
    stdio: ['ignore', stdio, stdio],
    detached,
  });
}

/**
 * Stops a process started with `detached: true` and everything it started: SIGTERM to its group, then SIGKILL
 * when it has not exited within `graceMs`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} [graceMs]
 */
export async function stopProcessGroup(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (/** @type {NodeJS.Signals} */ sig) => {
    try {
      process.kill(-(child.pid ?? 0), sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    signal('SIGKILL');
    await Promise.race([exited, sleep(2_000)]);
  }
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until `url` answers 200, or fails after `timeoutMs`.
 * @param {string} url
 * @param {{ timeoutMs?: number, child?: import('node:child_process').ChildProcess }} [options]
 *   child: stop waiting early when this process exits
 */
export async function waitForHttp(url, options = {}) {
  const { timeoutMs = 60_000, child } = options;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before ${url} answered`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String(/** @type {Error} */ (err).cause ?? err);
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (last: ${last})`);
}
