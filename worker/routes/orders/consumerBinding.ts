import { newId } from '../../../db/ids';
import { insertPasswordless, type MemberBindingRow, recordPaidOrder } from '../../../db/members';
import type { OrderRow } from '../../../db/orders';
import { type AgentRef, type BindingRules, paymentBinding } from '../../domain/binding';
import type { ChainAgent } from '../../domain/settlement';
import type { BatchItem, Db } from '../../env';

// A consumer order's binding (锁粉): rules in worker/domain/binding.ts, rows in db/members.ts.

// The consumer's member row as the binding rules see it, and its bound agent as a link of a seller chain.
export function bindingOf(row: MemberBindingRow | undefined) {
  if (!row) return { member: null, bound: null };
  const member = {
    boundAgentId: row.boundAgentId,
    boundAt: row.boundAt,
    lastOrderAt: row.lastOrderAt,
    hasPassword: Boolean(row.hasPassword),
  };
  const bound: ChainAgent | null =
    row.boundAgentId && row.boundStatus && row.boundLevel !== null
      ? { id: row.boundAgentId, level: row.boundLevel, status: row.boundStatus }
      : null;
  return { member, bound };
}

// What booking a consumer order's payment writes to its buyer's member row: the paid order is the binding's proof.
// None of these writes can fail the payment's batch; a concurrent change of the row wins.
export function paidOrderBindingWrites(
  db: Db,
  rules: BindingRules,
  order: OrderRow,
  seller: AgentRef | undefined,
  row: MemberBindingRow | undefined,
  now: number,
): BatchItem[] {
  if (order.kind !== 'consumer' || !seller) return [];
  const byMember = order.memberId !== null;
  const { member, bound } = bindingOf(row);
  const write = paymentBinding(rules, now, seller, byMember, member, bound);
  if (write.kind === 'create') {
    if (byMember || !order.shipPhone || !order.shipName) return [];
    const values = { phone: order.shipPhone, name: order.shipName, agentId: seller.id, orderId: order.id, now };
    return [insertPasswordless(db, { id: newId('mem', now), ...values })];
  }
  if (write.kind === 'none' || !row) return [];
  const bindTo = write.kind === 'bind' ? { agentId: seller.id, orderId: order.id } : null;
  return [recordPaidOrder(db, row, byMember, now, bindTo)];
}
