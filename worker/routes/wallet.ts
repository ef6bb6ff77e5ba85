import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { heldOrdersQuery, heldQuery } from '../../db/held';
import { ledgerEntryColumns } from '../../db/ledger';
import { balances, brand, ledgerEntries } from '../../db/schema';
import { archivedLedgerTo } from '../archive/read';
import { olderThanD1 } from '../archive/statement';
import { account } from '../domain/ledger';
import { settlementOf } from '../domain/statementWords';
import type { Db } from '../env';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { resolveVisibleAgent } from '../lib/access';
import { requireCaller } from '../middleware/session';
import { AgentIdParam, jsonResponse, PageQuery, pageOf, toPage } from '../schemas';

export const AccountName = z.enum(['pending', 'available', 'withdrawing', 'offline']);
type AccountName = z.infer<typeof AccountName>;

const Wallet = z
  .object({
    pendingFen: z.number().int().openapi({
      description: 'Shares held until completion plus the freeze period (待结算): credited, not withdrawable',
    }),
    availableFen: z
      .number()
      .int()
      .openapi({ description: 'Withdrawable (可提现): the wallet balance less held shares; negative while in debt' }),
    withdrawingFen: z.number().int().openapi({ description: 'Held by withdrawals the brand has not decided' }),
    offlineFen: z
      .number()
      .int()
      .openapi({ description: 'Received directly from buyers (offline); never withdrawable' }),
    debtFen: z.number().int().openapi({ description: 'What the wallet owes: new earnings repay it first' }),
    withdrawMinFen: z.number().int(),
    withdrawable: z.boolean().openapi({ description: 'No debt and at least the brand’s minimum available' }),
  })
  .openapi('Wallet');

const BrandWallet = z
  .object({
    revenueFen: z.number().int().openapi({ description: 'The brand’s own part of every order' }),
    clearingFen: z.number().int().openapi({ description: 'Collected and not yet credited to anyone' }),
    paidOutFen: z.number().int().openapi({ description: 'Withdrawals paid to agents' }),
  })
  .openapi('BrandWallet');

const StatementEntry = z
  .object({
    id: z.number().int(),
    txnId: z.string(),
    at: z.number().int(),
    kind: z.string(),
    account: AccountName,
    amountFen: z.number().int().openapi({ description: 'Positive in, negative out' }),
    orderId: z.string().nullable(),
    memo: z.string().nullable(),
    settlement: z.enum(['held', 'released']).nullable().openapi({
      description:
        'For an order’s payment credit: its shares still held (待结算) or released (已结算, withdrawable); else null',
    }),
  })
  .openapi('StatementEntry');

const StatementQuery = PageQuery.extend({
  cursor: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional()
    .openapi({ description: 'nextCursor of the previous page' }),
  account: AccountName.optional(),
});

export function agentAccounts(agentId: string): Record<AccountName, string> {
  return {
    pending: account.pending(agentId),
    available: account.available(agentId),
    withdrawing: account.withdrawing(agentId),
    offline: account.offline(agentId),
  };
}

export type WalletView = z.infer<typeof Wallet>;

// The four balances and the brand's minimum, read by primary key in one round trip.
export async function readWallet(db: Db, agentId: string): Promise<WalletView> {
  const accounts = agentAccounts(agentId);
  const [rows, [settings], [held]] = await db.batch([
    db
      .select({ account: balances.account, balanceFen: balances.balanceFen })
      .from(balances)
      .where(inArray(balances.account, Object.values(accounts))),
    db.select({ withdrawMinFen: brand.withdrawMinFen }).from(brand).where(eq(brand.id, 1)).limit(1),
    heldQuery(db, agentId),
  ]);
  const of = (name: AccountName) => rows.find((r) => r.account === accounts[name])?.balanceFen ?? 0;
  // Shares are credited to the wallet account when paid and held until released. The pending account only has
  // entries from before migration 0024, which brought its balance to 0.
  const heldFen = held?.heldFen ?? 0;
  const availableFen = of('available') - heldFen;
  const withdrawMinFen = settings?.withdrawMinFen ?? 0;
  return {
    pendingFen: of('pending') + heldFen,
    availableFen,
    withdrawingFen: of('withdrawing'),
    offlineFen: of('offline'),
    debtFen: Math.max(0, -availableFen),
    withdrawMinFen,
    withdrawable: availableFen >= Math.max(withdrawMinFen, 1),
  };
}

// Newest entries first across several accounts, bounded per page. `account IN (...) ORDER BY id DESC` would make
// SQLite collect every entry of those accounts and sort them; each account's own newest ids come straight off the
// ledger_account index instead, at most limit + 1 of each, and only the merged page is read from the table.
export function newestIds(accounts: string[], before: number | undefined, take: number): SQL {
  const below = before === undefined ? sql`` : sql` AND id < ${before}`;
  // Entries of archived months are read from R2 (a month half deleted must not be read twice).
  const live = sql` AND id > ${archivedLedgerTo}`;
  const perAccount = accounts.map(
    (a) =>
      sql`SELECT id FROM (SELECT id FROM ledger_entries WHERE account = ${a}${below}${live} ORDER BY id DESC LIMIT ${take})`,
  );
  return sql.join(perAccount, sql` UNION ALL `);
}

// Of the orders whose payments a page shows, those in which the agent still has a held share: one read of at most a
// page of orders' shares, through order_shares' primary key.
export async function heldOrders(
  db: Db,
  agentId: string,
  rows: readonly { kind: string; orderId: string | null }[],
): Promise<Set<string>> {
  const orderIds = [...new Set(rows.flatMap((r) => (r.kind === 'payment' && r.orderId ? [r.orderId] : [])))];
  if (orderIds.length === 0) return new Set();
  return new Set((await heldOrdersQuery(db, agentId, orderIds)).map((r) => r.orderId));
}

type EntryRow = Omit<z.infer<typeof StatementEntry>, 'account' | 'settlement'> & { account: string };

// One statement line, the same from D1 and from the archive (so an archived month reads back byte for byte): an
// archived order's shares were all released before its month closed, and D1 then holds none of them held.
function statementEntry(
  r: EntryRow,
  names: Map<string, AccountName>,
  held: ReadonlySet<string>,
): z.infer<typeof StatementEntry> {
  const name = names.get(r.account) as AccountName;
  return {
    id: r.id,
    txnId: r.txnId,
    at: r.at,
    kind: r.kind,
    account: name,
    amountFen: r.amountFen,
    orderId: r.orderId,
    memo: r.memo,
    settlement: settlementOf({ kind: r.kind, orderId: r.orderId, account: name }, held),
  };
}

export const walletRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}/wallet',
      tags: ['wallet'],
      summary: 'An agent’s balances: pending, available (or debt), withdrawing, received offline',
      request: { params: AgentIdParam },
      responses: { 200: jsonResponse(Wallet, 'Wallet'), ...errorResponses },
    }),
    async (c) => {
      const { agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
      return c.json(await readWallet(c.var.db, agentId), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}/statement',
      tags: ['wallet'],
      summary: 'Every movement of an agent’s accounts, newest first; filter by account',
      request: { params: AgentIdParam, query: StatementQuery },
      responses: { 200: jsonResponse(pageOf(StatementEntry), 'A page of ledger entries'), ...errorResponses },
    }),
    async (c) => {
      const { agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
      const { cursor, limit, account: only } = c.req.valid('query');
      const accounts = agentAccounts(agentId);
      const names = new Map(Object.entries(accounts).map(([name, acct]) => [acct, name as AccountName]));
      const wanted = only ? [accounts[only]] : Object.values(accounts);
      const before = cursor ? Number(cursor) : undefined;
      const rows: EntryRow[] = await c.var.db
        .select(ledgerEntryColumns)
        .from(ledgerEntries)
        .where(sql`${ledgerEntries.id} IN (${newestIds(wanted, before, limit + 1)})`)
        .orderBy(desc(ledgerEntries.id))
        .limit(limit + 1);
      // Older entries than D1 holds are read back from the archived months.
      const { older } = await olderThanD1(c.var.db, c.env.ARCHIVE, rows, wanted, before, limit + 1);
      rows.push(...(older as unknown as EntryRow[]));
      const held = await heldOrders(c.var.db, agentId, rows);
      const items = rows.map((r) => statementEntry(r, names, held));
      return c.json(
        toPage(items, limit, (r) => String(r.id)),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/wallet',
      tags: ['wallet'],
      summary: 'The brand’s revenue, money in clearing and what it has paid out (brand admin)',
      responses: { 200: jsonResponse(BrandWallet, 'Brand balances'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const wanted = [account.brandRevenue, account.clearing, account.payouts];
      const rows = await c.var.db
        .select({ account: balances.account, balanceFen: balances.balanceFen })
        .from(balances)
        .where(inArray(balances.account, wanted));
      const of = (acct: string) => rows.find((r) => r.account === acct)?.balanceFen ?? 0;
      return c.json(
        { revenueFen: of(account.brandRevenue), clearingFen: of(account.clearing), paidOutFen: of(account.payouts) },
        200,
      );
    },
  );
