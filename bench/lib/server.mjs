// `wrangler dev` on a benchmark's own persisted state, always stopped when the benchmark is done with it.
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { ROOT, runWrangler, spawnWranglerDev, stopProcessGroup, waitForHttp } from '../../scripts/lib/wrangler.mjs';

/**
 * @typedef {{ name: string, dir: string, port: number, script?: string, args?: string[] }} ServerOptions
 *   dir: the persist directory (relative to the project root); script: a Worker bundled by bundleWorker(), served
 *   as it is (--no-bundle) instead of worker/index.ts; args: more `wrangler dev` arguments (--var …)
 * @typedef {(line: string) => void} Log
 */

/**
 * Bundles the Worker as `wrangler deploy` would, without deploying, into `outDir`, and returns its entry file.
 * Serve that with `script`: `wrangler dev` on worker/index.ts rebuilds and restarts the Worker whenever a source file
 * changes, which in the middle of a measurement answers 503 for a while and restarts cold.
 * @param {string} outDir @returns {Promise<string>}
 */
export async function bundleWorker(outDir) {
  const result = await runWrangler(['deploy', '--dry-run', '--outdir', outDir], { capture: true, timeoutMs: 120_000 });
  const entry = path.join(outDir, 'index.js');
  if (result.code !== 0) throw new Error(`wrangler deploy --dry-run failed (exit ${result.code})\n${result.stderr}`);
  return entry;
}

/**
 * Starts `wrangler dev --ip 127.0.0.1 --port PORT --persist-to DIR …` in its own process group, waits (at most
 * 90 s) until /api/health answers, runs `body` with the base URL, and always stops the server: when `body` returns
 * or throws, when `signal` aborts, on SIGINT/SIGTERM, and (last resort, synchronously) when this process exits.
 * The server's output goes to DIR/wrangler-dev.log.
 * @template T @param {ServerOptions} server @param {Log} log @param {AbortSignal | undefined} signal
 * @param {(base: string) => Promise<T>} body @returns {Promise<T>}
 */
export async function withServer(server, log, signal, body) {
  signal?.throwIfAborted();
  const base = `http://127.0.0.1:${server.port}`;
  const busy = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(1_000) }).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`port ${server.port} is already in use (a server left from an earlier run?)`);
  const logFile = path.join(ROOT, server.dir, 'wrangler-dev.log');
  const out = createWriteStream(logFile);
  const script = server.script ? [server.script, '--config', path.join(ROOT, 'wrangler.toml'), '--no-bundle'] : [];
  const child = spawnWranglerDev(
    [...script, '--ip', '127.0.0.1', '--port', String(server.port), '--persist-to', server.dir, ...(server.args ?? [])],
    { stdio: 'pipe', detached: true },
  );
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const stop = () => stopProcessGroup(child, 5_000);
  const onSignal = () => {
    stop().finally(() => process.exit(130));
  };
  const onAbort = () => {
    stop();
  };
  const onExit = () => {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', onExit);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const started = Date.now();
    await waitForHttp(`${base}/api/health`, { timeoutMs: 90_000, child }).catch((err) => {
      throw new Error(`${err.message}; see ${path.relative(ROOT, logFile)}`);
    });
    log(`${server.name}: wrangler dev answers on ${base} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return await body(base);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    signal?.removeEventListener('abort', onAbort);
    await stop();
    process.off('exit', onExit);
    out.end();
  }
}
