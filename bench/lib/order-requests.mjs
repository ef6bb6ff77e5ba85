// The requests of the orders benchmark (bench/orders-1m.mjs): the bodies of a guest's order and of the floor, the
// sender of a closed-loop load of either, and how a load's rounds are merged and told.
import { nextIp } from './http.mjs';
import { percentile } from './load.mjs';

/**
 * @typedef {import('./orders-state.mjs').Seller} Seller
 * @typedef {import('./orders-state.mjs').Picks} Picks
 */

/** The shipping address of every order the benchmark places. */
const SHIPPING = { name: '王小明', phone: '13700001111', address: '浙江省杭州市西湖区文三路 100 号' };
let guestSeq = 0;
/** A guest's phone binds it to the first shop it orders from (锁粉): each order comes from a new guest, as a first
 * order through a shared link does, so the load is not one member's orders piling onto one agent. */
function shipping() {
  guestSeq++;
  const n = (process.pid * 7919 + guestSeq * 104_729) % 100_000_000;
  return { ...SHIPPING, phone: `137${String(n).padStart(8, '0')}` };
}

/** A guest consumer order of one unit. @param {string} shopCode @param {string} productId */
export function orderBody(shopCode, productId) {
  return JSON.stringify({
    kind: 'consumer',
    shopCode,
    lines: [{ productId, qty: 1 }],
    paymentMethod: 'online',
    shipping: shipping(),
  });
}

/** The floor's body for the same rows as a consumer order of one unit through `seller`. */
export function floorBody(/** @type {Seller} */ seller, /** @type {string} */ productId) {
  return JSON.stringify({ agentId: seller.id, lines: [{ productId, qty: 1 }], sharesPerLine: seller.above + 2 });
}

/** @param {string} text */
function errorCode(text) {
  try {
    return JSON.parse(text)?.error?.code ?? null;
  } catch {
    return null;
  }
}

/**
 * Sends request `n` of a load: the order (or floor) of seller n, product n; answers 201 when it worked.
 * @param {string} url @param {(seller: Seller, productId: string) => string} body @param {Picks} picks
 */
export function sender(url, body, picks) {
  return async (/** @type {number} */ n, /** @type {AbortSignal} */ signal) => {
    const seller = /** @type {Seller} */ (picks.sellers[n % picks.sellers.length]);
    const productId = /** @type {string} */ (picks.products[(n * 7 + Math.floor(n / 256)) % picks.products.length]);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': nextIp() },
      body: body(seller, productId),
      signal,
    });
    const text = await res.text();
    return { ok: res.status === 201, status: res.status, code: res.status === 201 ? null : errorCode(text) };
  };
}

/** Rounds of one load as one. @param {import('./load.mjs').LoadResult[]} rounds */
export function mergeLoads(rounds) {
  const sent = rounds.reduce((n, r) => n + r.sent, 0);
  const ok = rounds.reduce((n, r) => n + r.ok, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  /** @type {Record<string, number>} */
  const failures = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
  const latenciesMs = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  return { sent, ok, failed: sent - ok, failures, seconds, perSecond: ok / seconds, latenciesMs };
}

/** @param {import('./load.mjs').LoadResult} r */
export function describeLoad(r) {
  const failures = Object.entries(r.failures)
    .map(([k, v]) => `${v}× ${k}`)
    .join(', ');
  return (
    `${r.ok}/${r.sent} in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s, p50 ` +
    `${percentile(r.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(r.latenciesMs, 99).toFixed(1)} ms` +
    `${failures ? `; failed: ${failures}` : ''}`
  );
}
