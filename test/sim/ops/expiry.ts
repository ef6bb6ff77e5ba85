import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../../worker/index';
import { row, rows } from '../ctx';
import { live, type Op, ordersIn } from './common';

const HOUR = 3_600_000;

// Time passes for some unpaid orders: their deadlines move two hours back, then the cron runs through the Worker's
// scheduled handler. Each is cancelled and its units go back (the invariants check none past its deadline holds any).
const expire: Op = {
  name: 'expireUnpaid',
  weight: (m) => (ordersIn(m, 'pending_payment').length > 0 ? 2 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const pending = ordersIn(m, 'pending_payment');
    const picked = pending.filter(() => rng.chance(0.5)).slice(0, 5);
    const now = Date.now();
    for (const o of picked) {
      await env.DB.prepare('UPDATE orders SET expires_at = ? WHERE id = ? AND status = ?')
        .bind(now - 2 * HOUR, o.id, 'pending_payment')
        .run();
    }
    const exec = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: '*/5 * * * *' }), env, exec);
    await waitOnExecutionContext(exec);
    // Once months have passed the cron also completes shipped orders and expires others: taken from the database.
    for (const o of m.orders) o.known = false;
    const statuses = await rows<{ id: string; status: SimStatus }>(
      `SELECT id, status FROM orders WHERE id IN (SELECT value FROM json_each(?))`,
      JSON.stringify(picked.map((o) => o.id)),
    );
    for (const s of statuses) {
      const o = m.orders.find((x) => x.id === s.id);
      if (o) o.status = s.status;
      if (s.status === 'pending_payment') ctx.fail('expiry', `${ctx.name(s.id)} past its deadline is still unpaid`);
    }
    ctx.note(`${picked.map((o) => ctx.name(o.id)).join(', ') || 'none'} past deadline → cron`);
  },
};

type SimStatus = ReturnType<typeof ordersIn>[number]['status'];

// The brand moves a member's binding to another active agent, or removes it, with a reason (audit log).
const moveBinding: Op = {
  name: 'brandBinding',
  weight: (m) => (live(m).length > 0 ? 1 : 0),
  async run(ctx) {
    const { m, rng } = ctx;
    const member = await row<{ id: string; bound: string | null }>(
      'SELECT id, bound_agent_id AS bound FROM members ORDER BY id DESC LIMIT 1 OFFSET ?',
      rng.int(5),
    );
    if (!member) return;
    const to = rng.chance(0.3) ? null : (rng.pick(live(m).filter((a) => a.status === 'active')) ?? null);
    const toId = to?.id ?? null;
    const res = await ctx.call(`/api/brand/members/${member.id}/binding`, {
      token: m.adminToken,
      body: { agentId: toId, reason: '品牌调整' },
    });
    const allowed = member.bound === toId ? ['409 INVALID_STATE' as const] : [200];
    ctx.note(`${ctx.name(member.id)} ${ctx.name(member.bound)} → ${ctx.name(toId)}: ${ctx.expect(res, allowed)}`);
    const sim = m.members.find((x) => x.id === member.id);
    if (sim && res.status === 200) sim.boundAgentId = toId;
  },
};

export const expiryOps: Op[] = [expire, moveBinding];
