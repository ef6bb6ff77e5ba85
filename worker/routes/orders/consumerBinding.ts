import { changedGuard } from '../../../db/guard';
import { newId } from '../../../db/ids';
import {
  insertPasswordless,
  type MemberBindingRow,
  type MemberKey,
  memberBindingQuery,
  recordOrder,
} from '../../../db/members';
import type { OrderBinding } from '../../domain/binding';
import type { ChainAgent } from '../../domain/settlement';
import type { BatchItem, Db } from '../../env';

// A consumer order's binding (锁粉): rules in worker/domain/binding.ts, rows in db/members.ts.

// The consumer's member row as the binding rules see it, and its bound agent as a link of a seller chain.
export function bindingOf(row: MemberBindingRow | undefined) {
  if (!row) return { member: null, bound: null };
  const member = { boundAgentId: row.boundAgentId, boundAt: row.boundAt, lastOrderAt: row.lastOrderAt };
  const bound: ChainAgent | null =
    row.boundAgentId && row.boundStatus && row.boundLevel !== null
      ? { id: row.boundAgentId, level: row.boundLevel, status: row.boundStatus }
      : null;
  return { member, bound };
}

// What the order writes to the consumer's member row (the guard aborts the batch if the row moved meanwhile).
export function bindingWrites(
  db: Db,
  decision: OrderBinding,
  row: MemberBindingRow | undefined,
  guest: { phone: string; name: string } | null,
  now: number,
): BatchItem[] {
  const sellerId = decision.sellerId ?? '';
  if (decision.write.kind === 'create') {
    return guest
      ? [
          insertPasswordless(db, {
            id: newId('mem', now),
            phone: guest.phone,
            name: guest.name,
            agentId: sellerId,
            now,
          }),
        ]
      : [];
  }
  if (!row) return [];
  return [recordOrder(db, row, now, decision.write.kind === 'bind' ? sellerId : null), changedGuard(db)];
}

// After a refused write: did a concurrent order change the member row this order was decided on?
export async function memberMoved(db: Db, key: MemberKey, read: MemberBindingRow | undefined): Promise<boolean> {
  const [now] = await memberBindingQuery(db, key);
  return now?.boundAgentId !== read?.boundAgentId || now?.lastOrderAt !== read?.lastOrderAt;
}
