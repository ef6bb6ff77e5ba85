import { PASSWORD, sessionToken } from '../../helpers';
import { type Allowed, type Ctx, row } from '../ctx';
import type { Model, SimAgent } from '../model';
import { active, agentOf, chainOf, live, type Op, same } from './common';

const pending = (m: Model) => m.apps.filter((a) => !a.decided);

export async function applyFor(ctx: Ctx, level: number, recruiter: SimAgent | undefined) {
  const phone = ctx.uniquePhone();
  const res = await ctx.call<{ id: string; approver: { id: string | null } }>('/api/applications', {
    body: {
      ...(recruiter ? { inviteCode: recruiter.code } : {}),
      name: '张三丰',
      phone,
      wechat: ctx.uniqueWechat(),
      region: '浙江省杭州市',
      level,
      password: PASSWORD,
    },
  });
  return { res, phone };
}

const apply: Op = {
  name: 'apply',
  weight: (m) => (m.agents.length < 12 ? 10 : m.agents.length < 40 ? 4 : 1),
  async run(ctx) {
    const { m, rng } = ctx;
    const recruiter = rng.chance(0.8) ? rng.pick(live(m)) : undefined;
    const level = recruiter && rng.chance(0.8) ? rng.between(Math.min(6, recruiter.level + 1), 6) : rng.between(1, 6);
    const { res, phone } = await applyFor(ctx, level, recruiter);
    const got = ctx.expect(res, recruiter && recruiter.status !== 'active' ? ['400 INVITE_INVALID'] : [201]);
    ctx.note(`level ${level} via ${ctx.name(recruiter?.id ?? null)} → ${got}`);
    if (res.status === 201) m.apps.push({ id: res.body.id, level, phone, decided: false });
  },
};

// Signs the new agent in and learns what a client would: its id, code, supplier and certificate number.
export async function welcome(ctx: Ctx, phone: string, level: number): Promise<SimAgent> {
  const login = await ctx.call('/api/auth/login', {
    body: { role: 'agent', account: phone, password: PASSWORD },
  });
  ctx.expect(login, [200], 'login');
  const token = sessionToken(login);
  const me = await ctx.call<{ id: string; code: string; supplierId: string | null; certificateNumber: string | null }>(
    '/api/agents/me',
    { token },
  );
  ctx.expect(me, [200], 'me');
  // The brand pays withdrawals by hand, to this account.
  const payout = await ctx.call('/api/agents/me/payout-account', {
    method: 'PUT',
    token,
    body: { kind: 'alipay', name: '代理', account: `${phone}@example.com` },
  });
  ctx.expect(payout, [200], 'payout account');
  if (!me.body.certificateNumber) ctx.fail('certificate-issued', 'an approved agent has no certificate');
  return {
    id: me.body.id,
    code: me.body.code,
    phone,
    token,
    certNumber: me.body.certificateNumber ?? '',
    level,
    status: 'active',
    supplierId: me.body.supplierId,
  };
}

// What approving should answer, from the application's approver as stored now.
export async function approvalOf(m: Model, appId: string) {
  const app = await row<{ supplierId: string | null; level: number }>(
    'SELECT supplier_id AS supplierId, level FROM applications WHERE id = ?',
    appId,
  );
  const supplier = agentOf(m, app?.supplierId ?? null);
  const allowed: Allowed[] = !supplier
    ? [200]
    : supplier.status !== 'active'
      ? ['409 INVALID_STATE']
      : supplier.level >= (app?.level ?? 0)
        ? ['409 LEVEL_CONFLICT']
        : [200];
  return { supplier, token: supplier ? supplier.token : m.adminToken, allowed };
}

export async function approve(ctx: Ctx, appIndex: number, allowed?: Allowed[]) {
  const { m } = ctx;
  const app = m.apps[appIndex];
  if (!app) return;
  const expected = await approvalOf(m, app.id);
  const res = await ctx.call<{ agentId: string }>(`/api/applications/${app.id}/approve`, {
    method: 'POST',
    token: expected.token,
  });
  const got = ctx.expect(
    res,
    allowed ?? expected.allowed,
    `app${appIndex} by ${ctx.name(expected.supplier?.id ?? null)}`,
  );
  ctx.note(`app${appIndex} (level ${app.level}) by ${ctx.name(expected.supplier?.id ?? null)} → ${got}`);
  if (res.status !== 200) return;
  app.decided = true;
  const agent = await welcome(ctx, app.phone, app.level);
  m.agents.push(agent);
  ctx.note(`= A${m.agents.length - 1} under ${ctx.name(agent.supplierId)}`);
}

const approveOp: Op = {
  name: 'approve',
  weight: (m) => (pending(m).length > 0 ? 10 : 0),
  async run(ctx) {
    const app = ctx.rng.pick(pending(ctx.m));
    if (app) await approve(ctx, ctx.m.apps.indexOf(app));
  },
};

const reject: Op = {
  name: 'reject',
  weight: (m) => (pending(m).length > 0 ? 1.5 : 0),
  async run(ctx) {
    const { m } = ctx;
    const app = ctx.rng.pick(pending(m));
    if (!app) return;
    const { token, supplier } = await approvalOf(m, app.id);
    const res = await ctx.call(`/api/applications/${app.id}/reject`, { token, body: { reason: '资料不全' } });
    ctx.note(`app${m.apps.indexOf(app)} by ${ctx.name(supplier?.id ?? null)} → ${ctx.expect(res, [200])}`);
    app.decided = true;
  },
};

// An upgrade keeps the supplier while it is still strictly higher, else takes the nearest strictly higher active
// agent up the chain (or the brand); a downgrade keeps the supplier.
function supplierAfter(m: Model, agent: SimAgent, level: number): string | null {
  if (level > agent.level) return agent.supplierId;
  const chain = chainOf(m, agent);
  const current = chain[0];
  if (!current || current.level < level) return current?.id ?? null;
  return chain.find((a) => a.status === 'active' && a.level < level)?.id ?? null;
}

export async function changeLevel(ctx: Ctx, agent: SimAgent, level: number, allowed?: Allowed[]) {
  const { m } = ctx;
  const down = await row<{ top: number | null }>(
    "SELECT min(level) AS top FROM agents WHERE supplier_id = ? AND status <> 'revoked'",
    agent.id,
  );
  const blocked = level > agent.level && down?.top !== null && down?.top !== undefined && down.top <= level;
  const res = await ctx.call<{ level: number; supplierId: string | null }>(`/api/agents/${agent.id}/level`, {
    token: m.adminToken,
    body: { level, reason: '业绩调整' },
  });
  const got = ctx.expect(res, allowed ?? (blocked ? ['409 LEVEL_CONFLICT'] : [200]));
  ctx.note(`${ctx.name(agent.id)} ${agent.level} → ${level} → ${got}`);
  if (res.status === 200 && !allowed) {
    same(ctx, 'level', res.body.level, level);
    same(ctx, 'supplier after level change', ctx.name(res.body.supplierId), ctx.name(supplierAfter(m, agent, level)));
  }
}

const level: Op = {
  name: 'level',
  weight: (m) => (live(m).length > 0 ? 3 : 0),
  async run(ctx) {
    const agent = ctx.rng.pick(live(ctx.m));
    if (!agent) return;
    // Any other of the six levels.
    await changeLevel(ctx, agent, ((agent.level + ctx.rng.between(1, 5) - 1) % 6) + 1);
  },
};

export async function setStatus(
  ctx: Ctx,
  agent: SimAgent,
  action: 'suspend' | 'resume' | 'revoke',
  allowed?: Allowed[],
) {
  const from = { suspend: ['active'], resume: ['suspended'], revoke: ['active', 'suspended'] }[action];
  const res = await ctx.call<{ status: string }>(`/api/agents/${agent.id}/${action}`, {
    token: ctx.m.adminToken,
    body: { reason: '品牌方处理' },
  });
  const got = ctx.expect(res, allowed ?? (from.includes(agent.status) ? [200] : ['409 INVALID_STATE']));
  ctx.note(`${action} ${ctx.name(agent.id)} (${agent.status}) → ${got}`);
  if (res.status === 200 && !allowed) {
    same(ctx, 'status', res.body.status, { suspend: 'suspended', resume: 'active', revoke: 'revoked' }[action]);
  }
}

const suspend: Op = {
  name: 'suspend',
  weight: (m) => (active(m).length > 2 ? 2 : 0),
  async run(ctx) {
    const agent = ctx.rng.pick(live(ctx.m));
    if (agent) await setStatus(ctx, agent, 'suspend');
  },
};

const resume: Op = {
  name: 'resume',
  weight: (m) => (m.agents.some((a) => a.status === 'suspended') ? 2.5 : 0),
  async run(ctx) {
    const agent = ctx.rng.pick(ctx.m.agents.filter((a) => a.status !== 'active'));
    if (agent) await setStatus(ctx, agent, 'resume');
  },
};

const revoke: Op = {
  name: 'revoke',
  weight: (m) => (live(m).length > 6 ? 0.6 : 0),
  async run(ctx) {
    const agent = ctx.rng.pick(live(ctx.m));
    if (agent) await setStatus(ctx, agent, 'revoke');
  },
};

// A new phone, or one a guest paid an order with (the signup claims that guest's member and keeps its binding unless
// the bound agent was revoked). The phone is proved by its SMS code, so a signup through an active agent's link binds
// it there; its answer names a binding only when it is to the signup link's agent.
const signup: Op = {
  name: 'memberSignup',
  weight: (m) => (m.members.length < 15 ? 1.5 : 0.3),
  async run(ctx) {
    const { m, rng } = ctx;
    const agent = rng.chance(0.85) ? rng.pick(live(m)) : undefined;
    const phone = (rng.chance(0.3) && rng.pick(m.guests)) || ctx.uniquePhone();
    const existing = await row<{ bound: string | null; claimed: number }>(
      "SELECT bound_agent_id AS bound, password_hash <> '' AS claimed FROM members WHERE phone = ?",
      phone,
    );
    const kept = agentOf(m, existing?.bound ?? null);
    // The binding after signup: kept unless revoked, else the link's agent (the SMS code proves the phone); the
    // answer names it only when it is the link's agent.
    const bound = kept && kept.status !== 'revoked' ? kept.id : agent?.status === 'active' ? agent.id : null;
    const want = bound !== null && bound === agent?.id ? bound : null;
    // The phone is proved as a person would: a code requested, read from the SMS simulator, typed in. The same phone
    // again within the minute is refused by the per-phone limit.
    const sent = await ctx.call('/api/sms/codes', { body: { phone, purpose: 'signup' } });
    if (ctx.expect(sent, [202, '429 RATE_LIMITED'], 'code') !== '202') return ctx.note('code rate limited');
    const sms = await ctx.call<{ code: string }>(`/api/dev/sms?phone=${phone}`);
    ctx.expect(sms, [200], 'simulator');
    const res = await ctx.call<{ id: string; boundAgent: { id: string } | null }>('/api/members', {
      body: {
        phone,
        name: '李顾客',
        password: PASSWORD,
        smsCode: sms.body.code,
        ...(agent ? { ref: agent.code } : {}),
      },
    });
    const got = ctx.expect(res, existing?.claimed ? ['409 DUPLICATE_PHONE'] : [201]);
    ctx.note(
      `${existing ? `guest ${phone.slice(-4)} bound to ${ctx.name(existing.bound)}` : 'new'}, ref ${ctx.name(agent?.id ?? null)} → ${got}`,
    );
    if (res.status !== 201) return;
    same(ctx, 'binding', ctx.name(res.body.boundAgent?.id ?? null), ctx.name(want));
    m.members.push({ id: res.body.id, token: sessionToken(res), boundAgentId: bound });
  },
};

export const networkOps: Op[] = [apply, approveOp, reject, level, suspend, resume, revoke, signup];
