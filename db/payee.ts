import { eq, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { agents, brand, certificates, levels } from './schema';

export interface Payee {
  name: string;
  payNote: string;
  /** The payee's 收款码 (an uploaded picture's path), or null when it has none. */
  payQrUrl: string | null;
}

// Who is paid for an order and how to pay them offline: the brand's or the agent's own payment note and 收款码, and
// for an agent its WeChat ID (printed on its public certificate anyway).
export async function payeeDetails(db: Db, payeeId: string): Promise<Payee> {
  if (payeeId === 'brand') {
    const [row] = await db
      .select({ name: brand.name, payNote: brand.payNote, payQrUrl: brand.payQrUrl })
      .from(brand)
      .where(eq(brand.id, 1));
    return { name: row?.name ?? '', payNote: row?.payNote ?? '', payQrUrl: row?.payQrUrl || null };
  }
  const [row] = await db
    .select({ name: agents.name, payNote: agents.payNote, wechat: agents.wechat, payQrUrl: agents.payQrUrl })
    .from(agents)
    .where(eq(agents.id, payeeId))
    .limit(1);
  if (!row) return { name: '', payNote: '', payQrUrl: null };
  return { name: row.name, payNote: row.payNote || `微信号：${row.wechat}`, payQrUrl: row.payQrUrl || null };
}

export type ServingAgent = { name: string; levelName: string; certNumber: string | null };

// The agent serving a consumer order as its buyer sees it: the name, level and certificate the shop page shows.
export async function servingAgent(db: Db, agentId: string): Promise<ServingAgent | null> {
  const [row] = await db
    .select({
      name: sql<string>`${agents.name}`.as('agent_name'),
      levelName: sql<string>`${levels.name}`.as('level_name'),
      certNumber: sql<string | null>`${certificates.number}`.as('cert_number'),
    })
    .from(agents)
    .innerJoin(levels, eq(levels.rank, agents.level))
    .leftJoin(certificates, eq(certificates.agentId, agents.id))
    .where(eq(agents.id, agentId))
    .limit(1);
  return row ?? null;
}
