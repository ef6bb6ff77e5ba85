import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AgentRef, type BindingRules, DAY_MS, paymentBinding } from '../worker/domain/binding';
import worker from '../worker/index';
import {
  admin,
  api,
  createAgent,
  expectError,
  freshIp,
  PASSWORD,
  sessionToken,
  type TestAgent,
  uniquePhone,
  withSmsCode,
} from './helpers';
import { guestOrder, notify, type OrderBody, product, RETAIL, setModel, transaction } from './order-helpers';

const NOW = Date.UTC(2026, 5, 1);
const rules: BindingRules = { policy: 'rebind', rebindDays: 30 };
const seller: AgentRef = { id: 'agt_seller', status: 'active' };
const other: AgentRef = { id: 'agt_other', status: 'active' };
const member = (boundAgentId: string | null, hasPassword: boolean, idleDays = 1) => ({
  boundAgentId,
  boundAt: NOW - 400 * DAY_MS,
  lastOrderAt: NOW - idleDays * DAY_MS,
  hasPassword,
});

describe('paymentBinding (worker/domain/binding.ts)', () => {
  it('a paid order makes or binds a member; a guest order never touches one that signed up', () => {
    expect(paymentBinding(rules, NOW, seller, false, null, null)).toEqual({ kind: 'create' });
    expect(paymentBinding(rules, NOW, seller, false, member(null, false), null)).toEqual({ kind: 'bind' });
    expect(paymentBinding(rules, NOW, seller, false, member(null, true), null)).toEqual({ kind: 'none' });
    expect(paymentBinding(rules, NOW, seller, false, member(other.id, true, 90), other)).toEqual({ kind: 'none' });
    expect(paymentBinding(rules, NOW, seller, true, member(null, true), null)).toEqual({ kind: 'bind' });
  });

  it('keeps a binding to another agent unless revoked or idle past the rebind period', () => {
    expect(paymentBinding(rules, NOW, seller, true, member(other.id, true), other)).toEqual({ kind: 'touch' });
    expect(paymentBinding(rules, NOW, seller, true, member(other.id, true, 30), other)).toEqual({ kind: 'bind' });
    const permanent: BindingRules = { policy: 'permanent', rebindDays: 30 };
    expect(paymentBinding(permanent, NOW, seller, true, member(other.id, true, 900), other)).toEqual({
      kind: 'touch',
    });
    const revoked = { ...other, status: 'revoked' as const };
    expect(paymentBinding(permanent, NOW, seller, true, member(other.id, true), revoked)).toEqual({ kind: 'bind' });
    const suspended = { ...other, status: 'suspended' as const };
    expect(paymentBinding(rules, NOW, seller, false, member(other.id, false, 90), suspended)).toEqual({
      kind: 'touch',
    });
    expect(paymentBinding(rules, NOW, seller, true, member(seller.id, true), seller)).toEqual({ kind: 'touch' });
  });
});

async function bindingOf(phone: string) {
  return env.DB.prepare('SELECT id, bound_agent_id, bound_proof, bound_proof_ref FROM members WHERE phone = ?')
    .bind(phone)
    .first<{ id: string; bound_agent_id: string | null; bound_proof: string | null; bound_proof_ref: string | null }>();
}

let a: TestAgent;
let b: TestAgent;
let prd: string;

beforeAll(async () => {
  await setModel('direct');
  await api('/api/brand/settings', { method: 'PATCH', token: await admin(), body: { bindingPolicy: 'permanent' } });
  a = await createAgent(6, undefined, '甲代理');
  b = await createAgent(6, undefined, '乙代理');
  prd = await product(1000);
});

describe('only a paid order binds (锁粉 needs proof)', () => {
  it('a squatting unpaid guest order binds nothing; once paid it binds, with the order as proof', async () => {
    const phone = uniquePhone();
    const squat = await guestOrder(b.code, prd, 1, 'online', {}, phone);
    expect(squat.status).toBe(201);
    expect(await bindingOf(phone)).toBeNull();
    // The real buyer's paid order through its own agent binds the phone there.
    const real = await guestOrder(a.code, prd, 1, 'online', {}, phone);
    await notify(transaction(real.body.id, RETAIL));
    expect(await bindingOf(phone)).toMatchObject({
      bound_agent_id: a.id,
      bound_proof: 'order',
      bound_proof_ref: real.body.id,
    });
  });

  it('a cancelled order never binds, not even when its payment arrives late', async () => {
    const phone = uniquePhone();
    const placed = await guestOrder(b.code, prd, 1, 'online', {}, phone);
    const ctx = createExecutionContext();
    const at = (placed.body.expiresAt ?? 0) + 1;
    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await notify(transaction(placed.body.id, RETAIL))).status).toBe(200);
    expect(await bindingOf(phone)).toBeNull();
  });

  it('a guest order naming a signed-up member’s phone neither rebinds it nor names its agent', async () => {
    const phone = uniquePhone();
    const signup = await api('/api/members', {
      body: await withSmsCode({ phone, name: '会员丁', password: PASSWORD }),
      headers: { 'cf-connecting-ip': freshIp() },
    });
    const own = await api<OrderBody>('/api/orders', {
      token: sessionToken(signup),
      body: {
        kind: 'consumer',
        shopCode: a.code,
        lines: [{ productId: prd, qty: 1 }],
        paymentMethod: 'online',
        shipping: { name: '会员丁', phone, address: '北京市朝阳区建国路 88 号' },
      },
    });
    await notify(transaction(own.body.id, RETAIL));
    const bound = await bindingOf(phone);
    expect(bound).toMatchObject({ bound_agent_id: a.id, bound_proof: 'order' });

    const squat = await guestOrder(b.code, prd, 1, 'offline', {}, phone);
    expect(squat.status).toBe(201);
    expect(squat.body).toMatchObject({ agentId: null, payeeId: 'brand' });
    expect(JSON.stringify(squat.body)).not.toContain(a.id);
    await api(`/api/orders/${squat.body.id}/confirm-payment`, { method: 'POST', token: await admin() });
    expect(await bindingOf(phone)).toEqual(bound);
    // Its name is not changed either (a guest order never writes a signed-up member).
    const name = await env.DB.prepare('SELECT name FROM members WHERE phone = ?').bind(phone).first<{ name: string }>();
    expect(name?.name).toBe('会员丁');
  });
});

describe('POST /api/brand/members/{id}/binding', () => {
  it('the brand moves a binding and removes it, each with its reason in the audit log', async () => {
    const phone = uniquePhone();
    const placed = await guestOrder(a.code, prd, 1, 'online', {}, phone);
    await notify(transaction(placed.body.id, RETAIL));
    const m = await bindingOf(phone);
    const token = await admin();
    const path = `/api/brand/members/${m?.id}/binding`;
    const moved = await api<{ auditId: string }>(path, { token, body: { agentId: b.id, reason: '顾客申请改绑' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await bindingOf(phone)).toMatchObject({
      bound_agent_id: b.id,
      bound_proof: 'brand',
      bound_proof_ref: moved.body.auditId,
    });
    const removed = await api(path, { token, body: { agentId: null, reason: '抢粉纠纷' } });
    expect(removed.status).toBe(200);
    expect(await bindingOf(phone)).toMatchObject({ bound_agent_id: null, bound_proof: null });
    const log = await api<{ items: { action: string; detail: Record<string, unknown> }[] }>(
      `/api/audit?targetId=${m?.id}`,
      { token },
    );
    expect(log.body.items.map((e) => [e.action, e.detail])).toEqual([
      ['member.binding.remove', { from: b.id, to: null, reason: '抢粉纠纷' }],
      ['member.binding.move', { from: a.id, to: b.id, reason: '顾客申请改绑' }],
    ]);
  });

  it('refuses agents and members, a revoked agent, an unknown member, and writes nothing', async () => {
    const phone = uniquePhone();
    const placed = await guestOrder(a.code, prd, 1, 'online', {}, phone);
    await notify(transaction(placed.body.id, RETAIL));
    const m = await bindingOf(phone);
    const path = `/api/brand/members/${m?.id}/binding`;
    const body = { agentId: b.id, reason: '测试' };
    expectError(await api(path, { token: b.token, body }), 403, 'FORBIDDEN');
    expectError(await api(path, { body }), 401, 'UNAUTHENTICATED');
    const gone = await createAgent(6);
    const token = await admin();
    await api(`/api/agents/${gone.id}/revoke`, { token, body: { reason: '测试' } });
    expectError(await api(path, { token, body: { agentId: gone.id, reason: '测试' } }), 409, 'INVALID_STATE');
    expectError(await api(`/api/brand/members/mem_nope/binding`, { token, body }), 404, 'NOT_FOUND');
    expectError(await api(path, { token, body: { agentId: b.id, reason: '' } }), 400, 'VALIDATION_FAILED', 'reason');
    expect(await bindingOf(phone)).toMatchObject({ bound_agent_id: a.id });
  });
});
