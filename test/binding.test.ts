import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentRef,
  type BindingRules,
  DAY_MS,
  type MemberBinding,
  orderBinding,
  rebindableAt,
  shopNotice,
  signupBinding,
} from '../worker/domain/binding';
import { idleFor, memberOf, order, placeOrder, sellerOf, setPolicy, sharesOf, signup } from './binding-helpers';
import {
  admin,
  api,
  createAgent,
  expectError,
  freshIp,
  login,
  PASSWORD,
  sessionToken,
  type TestAgent,
  uniquePhone,
} from './helpers';
import { notify, PRICES, product, RETAIL, setModel, transaction } from './order-helpers';

const NOW = Date.UTC(2026, 5, 1);
const permanent: BindingRules = { policy: 'permanent', rebindDays: 30 };
const rebind: BindingRules = { policy: 'rebind', rebindDays: 30 };
const shop: AgentRef = { id: 'agt_shop', status: 'active' };
const own: AgentRef = { id: 'agt_own', status: 'active' };
const boundTo = (lastOrderAt: number | null, boundAt = NOW - 400 * DAY_MS): MemberBinding => ({
  boundAgentId: own.id,
  boundAt,
  lastOrderAt,
});

describe('binding rules (worker/domain/binding.ts)', () => {
  it('a phone no member has: the shop’s agent sells and a member bound to it is created', () => {
    expect(orderBinding(permanent, NOW, shop, null, null)).toEqual({ sellerId: shop.id, write: { kind: 'create' } });
    expect(orderBinding(permanent, NOW, { ...shop, status: 'suspended' }, null, null).sellerId).toBeNull();
    expect(orderBinding(permanent, NOW, null, null, null).sellerId).toBeNull();
  });

  it('an unbound member is bound by its first order to the shop’s agent', () => {
    const unbound = { boundAgentId: null, boundAt: null, lastOrderAt: null };
    expect(orderBinding(rebind, NOW, shop, unbound, null)).toEqual({
      sellerId: shop.id,
      write: { kind: 'bind', reason: 'first' },
    });
  });

  it('a bound member is served by its agent, whichever shop it opened, under permanent however long it was idle', () => {
    const idle = boundTo(NOW - 3000 * DAY_MS);
    expect(orderBinding(permanent, NOW, shop, idle, own)).toEqual({
      sellerId: own.id,
      write: { kind: 'keep', reason: 'bound' },
    });
    // An unknown or closed shop code does not matter to a bound member.
    expect(orderBinding(permanent, NOW, null, idle, own).sellerId).toBe(own.id);
    expect(orderBinding(permanent, NOW, { ...shop, status: 'revoked' }, idle, own).sellerId).toBe(own.id);
  });

  it('under rebind the binding moves to the shop’s agent exactly when the rebind period has passed', () => {
    const edge = boundTo(NOW - 30 * DAY_MS);
    expect(orderBinding(rebind, NOW, shop, edge, own)).toEqual({
      sellerId: shop.id,
      write: { kind: 'bind', reason: 'rebind' },
    });
    expect(orderBinding(rebind, NOW - 1, shop, edge, own).sellerId).toBe(own.id);
    // Never ordered: counted from the binding.
    expect(orderBinding(rebind, NOW, shop, boundTo(null, NOW - 31 * DAY_MS), own).sellerId).toBe(shop.id);
    expect(orderBinding(rebind, NOW, shop, boundTo(null, NOW - 29 * DAY_MS), own).sellerId).toBe(own.id);
    // Its own agent's shop, or a closed shop, moves nothing.
    expect(orderBinding(rebind, NOW, own, edge, own)).toEqual({
      sellerId: own.id,
      write: { kind: 'keep', reason: 'bound' },
    });
    expect(orderBinding(rebind, NOW, { ...shop, status: 'suspended' }, edge, own).sellerId).toBe(own.id);
    expect(rebindableAt(rebind, edge)).toBe(NOW);
    expect(rebindableAt(permanent, edge)).toBeNull();
  });

  it('a suspended bound agent: the shop’s agent serves and the binding stays; a revoked one: the binding moves', () => {
    const member = boundTo(NOW - DAY_MS);
    expect(orderBinding(permanent, NOW, shop, member, { ...own, status: 'suspended' })).toEqual({
      sellerId: shop.id,
      write: { kind: 'keep', reason: 'bound-suspended' },
    });
    expect(orderBinding(permanent, NOW, shop, member, { ...own, status: 'revoked' })).toEqual({
      sellerId: shop.id,
      write: { kind: 'bind', reason: 'revoked' },
    });
    expect(orderBinding(permanent, NOW, null, member, { ...own, status: 'suspended' }).sellerId).toBeNull();
  });

  it('a signup keeps the binding of the passwordless member it claims, unless its agent was revoked', () => {
    const ref: AgentRef = { id: 'agt_ref', status: 'active' };
    // Only a proved phone binds to the link's agent; an unproved signup binds nothing.
    expect(signupBinding(ref, null, NOW, true)).toEqual({ boundAgentId: ref.id, boundAt: NOW });
    expect(signupBinding(ref, null, NOW)).toEqual({ boundAgentId: null, boundAt: null });
    expect(signupBinding({ ...ref, status: 'suspended' }, null, NOW, true)).toEqual({
      boundAgentId: null,
      boundAt: null,
    });
    const guest = { boundAgentId: own.id, boundAt: NOW - DAY_MS };
    expect(signupBinding(ref, { ...guest, bound: own }, NOW)).toEqual(guest);
    expect(signupBinding(ref, { ...guest, bound: { ...own, status: 'suspended' } }, NOW)).toEqual(guest);
    expect(signupBinding(ref, { ...guest, bound: { ...own, status: 'revoked' } }, NOW, true)).toEqual({
      boundAgentId: ref.id,
      boundAt: NOW,
    });
    expect(signupBinding(ref, { ...guest, bound: { ...own, status: 'revoked' } }, NOW).boundAgentId).toBeNull();
    expect(signupBinding(null, { ...guest, bound: { ...own, status: 'revoked' } }, NOW, true).boundAgentId).toBeNull();
  });

  it('the shop notice says who serves: the bound agent (and from when an order here would move it), or this shop', () => {
    expect(shopNotice(permanent, NOW, shop, boundTo(NOW), own)).toEqual({ kind: 'bound-serves', movableAt: null });
    expect(shopNotice(rebind, NOW, shop, boundTo(NOW - DAY_MS), own)).toEqual({
      kind: 'bound-serves',
      movableAt: NOW + 29 * DAY_MS,
    });
    expect(shopNotice(rebind, NOW, shop, boundTo(NOW - 30 * DAY_MS), own)).toEqual({ kind: 'moves-here' });
    expect(shopNotice(rebind, NOW, own, boundTo(NOW - 30 * DAY_MS), own)).toBeNull();
    expect(shopNotice(permanent, NOW, shop, boundTo(NOW), { ...own, status: 'suspended' })).toBeNull();
  });
});

// Through HTTP, in the direct model: every share of a consumer order is in order_shares.

let first: TestAgent;
let second: TestAgent;
let prd: string;

beforeAll(async () => {
  await setModel('direct');
  first = await createAgent(6, undefined, '林第一');
  second = await createAgent(5, undefined, '郭第二');
  prd = await product();
});

describe('a guest’s first paid order binds its phone (锁粉)', () => {
  it('makes a passwordless member bound to the shop’s agent, the order as proof; the order stays a guest order', async () => {
    await setPolicy('permanent');
    const phone = uniquePhone();
    const res = await order(first.code, prd, phone);
    expect(res.body).toMatchObject({ agentId: null, memberId: null });
    expect(res.seller).toBe(first.id);
    const member = await memberOf(phone);
    expect(member).toMatchObject({ password_hash: '', bound_agent_id: first.id, name: '陈小雨' });
    const proof = await env.DB.prepare('SELECT bound_proof, bound_proof_ref FROM members WHERE phone = ?')
      .bind(phone)
      .first();
    expect(proof).toEqual({ bound_proof: 'order', bound_proof_ref: res.body.id });
    expect(member?.last_order_at).toBe(member?.bound_at);
    // It cannot sign in.
    expectError(
      await api('/api/auth/login', {
        body: { role: 'member', account: phone, password: PASSWORD },
        headers: { 'cf-connecting-ip': freshIp() },
      }),
      401,
      'INVALID_CREDENTIALS',
    );
  });

  it('a later guest order with that phone through another shop is sold through and credits the first agent', async () => {
    await setPolicy('permanent');
    const phone = uniquePhone();
    await order(first.code, prd, phone);
    const later = await order(second.code, prd, phone);
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    expect(later.seller).toBe(first.id);
    // The guest's answer does not say which agent its phone is bound to.
    expect(later.body.agentId).toBeNull();
    // The first agent (level 6) earns R − P6 and the brand keeps P6: the shop's agent earns nothing.
    expect(await sharesOf(later.body.id)).toEqual({ [first.id]: RETAIL - PRICES[5], brand: PRICES[5] });
    const member = await memberOf(phone);
    expect(member?.bound_agent_id).toBe(first.id);
    expect(member?.last_order_at).toBeGreaterThanOrEqual(later.body.createdAt);
  });

  it('reads a bounded number of rows in two round trips, for a new phone and for one bound elsewhere', async () => {
    const phone = uniquePhone();
    await order(first.code, prd, phone);
    for (const code of [first.code, second.code]) {
      const res = await placeOrder(code, prd, phone);
      expect(res.status).toBe(201);
      expect(Number(res.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(2);
      expect(Number(res.headers.get('x-d1-rows-read'))).toBeLessThanOrEqual(60);
    }
  });

  it('two first orders from one phone, through two shops, each credit their shop; the first paid binds the phone', async () => {
    await setPolicy('permanent');
    const phone = uniquePhone();
    const [a, b] = await Promise.all([placeOrder(first.code, prd, phone), placeOrder(second.code, prd, phone)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([await sellerOf(a.body.id), await sellerOf(b.body.id)]).toEqual([first.id, second.id]);
    expect(await memberOf(phone)).toBeNull();
    const paid = await Promise.all([a, b].map((o) => notify(transaction(o.body.id, o.body.amountFen))));
    expect(paid.map((r) => r.status)).toEqual([200, 200]);
    const member = await env.DB.prepare('SELECT bound_agent_id, bound_proof_ref FROM members WHERE phone = ?')
      .bind(phone)
      .first<{ bound_agent_id: string; bound_proof_ref: string }>();
    const proof = member?.bound_proof_ref === a.body.id ? first.id : second.id;
    expect([a.body.id, b.body.id]).toContain(member?.bound_proof_ref);
    expect(member?.bound_agent_id).toBe(proof);
    const count = await env.DB.prepare('SELECT count(*) AS n FROM members WHERE phone = ?')
      .bind(phone)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });
});

describe('rebinding', () => {
  it('under rebind, an order through another agent’s shop after N idle days moves the binding and credits that agent', async () => {
    await setPolicy('rebind', 30);
    const phone = uniquePhone();
    await order(first.code, prd, phone);
    await idleFor(phone, 29);
    const early = await order(second.code, prd, phone);
    expect(early.seller).toBe(first.id);
    expect((await memberOf(phone))?.bound_agent_id).toBe(first.id);

    await idleFor(phone, 31);
    const before = Date.now();
    const moved = await order(second.code, prd, phone);
    expect(moved.status, JSON.stringify(moved.body)).toBe(201);
    expect(moved.seller).toBe(second.id);
    expect(await sharesOf(moved.body.id)).toEqual({ [second.id]: RETAIL - PRICES[4], brand: PRICES[4] });
    const member = await memberOf(phone);
    expect(member?.bound_agent_id).toBe(second.id);
    expect(member?.bound_at).toBeGreaterThanOrEqual(before);
    expect(member?.last_order_at).toBe(member?.bound_at);

    // From now on the new agent serves it, even through the first agent's shop.
    expect((await order(first.code, prd, phone)).seller).toBe(second.id);
    await setPolicy('permanent');
  });

  it('under permanent the binding never moves, however long the member was idle', async () => {
    await setPolicy('permanent');
    const phone = uniquePhone();
    await order(first.code, prd, phone);
    await idleFor(phone, 3650);
    const res = await order(second.code, prd, phone);
    expect(res.seller).toBe(first.id);
    expect((await memberOf(phone))?.bound_agent_id).toBe(first.id);
  });

  it('a signed-in member bound elsewhere rebinds too, and /members/me says from when it may', async () => {
    await setPolicy('rebind', 30);
    const phone = uniquePhone();
    const member = await signup(phone, first.code);
    expect(member.body.boundAgent?.id).toBe(first.id);
    const me = await api<{ rebindableAt: number; boundAt: number }>('/api/members/me', { token: sessionToken(member) });
    expect(me.body.rebindableAt).toBe(me.body.boundAt + 30 * DAY_MS);
    expect((await order(second.code, prd, phone, sessionToken(member))).body.agentId).toBe(first.id);
    await idleFor(phone, 30);
    const moved = await order(second.code, prd, phone, sessionToken(member));
    expect(moved.body).toMatchObject({ agentId: second.id, memberId: member.body.id });
    expect((await memberOf(phone))?.bound_agent_id).toBe(second.id);
    await setPolicy('permanent');
  });

  it('a suspended bound agent: the shop’s agent sells, the binding stays; revoked: the binding moves', async () => {
    await setPolicy('permanent');
    const gone = await createAgent(6, undefined, '何暂停');
    const phone = uniquePhone();
    await order(gone.code, prd, phone);
    const token = await admin();
    await api(`/api/agents/${gone.id}/suspend`, { token, body: { reason: '测试' } });
    const whileSuspended = await order(second.code, prd, phone);
    expect(whileSuspended.seller).toBe(second.id);
    expect((await memberOf(phone))?.bound_agent_id).toBe(gone.id);
    // Its own (closed) shop is no way around it.
    expectError(await placeOrder(gone.code, prd, phone), 409, 'SHOP_CLOSED');

    await api(`/api/agents/${gone.id}/revoke`, { token, body: { reason: '测试' } });
    expect((await order(second.code, prd, phone)).seller).toBe(second.id);
    expect((await memberOf(phone))?.bound_agent_id).toBe(second.id);
  });
});

describe('signing up with a phone a guest ordered with', () => {
  it('claims the passwordless member and keeps its binding, whichever link the signup came through', async () => {
    await setPolicy('permanent');
    const phone = uniquePhone();
    const guest = await order(first.code, prd, phone);
    const before = await memberOf(phone);
    const res = await signup(phone, second.code);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).toBe(before?.id);
    // The answer to whoever typed the phone in does not name the agent it is bound to; the binding stays.
    expect(res.body.boundAgent).toBeNull();
    expect(JSON.stringify(res.body)).not.toContain(first.id);
    const after = await memberOf(phone);
    expect(after?.bound_agent_id).toBe(first.id);
    expect(after?.password_hash).not.toBe('');
    expect(after?.bound_at).toBe(before?.bound_at);
    const token = await login('member', phone);
    expect(token).toBeTruthy();

    // The signup proved the phone by SMS code: the guest's order placed with it is now the account's (issue 15).
    const list = await api<{ items: { id: string }[] }>('/api/orders', { token: sessionToken(res) });
    expect(list.status).toBe(200);
    expect(list.body.items.map((o) => o.id)).toContain(guest.body.id);
    expect((await api(`/api/orders/${guest.body.id}`, { token: sessionToken(res) })).status).toBe(200);

    // Its orders still credit the bound agent; a second signup with the phone is refused.
    expect((await order(second.code, prd, phone, sessionToken(res))).body.agentId).toBe(first.id);
    expectError(await signup(phone, second.code, true), 409, 'DUPLICATE_PHONE', 'phone');
  });

  it('a phone bound to a revoked agent is bound anew through the signup’s link (the SMS code proves it)', async () => {
    await setPolicy('permanent');
    const gone = await createAgent(6, undefined, '罗撤销');
    const phone = uniquePhone();
    await order(gone.code, prd, phone);
    await api(`/api/agents/${gone.id}/revoke`, { token: await admin(), body: { reason: '测试' } });
    const res = await signup(phone, second.code);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.boundAgent?.id).toBe(second.id);
    expect(await memberOf(phone)).toMatchObject({ bound_agent_id: second.id, bound_proof: 'sms' });
  });
});
