// Whole-database invariants of the ledger, orders, stock, the supply network and codes: the seeded simulation
// (test/sim) checks them after every step through the test's D1 binding, the soak (bench/soak.mjs) after its load
// through the local D1 file. Each returns what it found wrong; none of them trusts the API.

import { boardProblems, boardQueries } from './board-invariants.mjs';
import { incentiveProblems, incentiveQueries } from './incentive-invariants.mjs';

/**
 * @typedef {{ name: string, detail: string }} Violation
 * @typedef {{ prepare(sql: string): { bind(...values: unknown[]): unknown } & object,
 *   batch(statements: unknown[]): Promise<{ results?: Record<string, unknown>[] }[]> }} D1Like
 * @typedef {{ injected: Map<string, number>,
 *   codes: { code: string, serial: number, agentId: string | null, verifications: number }[],
 *   incentives?: import('./incentive-invariants.mjs').IncentiveExpectations }} Expectations
 * @typedef {Record<string, any[]>} Results
 * @typedef {Record<string, any>} OrderFacts
 * @typedef {Record<string, any>} Row
 */

const ORDER_FACTS = `
SELECT o.id, o.kind, o.status, o.payee_id AS payee, o.payment_method AS method, o.amount_fen AS amount,
  o.refunded_fen AS refunded, o.paid_at AS paidAt, o.late_paid_fen AS latePaid,
  CASE WHEN o.late_refunded_at IS NULL THEN 0 ELSE o.late_paid_fen END AS lateRefunded,
  coalesce(l.amount, 0) AS lineAmount, coalesce(l.refunded, 0) AS lineRefunded,
  coalesce(l.units, 0) AS units, coalesce(l.unitsRefunded, 0) AS unitsRefunded,
  coalesce(s.booked, 0) AS booked, s.statuses AS shareStatuses,
  coalesce(e.external, 0) AS external, coalesce(e.clearing, 0) AS clearing, coalesce(e.offline, 0) AS offline,
  coalesce(e.entries, 0) AS entries, coalesce(e.payments, 0) AS payments, coalesce(p.events, 0) AS events,
  coalesce(g.held, 0) AS held
FROM orders o
LEFT JOIN (SELECT order_id, sum(qty * unit_fen) AS amount, sum(refunded_qty * unit_fen) AS refunded, sum(qty) AS units,
    sum(refunded_qty) AS unitsRefunded FROM order_lines GROUP BY order_id) l ON l.order_id = o.id
LEFT JOIN (SELECT order_id, sum(amount_fen - refunded_qty * (sell_unit_fen - buy_unit_fen)) AS booked,
    group_concat(DISTINCT status) AS statuses FROM order_shares GROUP BY order_id) s ON s.order_id = o.id
LEFT JOIN (SELECT le.order_id,
    sum(CASE WHEN le.account LIKE 'external:%' THEN le.amount_fen ELSE 0 END) AS external,
    sum(CASE WHEN le.account = 'brand:clearing' THEN le.amount_fen ELSE 0 END) AS clearing,
    sum(CASE WHEN le.account = 'agent:' || oo.payee_id || ':offline' THEN le.amount_fen ELSE 0 END) AS offline,
    sum(CASE WHEN le.kind IN ('late_payment', 'late_refund', 'refund_paid', 'refund_closed') THEN 0 ELSE 1 END) AS entries, count(DISTINCT CASE WHEN le.kind = 'payment' THEN le.txn_id END) AS payments
    FROM ledger_entries le JOIN orders oo ON oo.id = le.order_id GROUP BY le.order_id) e ON e.order_id = o.id
LEFT JOIN (SELECT order_id, count(*) AS events FROM payment_events GROUP BY order_id) p ON p.order_id = o.id
LEFT JOIN (SELECT order_id, sum(amount_fen) AS held FROM gateway_refunds WHERE status <> 'succeeded'
    GROUP BY order_id) g ON g.order_id = o.id`;

// Units an order holds outside every stock row: taken at placement, given back on cancel, refusal before payment
// and refund; a delivered cloud restock sits in the buyer's stock instead.
const UNITS_OUT = `
SELECT l.product_id AS productId, sum(l.qty - l.refunded_qty) AS out FROM order_lines l JOIN orders o ON o.id = l.order_id
WHERE NOT (o.status = 'cancelled' OR (o.status = 'refused' AND o.paid_at IS NULL)
  OR (o.kind = 'restock' AND o.stock_model = 'cloud' AND o.status = 'completed'))
GROUP BY l.product_id`;

const TEAM_RECOUNT = `
WITH actual AS (
  SELECT 'brand' AS owner, level, count(*) AS n FROM agents WHERE status <> 'revoked' GROUP BY level
  UNION ALL
  SELECT tm.ancestor_id, a.level, count(*) FROM team_members tm JOIN agents a ON a.id = tm.member_id
  WHERE a.status <> 'revoked' GROUP BY tm.ancestor_id, a.level
), stored AS (SELECT owner_id AS owner, level, count AS n FROM team_counts WHERE count <> 0)
SELECT a.owner, a.level, a.n AS actual, coalesce(s.n, 0) AS stored FROM actual a
  LEFT JOIN stored s ON s.owner = a.owner AND s.level = a.level WHERE coalesce(s.n, 0) <> a.n
UNION ALL
SELECT s.owner, s.level, 0, s.n FROM stored s
  LEFT JOIN actual a ON a.owner = s.owner AND a.level = s.level WHERE a.owner IS NULL
LIMIT 5`;

const queries = {
  ledgerTotal: 'SELECT coalesce(sum(amount_fen), 0) AS total FROM ledger_entries',
  unbalanced: 'SELECT txn_id AS txn, sum(amount_fen) AS s FROM ledger_entries GROUP BY txn_id HAVING s <> 0 LIMIT 3',
  balances: 'SELECT account, balance_fen AS fen FROM balances',
  entrySums: 'SELECT account, sum(amount_fen) AS fen FROM ledger_entries GROUP BY account',
  orders: ORDER_FACTS,
  shareLines: `SELECT s.order_id AS id, s.party_id AS party FROM order_shares s
    JOIN order_lines l ON l.order_id = s.order_id AND l.product_id = s.product_id
    WHERE s.refunded_qty <> l.refunded_qty OR s.qty <> l.qty LIMIT 3`,
  // The release writes no ledger entry: the payment credited the shares, the held counter kept them unwithdrawable.
  releaseEntries: "SELECT order_id AS id, account FROM ledger_entries WHERE kind = 'release' LIMIT 3",
  // Each held counter is what its agent's held shares of brand-collected orders still hold.
  heldDrift: `SELECT coalesce(h.agent_id, s.party_id) AS agent, coalesce(h.held_fen, 0) AS counter,
      coalesce(s.fen, 0) AS shares
    FROM held_shares h FULL OUTER JOIN (SELECT s.party_id, sum(s.amount_fen - s.refunded_qty *
      (s.sell_unit_fen - s.buy_unit_fen)) AS fen FROM order_shares s JOIN orders o ON o.id = s.order_id
      WHERE s.status = 'pending' AND o.payee_id = 'brand' AND s.party_id <> 'brand' GROUP BY s.party_id) s
      ON s.party_id = h.agent_id
    WHERE coalesce(h.held_fen, 0) <> coalesce(s.fen, 0) LIMIT 3`,
  agentShares: `SELECT s.party_id AS agent, s.status, sum(s.amount_fen - s.refunded_qty * (s.sell_unit_fen - s.buy_unit_fen)) AS fen
    FROM order_shares s JOIN orders o ON o.id = s.order_id
    WHERE o.payee_id = 'brand' AND s.status IN ('pending', 'available') GROUP BY s.party_id, s.status`,
  withdrawals: 'SELECT agent_id AS agent, status, sum(amount_fen) AS fen FROM withdrawals GROUP BY agent_id, status',
  // Rewards paid on recruits' purchases, less what refunds took back (issue 17).
  rewardsNet: 'SELECT agent_id AS agent, sum(amount_fen - reversed_fen) AS fen FROM reward_grants GROUP BY agent_id',
  collected: `SELECT payee_id AS payee, payment_method AS method, sum(amount_fen - refunded_fen) AS fen FROM orders
    WHERE paid_at IS NOT NULL GROUP BY payee_id, payment_method`,
  lateOwed:
    'SELECT coalesce(sum(late_paid_fen), 0) AS fen FROM orders WHERE late_paid_fen > 0 AND late_refunded_at IS NULL',
  // Refunds sent through WeChat Pay that it has not confirmed: the money is still in the merchant account.
  heldRefunds: "SELECT status, sum(amount_fen) AS fen FROM gateway_refunds WHERE status <> 'succeeded' GROUP BY status",
  overdrawn: `SELECT account, id FROM (SELECT account, id, kind,
      sum(amount_fen) OVER (PARTITION BY account ORDER BY id) AS running FROM ledger_entries
      WHERE account LIKE 'agent:%:available') WHERE kind = 'withdrawal' AND running < 0 LIMIT 3`,
  // Withdrawable = wallet balance − held shares; below zero only after a refund took back released money.
  unexplainedDebt: `SELECT b.account FROM balances b LEFT JOIN held_shares h ON b.account = 'agent:' || h.agent_id || ':available'
    WHERE b.account LIKE 'agent:%:available' AND b.balance_fen - coalesce(h.held_fen, 0) < 0
    AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.account = b.account AND e.kind IN ('refund', 'reward_reversal')
      AND e.amount_fen < 0)
    LIMIT 3`,
  negativeStock: 'SELECT owner_id AS owner, product_id AS product, qty FROM stock WHERE qty < 0 LIMIT 3',
  stockTotals: 'SELECT product_id AS productId, sum(qty) AS qty FROM stock GROUP BY product_id',
  unitsOut: UNITS_OUT,
  agents: 'SELECT id, level, status, supplier_id AS supplierId FROM agents',
  closure: 'SELECT ancestor_id AS ancestor, member_id AS member, level, status FROM team_members',
  teamCounts: TEAM_RECOUNT,
  certificates: `SELECT a.id, count(c.number) AS n, min(c.valid_until > c.valid_from) AS valid FROM agents a
    LEFT JOIN certificates c ON c.agent_id = a.id GROUP BY a.id HAVING n <> 1 OR valid = 0
    UNION ALL SELECT c.agent_id, -1, 0 FROM certificates c LEFT JOIN agents a ON a.id = c.agent_id WHERE a.id IS NULL
    LIMIT 3`,
  approvals: `SELECT ap.id FROM applications ap LEFT JOIN agents a ON a.id = ap.agent_id
    WHERE (ap.status = 'approved') <> (a.id IS NOT NULL) LIMIT 3`,
  codes: `SELECT code, serial, agent_id AS agentId, verify_count AS verifyCount FROM codes
    WHERE code IN (SELECT value FROM json_each(?))`,
  boundCount: `SELECT (SELECT coalesce(sum(count), 0) FROM code_bindings) AS bound,
    (SELECT count(*) FROM codes WHERE agent_id IS NOT NULL) AS codes`,
  // An unpaid order holds its units only until its deadline; the cron (every few minutes) cancels it after. An hour
  // late means the cron did not.
  expiredHolding: `SELECT id, expires_at AS expiresAt FROM orders WHERE status = 'pending_payment'
    AND (expires_at IS NULL OR expires_at < CAST(strftime('%s', 'now') AS integer) * 1000 - 3600000) LIMIT 3`,
  // Every binding has its proof: a paid order sold through that agent, a proved phone, an openid or a brand action.
  unprovedBindings: `SELECT m.id, m.bound_proof AS proof FROM members m WHERE m.bound_agent_id IS NOT NULL AND (
    m.bound_proof IS NULL
    OR (m.bound_proof = 'order' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = m.bound_proof_ref
      AND o.paid_at IS NOT NULL AND o.agent_id = m.bound_agent_id))
    OR (m.bound_proof = 'brand' AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.id = m.bound_proof_ref))) LIMIT 3`,
  codeBindings: `SELECT serial FROM codes c WHERE agent_id IS NOT NULL AND (binding_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM code_bindings b WHERE b.id = c.binding_id AND b.agent_id = c.agent_id)) LIMIT 3`,
  ...incentiveQueries,
  ...boardQueries,
};

/** @param {D1Like} db @param {string[]} codeList @param {(sql: string) => string} tables @returns {Promise<Results>} */
async function readAll(db, codeList, tables) {
  const keys = Object.keys(queries);
  const results = await db.batch(
    keys.map((k) =>
      k === 'codes'
        ? db.prepare(tables(queries[k])).bind(JSON.stringify(codeList))
        : db.prepare(tables(/** @type {string} */ (queries[/** @type {keyof typeof queries} */ (k)]))),
    ),
  );
  return Object.fromEntries(keys.map((k, i) => [k, results[i]?.results ?? []]));
}

/** @param {OrderFacts} o @returns {string[]} */
function orderProblems(o) {
  /** @type {string[]} */
  const out = [];
  const shares = new Set((o.shareStatuses ?? '').split(',').filter(Boolean));
  const only = (/** @type {string[]} */ ...allowed) => [...shares].every((s) => allowed.includes(s));
  if (o.lineAmount !== o.amount) out.push(`amount ${o.amount} ≠ lines ${o.lineAmount}`);
  if (o.lineRefunded !== o.refunded) out.push(`refunded ${o.refunded} ≠ lines ${o.lineRefunded}`);
  if (o.events > 1) out.push(`${o.events} payment events`);
  if (
    o.latePaid > 0 &&
    (!['cancelled', 'refused'].includes(o.status) || o.paidAt !== null || o.latePaid !== o.amount)
  ) {
    out.push(`late payment ${o.latePaid} on a ${o.status} order of ${o.amount}`);
  }
  if (o.paidAt === null) {
    // A payment that arrived after cancellation is owed back to the payer until the brand refunds it.
    if (o.entries > 0) out.push(`unpaid (${o.status}) with ${o.entries} ledger entries`);
    // A refund through WeChat Pay leaves the gateway only when WeChat confirms it (`held` until then).
    if (o.external !== -(o.latePaid - o.lateRefunded + o.held))
      out.push(`payer charged ${-o.external}, owed ${o.latePaid - o.lateRefunded}, refund held ${o.held}`);
    if (o.unitsRefunded > 0) out.push('unpaid with refunded units');
    if (o.status === 'pending_payment' && !only('planned')) out.push(`pending with shares ${o.shareStatuses}`);
    if (o.status !== 'pending_payment' && !only('void')) out.push(`${o.status} with shares ${o.shareStatuses}`);
    if (!['pending_payment', 'cancelled', 'refused'].includes(o.status)) out.push(`${o.status} without paid_at`);
    return out;
  }
  const net = o.amount - o.refunded;
  if (o.amount > 0 && o.payments !== 1) out.push(`${o.payments} payment transactions`);
  if (o.kind !== 'pickup' && o.method === 'online' && o.events !== 1) out.push(`online paid with ${o.events} events`);
  if (o.external !== -(net + o.held)) out.push(`payer charged ${-o.external}, kept ${net}, refund held ${o.held}`);
  if (o.clearing !== 0) out.push(`clearing left ${o.clearing}`);
  if (o.payee === 'brand') {
    if (!only('pending', 'available')) out.push(`paid to brand with shares ${o.shareStatuses}`);
    if (o.booked !== net) out.push(`shares booked ${o.booked} ≠ paid ${net}`);
  } else {
    if (!only('void')) out.push(`paid to agent with shares ${o.shareStatuses}`);
    if (o.offline !== net) out.push(`payee received ${o.offline} ≠ ${net}`);
  }
  const closed = ['refunded', 'refused'].includes(o.status);
  if (closed !== (o.unitsRefunded === o.units)) out.push(`${o.status} with ${o.unitsRefunded}/${o.units} refunded`);
  if (['pending_payment', 'cancelled'].includes(o.status)) out.push(`${o.status} with paid_at`);
  return out;
}

// What every account must hold, derived from orders, shares and withdrawals alone.
/** @param {Results} r @returns {Map<string, number>} */
function expectedBalances(r) {
  /** @type {Map<string, number>} */
  const want = new Map();
  const add = (/** @type {string} */ account, /** @type {number} */ fen) =>
    want.set(account, (want.get(account) ?? 0) + fen);
  // Held and released shares alike are credited to the party's account at payment.
  for (const s of r.agentShares) {
    if (s.agent === 'brand') add('brand:revenue', s.fen);
    else add(`agent:${s.agent}:available`, s.fen);
  }
  for (const w of r.withdrawals) {
    // A rejected withdrawal, or a transfer WeChat Pay failed, left the balances as they were.
    if (w.status === 'rejected' || w.status === 'failed') continue;
    add(`agent:${w.agent}:available`, -w.fen);
    // Held until the brand decides, and while a transfer is on its way.
    if (w.status === 'requested' || w.status === 'paying') add(`agent:${w.agent}:withdrawing`, w.fen);
    else add('external:payouts', w.fen);
  }
  for (const g of r.rewardsNet) {
    add(`agent:${g.agent}:available`, g.fen);
    add('brand:rewards', -g.fen);
  }
  for (const c of r.collected) {
    if (c.payee !== 'brand') add(`agent:${c.payee}:offline`, c.fen);
    add(c.method === 'online' ? 'external:gateway' : 'external:offline', -c.fen);
  }
  const owed = Number(r.lateOwed[0]?.fen ?? 0);
  add('brand:refunds_due', owed);
  add('external:gateway', -owed);
  // Sent to WeChat Pay and not confirmed: in flight (a closed one is owed to the payer again).
  for (const h of r.heldRefunds) {
    add(h.status === 'closed' ? 'brand:refunds_due' : 'brand:refunds_in_flight', h.fen);
    add('external:gateway', -h.fen);
  }
  return want;
}

/** @param {Results} r @returns {string[]} */
function closureProblems(r) {
  const agents = new Map(r.agents.map((a) => [a.id, a]));
  /** @type {Map<string, Row[]>} */
  const byMember = new Map();
  for (const row of r.closure) {
    byMember.set(row.member, [...(byMember.get(row.member) ?? []), row]);
  }
  /** @type {string[]} */
  const out = [];
  for (const a of agents.values()) {
    if (a.status === 'revoked') continue;
    /** @type {string[]} */
    const chain = [];
    for (let s = a.supplierId; s !== null; s = agents.get(s)?.supplierId ?? null) {
      if (chain.includes(s) || chain.length > 9) {
        out.push(`${a.id}: supplier cycle`);
        break;
      }
      chain.push(s);
    }
    const rowsOf = byMember.get(a.id) ?? [];
    const got = rowsOf.map((x) => x.ancestor).sort();
    if (JSON.stringify(got) !== JSON.stringify([...chain].sort())) {
      out.push(`${a.id}: closure ${got.length} ancestors, supplier chain ${chain.length}`);
    }
    if (rowsOf.some((x) => x.level !== a.level || x.status !== a.status))
      out.push(`${a.id}: closure level/status stale`);
  }
  return out.slice(0, 3);
}

/**
 * Every invariant over the whole database. `injected`: units put into the warehouse per product (everything anywhere
 * must add up to it); `codes`: codes the caller verified, with how often and to whom it bound them. `tables` rewrites
 * each query's table names (the simulation reads archived months from R2 as well: test/sim/archive-view.ts).
 * @param {D1Like} db @param {Expectations} expected @param {(sql: string) => string} [tables]
 * @returns {Promise<Violation[]>}
 */
export async function checkDatabase(db, expected, tables = (sql) => sql) {
  const r = await readAll(
    db,
    expected.codes.map((c) => c.code),
    tables,
  );
  /** @type {Violation[]} */
  const v = [];
  const add = (/** @type {string} */ name, /** @type {unknown} */ detail) =>
    v.push({ name, detail: typeof detail === 'string' ? detail : JSON.stringify(detail) });

  const total = Number(r.ledgerTotal[0]?.total ?? 0);
  if (total !== 0) add('ledger-sum-zero', `all entries sum to ${total}`);
  if (r.unbalanced.length > 0) add('txn-balanced', r.unbalanced);

  const sums = new Map(r.entrySums.map((x) => [x.account, x.fen]));
  const held = new Map(r.balances.map((x) => [x.account, x.fen]));
  for (const account of new Set([...sums.keys(), ...held.keys()])) {
    if ((sums.get(account) ?? 0) !== (held.get(account) ?? 0)) {
      add('balance-equals-entries', `${account}: balance ${held.get(account) ?? 0}, entries ${sums.get(account) ?? 0}`);
    }
  }
  const want = expectedBalances(r);
  for (const account of new Set([...want.keys(), ...held.keys()])) {
    if (account === 'brand:clearing' && (held.get(account) ?? 0) === 0) continue;
    if ((want.get(account) ?? 0) !== (held.get(account) ?? 0)) {
      add(
        'balance-derivable',
        `${account}: holds ${held.get(account) ?? 0}, orders and withdrawals say ${want.get(account) ?? 0}`,
      );
    }
  }
  for (const [account, fen] of held) {
    if (/^agent:.*:(pending|withdrawing|offline)$/.test(account) && fen < 0)
      add('balance-not-negative', `${account}: ${fen}`);
  }
  if (r.overdrawn.length > 0) add('withdrawal-never-overdraws', r.overdrawn);
  if (r.unexplainedDebt.length > 0) add('debt-only-from-refunds', r.unexplainedDebt);

  for (const o of r.orders) {
    for (const problem of orderProblems(o)) add('order-settlement', `${o.id} (${o.kind} ${o.status}): ${problem}`);
  }
  if (r.shareLines.length > 0) add('shares-follow-lines', r.shareLines);
  if (r.releaseEntries.length > 0) add('release-writes-no-entry', r.releaseEntries);
  if (r.heldDrift.length > 0) add('held-equals-shares', r.heldDrift);

  if (r.negativeStock.length > 0) add('stock-not-negative', r.negativeStock);
  const inStock = new Map(r.stockTotals.map((x) => [x.productId, x.qty]));
  const out = new Map(r.unitsOut.map((x) => [x.productId, x.out]));
  for (const [productId, injected] of expected.injected) {
    const found = (inStock.get(productId) ?? 0) + (out.get(productId) ?? 0);
    if (found !== injected) {
      add(
        'units-conserved',
        `${productId}: ${inStock.get(productId) ?? 0} in stock + ${out.get(productId) ?? 0} in orders ≠ ${injected} put in`,
      );
    }
  }

  const agents = new Map(r.agents.map((a) => [a.id, a]));
  for (const a of agents.values()) {
    if (a.status === 'revoked' || a.supplierId === null) continue;
    const s = agents.get(a.supplierId);
    if (!s) add('supplier-exists', `${a.id} → ${a.supplierId}`);
    else if (s.level >= a.level)
      add('supplier-strictly-higher', `${a.id} (level ${a.level}) → ${s.id} (level ${s.level})`);
    else if (s.status === 'revoked') add('supplier-not-revoked', `${a.id} → revoked ${s.id}`);
  }
  for (const problem of closureProblems(r)) add('closure-matches-chain', problem);
  if (r.teamCounts.length > 0) add('team-counts-recount', r.teamCounts);
  if (r.certificates.length > 0) add('one-certificate-per-agent', r.certificates);
  if (r.approvals.length > 0) add('approved-means-agent', r.approvals);

  const stored = new Map(r.codes.map((c) => [c.code, c]));
  for (const c of expected.codes) {
    const s = stored.get(c.code);
    if (s && s.verifyCount !== c.verifications) {
      add('verify-count', `serial ${c.serial}: verify_count ${s.verifyCount}, verified ${c.verifications} times`);
    }
    if (s && s.agentId !== c.agentId)
      add('code-bound-once', `serial ${c.serial}: bound to ${s.agentId}, expected ${c.agentId}`);
  }
  if (r.codeBindings.length > 0) add('code-binding-recorded', r.codeBindings);
  if (r.expiredHolding.length > 0) add('unpaid-expires', r.expiredHolding);
  if (r.unprovedBindings.length > 0) add('binding-has-proof', r.unprovedBindings);
  incentiveProblems(r, expected.incentives, add);
  boardProblems(r, add);
  const bound = r.boundCount[0];
  if (bound && bound.bound !== bound.codes)
    add('code-bound-once', `bindings count ${bound.bound} codes, ${bound.codes} are bound`);
  return v;
}
