// Requests to the local server with the D1 figures the Worker reports when DB_METRICS=1.

// Client addresses are distinct per request and per run, so per-IP rate limits never trip.
let ipCounter = Math.floor(Math.random() * 1_000_000);
export function nextIp() {
  ipCounter++;
  return `10.${Math.floor(ipCounter / 62_500) % 250}.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
}

/**
 * @typedef {{ status: number, code: string | null, body: unknown, rowsRead: number | null,
 *   rowsWritten: number | null, roundTrips: number | null, ms: number, session: string | null }} Measured
 */

/**
 * One request with a time limit (30 s), its D1 figures read from the X-D1-* response headers. A JSON body gets
 * Content-Type: application/json unless the caller set one.
 * @param {string} url @param {RequestInit} [init] @returns {Promise<Measured>}
 */
export async function measure(url, init = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has('CF-Connecting-IP')) headers.set('CF-Connecting-IP', nextIp());
  if (init.body && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const started = performance.now();
  const res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  const ms = performance.now() - started;
  /** @type {unknown} */
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  const header = (/** @type {string} */ name) => {
    const value = res.headers.get(name);
    return value === null ? null : Number(value);
  };
  const code = /** @type {{ error?: { code?: string } }} */ (body)?.error?.code ?? null;
  return {
    status: res.status,
    code,
    body,
    rowsRead: header('X-D1-Rows-Read'),
    rowsWritten: header('X-D1-Rows-Written'),
    roundTrips: header('X-D1-Round-Trips'),
    ms,
    session: sessionOf(res),
  };
}

/**
 * The session token a sign-in sets: it travels only in the HttpOnly cookie, and the API takes it as a Bearer token.
 * @param {Response} res @returns {string | null}
 */
export function sessionOf(res) {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('agentry_sid='));
  return cookie?.slice('agentry_sid='.length).split(';')[0] || null;
}
