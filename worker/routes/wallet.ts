import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { heldQuery } from '../../db/held';
import { balances, brand, ledgerEntries, orderShares } from '../../db/schema';
import { account } from '../domain/ledger';
import type { Db } from '../env';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { resolveVisibleAgent } from '../lib/access';
import { requireCaller } from '../middleware/session';
import { AgentIdParam, jsonResponse, PageQuery, pageOf, toPage } from '../schemas';

const AccountName = z.enum(['pending', 'available', 'withdrawing', 'offline']);
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

function agentAccounts(agentId: string): Record<AccountName, string> {
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
  // entries from before migration 0018, which brought its balance to 0.
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
function newestIds(accounts: string[], before: number | undefined, take: number): SQL {
  const below = before === undefined ? sql`` : sql` AND id < ${before}`;
  const perAccount = accounts.map(
    (a) =>
      sql`SELECT id FROM (SELECT id FROM ledger_entries WHERE account = ${a}${below} ORDER BY id DESC LIMIT ${take})`,
  );
  return sql.join(perAccount, sql` UNION ALL `);
}

// Whether the agent's shares of the page's paid orders are still held or released: one read of at most a page of
// orders' shares, through order_shares' primary key.
async function settlementOf(db: Db, agentId: string, rows: readonly { kind: string; orderId: string | null }[]) {
  const orderIds = [...new Set(rows.flatMap((r) => (r.kind === 'payment' && r.orderId ? [r.orderId] : [])))];
  const out = new Map<string, 'held' | 'released'>();
  if (orderIds.length === 0) return out;
  const shares = await db
    .select({ orderId: orderShares.orderId, status: orderShares.status })
    .from(orderShares)
    // A page may name 101 orders: one JSON parameter keeps the statement under D1's 100 bound values.
    .where(
      and(
        sql`${orderShares.orderId} IN (SELECT value FROM json_each(${JSON.stringify(orderIds)}))`,
        eq(orderShares.partyId, agentId),
      ),
    );
  for (const s of shares) {
    if (s.status === 'pending') out.set(s.orderId, 'held');
    else if (s.status === 'available' && !out.has(s.orderId)) out.set(s.orderId, 'released');
  }
  return out;
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
      const rows = await c.var.db
        .select({
          id: ledgerEntries.id,
          txnId: ledgerEntries.txnId,
          at: ledgerEntries.at,
          kind: ledgerEntries.kind,
          account: ledgerEntries.account,
          amountFen: ledgerEntries.amountFen,
          orderId: ledgerEntries.orderId,
          memo: ledgerEntries.memo,
        })
        .from(ledgerEntries)
        .where(sql`${ledgerEntries.id} IN (${newestIds(wanted, cursor ? Number(cursor) : undefined, limit + 1)})`)
        .orderBy(desc(ledgerEntries.id))
        .limit(limit + 1);
      const settled = await settlementOf(c.var.db, agentId, rows);
      const items = rows.map((r) => ({
        ...r,
        account: names.get(r.account) as AccountName,
        settlement: r.kind === 'payment' && r.orderId ? (settled.get(r.orderId) ?? null) : null,
      }));
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
