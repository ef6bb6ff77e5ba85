import { createRoute, z } from '@hono/zod-openapi';
import { desc, inArray, sql } from 'drizzle-orm';
import { ledgerEntryColumns } from '../../db/ledger';
import { ledgerEntries, orders } from '../../db/schema';
import { archivedOrderNos } from '../archive/orders';
import { archivedMonths } from '../archive/read';
import { olderThanD1 } from '../archive/statement';
import type { Row } from '../archive/store';
import { type StatementAccount, settlementOf, statementFacts, statementWords } from '../domain/statementWords';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { resolveVisibleAgent } from '../lib/access';
import { formatFen } from '../lib/money';
import { AgentIdParam, jsonResponse, PageQuery, pageOf } from '../schemas';
import { AccountName, agentAccounts, heldOrders, newestIds } from './wallet';

// One transaction books at most one entry per order line (≤ 20) on each of two of the agent's accounts; a page reads
// this many entries beyond its lines, so the last line read is always whole.
const ENTRIES_PER_TXN = 40;

const StatementLine = z
  .object({
    key: z.string().openapi({ description: 'Stable within the statement (for lists); not an id to show' }),
    at: z.number().int(),
    kind: z.string().openapi({ description: 'payment, release, refund, withdrawal, withdrawal_paid, fine, …' }),
    direction: z.enum(['in', 'out', 'move']),
    amountFen: z.number().int().openapi({ description: 'Never negative: the direction says which way' }),
    account: AccountName.nullable().openapi({ description: 'Where the money is after it; null when it left' }),
    orderNo: z.string().nullable().openapi({ description: 'The human order number, when it is about an order' }),
    settlement: z.enum(['held', 'released']).nullable().openapi({
      description: 'For an order’s credit: its shares still held (待结算) or released (已结算); else null',
    }),
    words: z.string().openapi({ description: 'What happened, in the reader’s language' }),
  })
  .openapi('StatementLine');

const LinesQuery = PageQuery.extend({
  cursor: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional()
    .openapi({ description: 'nextCursor of the previous page' }),
});

interface Entry {
  id: number;
  txnId: string;
  at: number;
  kind: string;
  account: string;
  amountFen: number;
  orderId: string | null;
  memo: string | null;
}

const toEntry = (r: Row): Entry => ({
  id: Number(r.id),
  txnId: String(r.txnId),
  at: Number(r.at),
  kind: String(r.kind),
  account: String(r.account),
  amountFen: Number(r.amountFen),
  orderId: (r.orderId as string | null) ?? null,
  memo: (r.memo as string | null) ?? null,
});

/** Consecutive entries of one transaction (ids of one batch are consecutive) as one group, newest first. */
function groupByTxn(entries: Entry[]): Entry[][] {
  const groups: Entry[][] = [];
  for (const e of entries) {
    const last = groups.at(-1);
    if (last && last[0]?.txnId === e.txnId) last.push(e);
    else groups.push([e]);
  }
  return groups;
}

export const statementRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/agents/{id}/statement/lines',
    tags: ['wallet'],
    summary: 'An agent’s statement in words: one line per thing that happened, with the human order number',
    description:
      'Each line is one ledger transaction on the agent’s accounts (a move between two of them is one line, not two entries); an order’s credit says whether its shares are still held or released. Reads at most limit + 40 entries of each account, from D1 and then from the archived months in R2.',
    request: { params: AgentIdParam, query: LinesQuery },
    responses: { 200: jsonResponse(pageOf(StatementLine), 'A page of statement lines'), ...errorResponses },
  }),
  async (c) => {
    const { agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
    const { cursor, limit } = c.req.valid('query');
    const lang = c.var.lang;
    const db = c.var.db;
    const accounts = agentAccounts(agentId);
    const names = new Map(Object.entries(accounts).map(([name, acct]) => [acct, name as StatementAccount]));
    const take = limit + ENTRIES_PER_TXN + 1;
    const rows: Entry[] = await db
      .select(ledgerEntryColumns)
      .from(ledgerEntries)
      .where(
        sql`${ledgerEntries.id} IN (${newestIds(Object.values(accounts), cursor ? Number(cursor) : undefined, take)})`,
      )
      .orderBy(desc(ledgerEntries.id))
      .limit(take);
    // Older entries than D1 holds are read back from the archived months, as the statement does.
    const before = cursor ? Number(cursor) : undefined;
    const archived = await olderThanD1(db, c.env.ARCHIVE, rows, Object.values(accounts), before, take);
    let months = archived.months;
    rows.push(...archived.older.map(toEntry));
    const groups = groupByTxn(rows);
    // The last group may continue beyond what was read: it is left for the next page unless the ledger ended.
    const whole = rows.length < take ? groups : groups.slice(0, -1);
    const page = whole.slice(0, limit);
    const orderIds = [...new Set(page.flatMap((g) => (g[0]?.orderId ? [g[0].orderId] : [])))];
    const [numbers, held] = await Promise.all([
      orderIds.length
        ? db.select({ id: orders.id, orderNo: orders.orderNo }).from(orders).where(inArray(orders.id, orderIds))
        : [],
      heldOrders(
        db,
        agentId,
        page.flatMap((g) => g.slice(0, 1)),
      ),
    ]);
    const numberOf = new Map(numbers.map((o) => [o.id, o.orderNo]));
    // An order of an archived month (its entries may be in a later month still in D1) is numbered from R2.
    const missing = orderIds.filter((id) => !numberOf.has(id));
    if (missing.length > 0) {
      months ??= await archivedMonths(db);
      for (const [id, no] of await archivedOrderNos(c.env.ARCHIVE, months, missing)) numberOf.set(id, no);
    }
    const items = page.map((group) => {
      const head = group[0] as Entry;
      const entries = group.map((e) => ({ account: names.get(e.account) ?? 'available', amountFen: e.amountFen }));
      const facts = statementFacts(head.kind, entries);
      const orderNo = head.orderId ? (numberOf.get(head.orderId) ?? null) : null;
      // Memos that are ids (a withdrawal's, a released product's) are for the API; a fine's reason is for people.
      const note = head.kind === 'fine' ? head.memo : null;
      // No entry marks an order's release: its shares' status says whether its credit is still held.
      const settlement = settlementOf({ kind: head.kind, orderId: head.orderId, account: facts.account }, held);
      return {
        key: String(head.id),
        at: head.at,
        kind: head.kind,
        direction: facts.direction,
        amountFen: facts.amountFen,
        account: facts.account,
        orderNo,
        settlement,
        words: statementWords(facts, { amount: formatFen(facts.amountFen), orderNo, note, settlement }, lang),
      };
    });
    const last = page.at(-1)?.at(-1);
    const more = whole.length > limit || rows.length >= take;
    return c.json({ items, nextCursor: more && last ? String(last.id) : null }, 200);
  },
);
