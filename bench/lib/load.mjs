// A closed-loop load: `concurrency` clients, each sending its next request when the previous one has answered,
// until `maxRequests` have been sent or `maxMs` has passed (whichever comes first), or `signal` aborts.
// Node's global fetch (undici) keeps connections alive between a client's requests.

/**
 * @typedef {{ ok: boolean, status: number, code?: string | null }} Outcome
 * @typedef {{ sent: number, ok: number, failed: number, failures: Record<string, number>, seconds: number,
 *   perSecond: number, latenciesMs: number[] }} LoadResult
 *   perSecond: successful requests per second of wall time; latenciesMs: of the successful requests, sorted
 */

/**
 * @param {{ concurrency: number, maxRequests: number, maxMs: number, signal?: AbortSignal,
 *   send: (n: number, signal: AbortSignal) => Promise<Outcome> }} options
 *   send: performs request number `n` (reading its whole answer) and tells how it went
 * @returns {Promise<LoadResult>}
 */
export async function runLoad(options) {
  const { concurrency, maxRequests, maxMs, signal, send } = options;
  const started = performance.now();
  const deadline = started + maxMs;
  let sent = 0;
  let ok = 0;
  /** @type {Record<string, number>} */
  const failures = {};
  /** @type {number[]} */
  const latencies = [];
  const client = async () => {
    while (sent < maxRequests && performance.now() < deadline && !signal?.aborted) {
      const n = sent++;
      const t0 = performance.now();
      // A request never outlives the run by more than 30 s.
      const limit = AbortSignal.timeout(30_000);
      try {
        const outcome = await send(n, signal ? AbortSignal.any([signal, limit]) : limit);
        if (outcome.ok) {
          ok++;
          latencies.push(performance.now() - t0);
        } else {
          const key = `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`;
          failures[key] = (failures[key] ?? 0) + 1;
        }
      } catch (err) {
        const key = err instanceof Error ? err.name : 'error';
        failures[key] = (failures[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { sent, ok, failed: sent - ok, failures, seconds, perSecond: ok / seconds, latenciesMs: latencies };
}

/** The p-th percentile (0 < p ≤ 100) of sorted values, nearest rank. @param {number[]} sorted @param {number} p */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return /** @type {number} */ (sorted[rank - 1]);
}
