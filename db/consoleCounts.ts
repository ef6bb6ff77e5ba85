import { sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { idFloor } from './ids';

/** Each count stops at this many rows: the tab bar shows up to COUNT_CAP - 1 and then "N+". */
export const COUNT_CAP = 21 as const;

export interface ConsoleCounts {
  applications: number;
  toShip: number;
  toConfirm: number;
  withdrawing: number;
  notices: number;
}

// count(*) over at most COUNT_CAP rows of one index range.
const capped = (from: ReturnType<typeof sql>) => sql`(SELECT count(*) FROM (SELECT 1 FROM ${from} LIMIT ${COUNT_CAP}))`;

/**
 * The agent console's to-do counts in one statement, each read through its own index and cut at COUNT_CAP rows, so
 * the light poll reads at most 5 × COUNT_CAP rows whatever the size of the network or its history.
 */
export function consoleCounts(db: Db, agentId: string, noticesSince: number) {
  return db.get<ConsoleCounts>(sql`SELECT
    ${capped(sql`applications WHERE supplier_id = ${agentId} AND status = 'pending'`)} AS applications,
    ${capped(sql`orders WHERE stock_owner_id = ${agentId} AND status = 'paid'`)} AS toShip,
    ${capped(sql`orders WHERE payee_id = ${agentId} AND status = 'pending_payment' AND payment_method = 'offline'`)} AS toConfirm,
    ${capped(sql`withdrawals WHERE agent_id = ${agentId} AND status = 'requested'`)} AS withdrawing,
    ${capped(sql`agent_notices WHERE agent_id = ${agentId} AND id >= ${idFloor('ntc', noticesSince + 1)} AND created_at > ${noticesSince}`)} AS notices`);
}
