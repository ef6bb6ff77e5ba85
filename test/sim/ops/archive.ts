import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { monthOf, monthStart, orderBounds } from '../../../db/archiveTables';
import { idTime } from '../../../db/ids';
import worker from '../../../worker/index';
import { BASE, workerFetch } from '../../helpers';
import { archiveMonthsNow, retire } from '../archive-view';
import { advanceClock, clockOffset } from '../clock';
import { type Ctx, row, rows } from '../ctx';
import type { Model, SimOrder } from '../model';
import { wechatFakes } from '../wechat';
import { active, noteOrder, type Op, same } from './common';
import { shipBody, shipperToken } from './orders';

// Months pass and the archive (worker/archive/) takes the closed ones. The brand keeps one month (world.ts), so a
// month is archived once the clock is two months on and every order of it is final with its shares released. The
// cron runs through the Worker's scheduled handler with a random budget (ARCHIVE_RUN_CHUNKS, ARCHIVE_CHUNK_ROWS), so
// a job often stops after a chunk and a later run finishes it. Reads of what gets archived (an order by id, a page of
// a statement) must answer byte for byte as before; a restore puts the newest month back and reads stay the same.

const DAY = 86_400_000;
// Certificates are valid a year: the clock stays well inside it.
const MAX_OFFSET = 160 * DAY;
// Months start passing at this step: the steps before it are drawn exactly as without the archive's operations (they
// weigh 0 until a month has passed), so a seed still reaches the states it reached before.
const FIRST_STEP = 50;
const FINAL = new Set(['completed', 'cancelled', 'refused', 'refunded']);
const ACTIVE_JOB = ['export', 'compose', 'verify', 'delete'];

const nowMonth = () => monthOf(Date.now());
// Orders of months the brand's setting lets the archive take (two months back or older).
const oldEnough = (o: SimOrder) => monthOf(idTime(o.id) ?? 0) < monthOf(monthStart(nowMonth(), -1));

function markUnknown(m: Model): void {
  for (const o of m.orders) o.known = false;
}

interface Snapshot {
  orders: { id: string; text: string }[];
  statement: { agentId: string; token: string; cursor: string; text: string } | null;
}

async function read(path: string, token: string): Promise<string> {
  const res = await workerFetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return `${res.status} ${new TextDecoder().decode(await res.arrayBuffer())}`;
}

// What the archive may take next: a few orders of old months, and a page of a statement of entries before the
// previous month (cursor: the first entry after them), as the brand and the agent read them now.
async function snapshot(ctx: Ctx, candidates: SimOrder[]): Promise<Snapshot> {
  const { m, rng } = ctx;
  const picked = new Set<SimOrder>();
  for (let i = 0; i < 3 && candidates.length > 0; i++) picked.add(rng.pick(candidates) as SimOrder);
  const orders = [];
  for (const o of picked) orders.push({ id: o.id, text: await read(`/api/orders/${o.id}`, m.adminToken) });
  const boundary = await row<{ id: number }>(
    'SELECT min(id) AS id FROM ledger_entries WHERE at >= ?',
    monthStart(nowMonth(), -1),
  );
  const agent = rng.pick(active(m));
  let statement: Snapshot['statement'] = null;
  if (boundary?.id && agent) {
    const cursor = String(boundary.id);
    const text = await read(`/api/agents/${agent.id}/statement?limit=5&cursor=${cursor}`, agent.token);
    statement = { agentId: agent.id, token: agent.token, cursor, text };
  }
  return { orders, statement };
}

async function sameReads(ctx: Ctx, before: Snapshot): Promise<void> {
  for (const o of before.orders) {
    same(ctx, `${ctx.name(o.id)} read after archiving`, await read(`/api/orders/${o.id}`, ctx.m.adminToken), o.text);
  }
  const s = before.statement;
  if (s) {
    const now = await read(`/api/agents/${s.agentId}/statement?limit=5&cursor=${s.cursor}`, s.token);
    same(ctx, `statement of ${ctx.name(s.agentId)} after archiving`, now, s.text);
  }
}

async function cron(ctx: Ctx): Promise<string> {
  const { m, rng } = ctx;
  const vars = {
    ARCHIVE_CHUNK_ROWS: String(rng.pick([2, 7, 50, 1000]) ?? 1000),
    ARCHIVE_RUN_CHUNKS: String(rng.pick([1, 2, 5, 30, 200]) ?? 200),
  };
  const tick = async () => {
    const exec = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }),
      { ...env, ...vars },
      exec,
    );
    await waitOnExecutionContext(exec);
  };
  // Two runs back to back: the first also expires, completes and releases what came due (which changes reads); reads
  // taken between them must be what the second run, which only archives further, leaves.
  await tick();
  const before = await snapshot(ctx, m.orders.filter(oldEnough));
  await tick();
  // The cron also expires, completes and releases: the model takes those from the database.
  markUnknown(m);
  await sameReads(ctx, before);
  const retired = await retire(m);
  const jobs = await archiveMonthsNow();
  const state = jobs.map((j) => `${j.month} ${j.phase}`).join(', ') || `no month (${await blockers()})`;
  return `budget ${vars.ARCHIVE_RUN_CHUNKS}×${vars.ARCHIVE_CHUNK_ROWS} rows → ${state}${retired ? `, ${retired} orders archived` : ''}`;
}

// What keeps the oldest month in D1 open, for the log.
async function blockers(): Promise<string> {
  const oldest = await row<{ id: string }>('SELECT min(id) AS id FROM orders');
  if (!oldest?.id) return 'no orders';
  const month = monthOf(idTime(oldest.id) ?? 0);
  const { orderLo, orderHi } = orderBounds(month);
  const open = await row<Record<string, number>>(
    `SELECT
      (SELECT count(*) FROM orders WHERE id >= ?1 AND id < ?2 AND (status NOT IN ('completed', 'cancelled', 'refused', 'refunded')
        OR (late_paid_fen > 0 AND late_refunded_at IS NULL))) AS orders,
      (SELECT count(*) FROM order_shares WHERE order_id >= ?1 AND order_id < ?2 AND status = 'pending' AND refunded_qty < qty) AS shares,
      (SELECT group_concat(DISTINCT o.status || '/' || coalesce(s.release_at, 'null')) FROM order_shares s JOIN orders o ON o.id = s.order_id
        WHERE s.order_id >= ?1 AND s.order_id < ?2 AND s.status = 'pending') AS pendingOf,
      (SELECT count(*) FROM gateway_refunds WHERE order_id >= ?1 AND order_id < ?2 AND status IN ('pending', 'processing')) AS refunds`,
    orderLo,
    orderHi,
  );
  return `${month} open: ${JSON.stringify(open)}`;
}

// About a month goes by (sessions last through it, as the signed-in users come back), and the cron runs.
const monthPasses: Op = {
  name: 'monthPasses',
  weight: (m) => (m.step < FIRST_STEP || clockOffset() >= MAX_OFFSET ? 0 : m.archived.length === 0 ? 6 : 0.6),
  async run(ctx) {
    const delta = ctx.rng.between(28, 34) * DAY;
    advanceClock(delta);
    await env.DB.prepare('UPDATE sessions SET expires_at = expires_at + ?').bind(delta).run();
    ctx.note(`+${delta / DAY} days → ${nowMonth()}; cron ${await cron(ctx)}`);
  },
};

// Another cron run: an archive job stopped after a chunk goes on, or the next closed month starts.
const archiveRun: Op = {
  name: 'archiveRun',
  weight: (m) => (clockOffset() < 55 * DAY ? 0 : m.archived.length === 0 ? 1.5 : 0.6),
  async run(ctx) {
    ctx.note(`cron ${await cron(ctx)}`);
  },
};

// Business of old months still open in the model: an order not final, or a refund WeChat has not settled.
function openOld(m: Model): boolean {
  const old = new Set(m.orders.filter(oldEnough).map((o) => o.id));
  return (
    m.orders.some((o) => old.has(o.id) && !FINAL.has(o.status)) ||
    [...m.wechat.refunds.values()].some(
      (r) => old.has(r.outTradeNo) && (r.status === 'PROCESSING' || r.status === 'ABNORMAL'),
    )
  );
}

// The brand closes old business so its months can be archived: ships and completes orders of old months, pays back
// late payments, WeChat settles their open refunds, and their shares' freeze ends (moved into the past, as
// timePasses does) and the release job runs.
const closeBooks: Op = {
  name: 'closeBooks',
  weight: (m) => (openOld(m) ? 3 : m.orders.some(oldEnough) ? 0.8 : 0),
  async run(ctx) {
    const { m } = ctx;
    const old = m.orders.filter(oldEnough);
    const done: string[] = [];
    for (const o of old.filter((x) => x.status === 'paid').slice(0, 6)) {
      const res = await ctx.call(`/api/orders/${o.id}/ship`, { token: shipperToken(ctx, o), body: shipBody(o) });
      done.push(`${ctx.name(o.id)} ship ${ctx.expect(res, [200])}`);
      noteOrder(m, res.body);
    }
    for (const o of old.filter((x) => x.status === 'shipped').slice(0, 6)) {
      const res = await ctx.call(`/api/orders/${o.id}/complete`, { method: 'POST', token: m.adminToken });
      done.push(`${ctx.name(o.id)} complete ${ctx.expect(res, [200])}`);
      noteOrder(m, res.body);
    }
    const owed = await rows<{ id: string }>(
      'SELECT id FROM orders WHERE late_paid_fen > 0 AND late_refunded_at IS NULL',
    );
    for (const o of old.filter((x) => owed.some((y) => y.id === x.id))) {
      const res = await ctx.call(`/api/orders/${o.id}/late-payment-refund`, {
        token: m.adminToken,
        body: { reference: `CLOSE-${++m.counter}` },
      });
      done.push(`${ctx.name(o.id)} late refund ${ctx.expect(res, [200])}`);
    }
    const oldIds = new Set(old.map((o) => o.id));
    for (const r of m.wechat.refunds.values()) {
      if (!oldIds.has(r.outTradeNo) || (r.status !== 'PROCESSING' && r.status !== 'ABNORMAL')) continue;
      same(ctx, 'refund notification', await wechatFakes().pay.settleRefund(r.outRefundNo, 'SUCCESS'), 200);
      m.wechat.refundsAcked.add(r.outRefundNo);
      done.push(`${ctx.name(r.outTradeNo)} refund settled`);
    }
    const ids = JSON.stringify(old.filter((o) => o.status === 'completed' || o.status === 'refunded').map((o) => o.id));
    await env.DB.prepare(
      "UPDATE order_shares SET release_at = ? WHERE order_id IN (SELECT value FROM json_each(?)) AND status = 'pending' AND release_at IS NOT NULL",
    )
      .bind(Date.now() - 1, ids)
      .run();
    const released = await ctx.call<{ released: number }>('/api/brand/jobs/release', {
      method: 'POST',
      token: m.adminToken,
    });
    ctx.expect(released, [200], 'release');
    ctx.note(`${done.join(', ') || 'nothing open'}; released ${released.body.released}`);
  },
};

// The brand restores the newest archived month (the command `npm run archive:restore` calls the same route), at
// times stopping after one call and finishing in a later step; reads answer the same before and after.
const restore: Op = {
  name: 'restoreMonth',
  weight: (m) => (m.archived.length > 0 ? 0.5 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const jobs = await archiveMonthsNow();
    const restoring = jobs.find((j) => j.phase === 'restoring');
    if (jobs.some((j) => ACTIVE_JOB.includes(j.phase)) && !restoring) {
      ctx.note('an archive job is running: no restore');
      return;
    }
    const target = restoring ?? [...jobs].reverse().find((j) => j.phase === 'done');
    if (!target) return;
    const inMonth = m.archived.filter((o) => monthOf(idTime(o.id) ?? 0) === target.month);
    const before = await snapshot(ctx, inMonth);
    let calls = 0;
    let done = false;
    while (!done && calls < 40) {
      const res = await ctx.call<{ done: boolean }>(`/api/archive/months/${target.month}/restore`, {
        method: 'POST',
        token: m.adminToken,
      });
      ctx.expect(res, [200], 'restore');
      calls++;
      done = res.body.done;
      if (!done && rng.chance(0.3)) break;
    }
    await sameReads(ctx, before);
    ctx.note(`${target.month} ${target.phase} → ${done ? 'restored' : 'restoring'} in ${calls} calls`);
  },
};

export const archiveOps: Op[] = [monthPasses, archiveRun, closeBooks, restore];
