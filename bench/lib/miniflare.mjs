// The Worker bundle served by Miniflare itself, on the persisted local D1 of a benchmark, without wrangler dev's
// ProxyWorker in front. Under sustained concurrent POSTs that proxy (wrangler 4.86) sometimes drops a request with a
// 503 "Your worker restarted mid-request" and then exits the whole dev server (workers-sdk issues #14641, #15317),
// which ends a soak early; a soak has to run for minutes.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/wrangler.mjs';

/**
 * @typedef {{ name: string, dir: string, port: number, script: string, vars: Record<string, string> }} MiniflareServer
 *   dir: the persist directory (relative to the project root) as `wrangler dev --persist-to` uses it; script: the
 *   bundle of bundleWorker() (server.mjs); vars: the Worker's variables and secrets
 * @typedef {(line: string) => void} Log
 */

const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
});

// The ASSETS binding: files of site/dist by path (the Worker asks it for its page templates).
async function assets(/** @type {Request} */ request) {
  const dist = path.join(ROOT, 'site', 'dist');
  const pathname = decodeURIComponent(new URL(request.url).pathname);
  const file = path.join(dist, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
  if (!file.startsWith(dist)) return new Response('Not found', { status: 404 });
  for (const candidate of [file, `${file}.html`, path.join(file, 'index.html')]) {
    try {
      const body = await readFile(candidate);
      return new Response(body, {
        headers: { 'Content-Type': TYPES[path.extname(candidate)] ?? 'application/octet-stream' },
      });
    } catch {
      // try the next form of the path
    }
  }
  return new Response('Not found', { status: 404 });
}

/**
 * Starts the Worker on 127.0.0.1:PORT with the settings of wrangler.toml (D1, the verification rate limit, the
 * assets), runs `body` with the base URL and always disposes of Miniflare, also when `signal` aborts.
 * @template T @param {MiniflareServer} server @param {Log} log @param {AbortSignal | undefined} signal
 * @param {(base: string) => Promise<T>} body @returns {Promise<T>}
 */
export async function withMiniflare(server, log, signal, body) {
  signal?.throwIfAborted();
  const { Miniflare } = await import('miniflare');
  const mf = new Miniflare({
    name: 'agentry',
    modules: true,
    scriptPath: server.script,
    compatibilityDate: '2026-04-26',
    compatibilityFlags: ['nodejs_compat'],
    host: '127.0.0.1',
    port: server.port,
    bindings: { APP_VERSION: '0.1.0', ...server.vars },
    d1Databases: { DB: '00000000-0000-0000-0000-000000000000' },
    d1Persist: path.join(ROOT, server.dir, 'v3', 'd1'),
    ratelimits: { VERIFY_LIMITER: { simple: { limit: 20, period: 60 } } },
    serviceBindings: { ASSETS: assets },
  });
  const dispose = () => mf.dispose().catch(() => {});
  signal?.addEventListener('abort', dispose, { once: true });
  try {
    const url = await mf.ready;
    const base = url.origin;
    log(`${server.name}: Miniflare answers on ${base}`);
    return await body(base);
  } finally {
    signal?.removeEventListener('abort', dispose);
    await dispose();
  }
}
