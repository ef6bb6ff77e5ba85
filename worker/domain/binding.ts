// Binding (锁粉): which agent serves and is credited with a consumer's order, and what the order or a signup does to
// the consumer's binding. Pure: the routes read the rows, these rules decide, the routes write in their one batch.

export type BindingPolicy = 'permanent' | 'rebind';
export type AgentStatus = 'active' | 'suspended' | 'revoked';

export const DAY_MS = 86_400_000;

export interface BindingRules {
  policy: BindingPolicy;
  /** Under 'rebind': days without an order after which an order through another agent's shop moves the binding. */
  rebindDays: number;
}

/** The consumer's member row (a signed-up member, or the passwordless one a guest order made for its phone). */
export interface MemberBinding {
  boundAgentId: string | null;
  boundAt: number | null;
  lastOrderAt: number | null;
}

export interface AgentRef {
  id: string;
  status: AgentStatus;
}

/**
 * What placing the order does to the binding:
 * - create: no member has this phone: a passwordless member bound to the seller is created;
 * - bind: the member becomes bound to the seller (its first order, a rebind after the idle period, or its agent was
 *   revoked);
 * - keep: the binding stays; only the last order time moves.
 */
export type BindingWrite =
  | { kind: 'create' }
  | { kind: 'bind'; reason: 'first' | 'rebind' | 'revoked' }
  | { kind: 'keep'; reason: 'bound' | 'bound-suspended' };

export interface OrderBinding {
  /** The agent the order is sold through (served by, credited to); null when no one may sell it (shop closed). */
  sellerId: string | null;
  write: BindingWrite;
}

/**
 * Under 'rebind': from when an order through another agent's shop moves the binding (the rebind period after the last
 * order, or after the binding when it never ordered). Null when it never does ('permanent', or not bound).
 */
export function rebindableAt(rules: BindingRules, member: MemberBinding): number | null {
  const since = member.lastOrderAt ?? member.boundAt;
  if (rules.policy !== 'rebind' || !member.boundAgentId || since === null) return null;
  return since + rules.rebindDays * DAY_MS;
}

/**
 * Who sells a consumer order placed through `shop` (the shop link opened; null when its code is unknown) by `member`
 * (null: a guest whose phone no member has), bound to `bound` (its agent row, null when unbound).
 * - A bound member is served by its bound agent, whichever shop it opened, unless the brand allows rebinding and the
 *   member has been idle for the period: then this shop's agent serves it and the binding moves there.
 * - A suspended bound agent earns nothing: the shop's agent serves the order and the binding stays (a suspension can
 *   be lifted). A revoked one is final: the shop's agent serves the order and the binding moves there.
 * - A consumer with no binding is bound by this order to the shop's agent.
 * The seller must be active; otherwise sellerId is null and the order is refused as a closed shop.
 */
export function orderBinding(
  rules: BindingRules,
  now: number,
  shop: AgentRef | null,
  member: MemberBinding | null,
  bound: AgentRef | null,
): OrderBinding {
  const shopSeller = shop?.status === 'active' ? shop.id : null;
  if (!member) return { sellerId: shopSeller, write: { kind: 'create' } };
  if (!member.boundAgentId || !bound) return { sellerId: shopSeller, write: { kind: 'bind', reason: 'first' } };
  if (bound.status === 'revoked') return { sellerId: shopSeller, write: { kind: 'bind', reason: 'revoked' } };
  if (bound.status === 'suspended') return { sellerId: shopSeller, write: { kind: 'keep', reason: 'bound-suspended' } };
  const elsewhere = shopSeller !== null && shopSeller !== bound.id;
  const movable = rebindableAt(rules, member);
  if (elsewhere && movable !== null && now >= movable) {
    return { sellerId: shopSeller, write: { kind: 'bind', reason: 'rebind' } };
  }
  return { sellerId: bound.id, write: { kind: 'keep', reason: 'bound' } };
}

/**
 * The binding a signup ends with. Claiming the passwordless member a guest's paid order made keeps its binding, unless
 * that agent was revoked; a suspended agent keeps its customers, as it does for orders. Otherwise the member is bound to
 * the agent whose link it came through only when the signup proved the phone (an SMS code): an unproved signup binds
 * nothing, so a typed-in phone cannot be taken for an agent.
 */
export function signupBinding(
  ref: AgentRef | null,
  existing: { boundAgentId: string | null; boundAt: number | null; bound: AgentRef | null } | null,
  now: number,
  phoneProved = false,
): { boundAgentId: string | null; boundAt: number | null } {
  if (existing?.boundAgentId && existing.bound && existing.bound.status !== 'revoked') {
    return { boundAgentId: existing.boundAgentId, boundAt: existing.boundAt };
  }
  return phoneProved && ref?.status === 'active'
    ? { boundAgentId: ref.id, boundAt: now }
    : { boundAgentId: null, boundAt: null };
}

/**
 * What booking the payment of a consumer order does to its buyer's binding (a paid order is the proof; an unpaid or
 * cancelled one never binds):
 * - create: no member has the phone: a passwordless member bound to the order's seller;
 * - bind: bound to the seller (unbound, its agent revoked, or idle past the rebind period under 'rebind');
 * - touch: the binding stays, the last order time moves;
 * - none: a guest order naming a signed-up member's phone changes nothing on that member.
 */
export type PaymentBinding = { kind: 'create' } | { kind: 'bind' } | { kind: 'touch' } | { kind: 'none' };

export function paymentBinding(
  rules: BindingRules,
  now: number,
  seller: AgentRef,
  byMember: boolean,
  member: (MemberBinding & { hasPassword: boolean }) | null,
  bound: AgentRef | null,
): PaymentBinding {
  if (!member) return { kind: 'create' };
  if (!byMember && member.hasPassword) return { kind: 'none' };
  if (seller.status !== 'active') return { kind: 'touch' };
  if (!member.boundAgentId || !bound || bound.status === 'revoked') return { kind: 'bind' };
  if (bound.id === seller.id || bound.status === 'suspended') return { kind: 'touch' };
  const movable = rebindableAt(rules, member);
  return movable !== null && now >= movable ? { kind: 'bind' } : { kind: 'touch' };
}

/**
 * What a shop tells a signed-in member bound to another agent: that agent serves this order (and, under 'rebind',
 * from when an order here would move the binding instead), or the binding moves here with this order. Nothing when
 * the shop's own agent serves it as it would a guest (no binding, its own customer, a suspended bound agent).
 */
export type ShopNotice = { kind: 'bound-serves'; movableAt: number | null } | { kind: 'moves-here' };

export function shopNotice(
  rules: BindingRules,
  now: number,
  shop: AgentRef,
  member: MemberBinding,
  bound: AgentRef | null,
): ShopNotice | null {
  if (!bound || bound.id === shop.id || shop.status !== 'active') return null;
  const decision = orderBinding(rules, now, shop, member, bound);
  if (decision.sellerId === bound.id) return { kind: 'bound-serves', movableAt: rebindableAt(rules, member) };
  return decision.write.kind === 'bind' ? { kind: 'moves-here' } : null;
}
