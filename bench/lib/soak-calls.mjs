// The soak's requests (bench/soak.mjs): each one counted, its latency kept and its answer tallied; an answer outside
// what the operation allows (any 5xx included) is counted as an error, the first few kept as samples.
import { measure } from './http.mjs';

/** @typedef {import('./http.mjs').Measured} Measured */

/** @param {string} base */
export function createCalls(base) {
  const tally = {
    requests: 0,
    /** @type {Record<string, number>} */
    errors: {},
    /** @type {string[]} */
    samples: [],
    /** @type {Record<string, number>} */
    answers: {},
    /** @type {number[]} */
    latencies: [],
  };
  const { errors, samples, answers, latencies } = tally;

  /** @param {string} what @param {string} url @param {RequestInit & { token?: string }} [init] @param {(number | string)[]} [allowed] */
  const call = async (what, url, init = {}, allowed = [200]) => {
    tally.requests++;
    const { token, ...rest } = init;
    const headers = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...rest.headers };
    const m = await measure(`${base}${url}`, { ...rest, headers });
    latencies.push(m.ms);
    const outcome = m.code ? `${m.status} ${m.code}` : String(m.status);
    answers[`${what} ${outcome}`] = (answers[`${what} ${outcome}`] ?? 0) + 1;
    const ok = m.status < 500 && allowed.some((a) => (typeof a === 'number' ? a === m.status : a === outcome));
    if (!ok) {
      const key = `${what}: ${outcome}`;
      errors[key] = (errors[key] ?? 0) + 1;
      if (samples.length < 10) samples.push(`${key} ${JSON.stringify(m.body).slice(0, 300)}`);
    }
    return /** @type {Measured & { body: any }} */ (m);
  };
  const post = (/** @type {unknown} */ body, /** @type {string} */ token = '') => ({
    method: 'POST',
    body: JSON.stringify(body ?? {}),
    ...(token ? { token } : {}),
  });
  return { tally, call, post };
}
