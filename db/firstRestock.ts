import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { applications, levels, orders } from './schema';

// Whether the agent joined through an approved application (founding and imported agents did not, and owe no first
// order), whether it has a restock that is not cancelled (through orders_agent: its own orders, stopping at one), and
// its level's 首单金额.
export function firstRestockQueries(db: Db, agentId: string, level: number) {
  return [
    db
      .select({ id: applications.id })
      .from(applications)
      .where(and(eq(applications.agentId, agentId), eq(applications.status, 'approved')))
      .limit(1),
    db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.agentId, agentId), eq(orders.kind, 'restock'), ne(orders.status, 'cancelled')))
      .limit(1),
    db.select({ name: levels.name, firstOrderFen: levels.firstOrderFen }).from(levels).where(eq(levels.rank, level)),
  ] as const;
}
