import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import { postTransaction } from '../../db/ledger';
import { audit } from '../../db/network';
import { payoutAccountOf } from '../../db/payout';
import { agents, balances, brand, heldShares, withdrawals } from '../../db/schema';
import { account } from '../domain/ledger';
import type { Caller, Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { idempotencyOf, isIdempotencyRace, replayOf, storeAnswer, storedLookup } from '../lib/idempotency';
import { formatFen } from '../lib/money';
import { brandOnly, requireCaller } from '../middleware/session';
import { payByTransfer } from '../payouts';
import { Fen, IdParam, jsonBody, jsonResponse, PageQuery, pageOf, Reason, TextLine, toPage } from '../schemas';
import { PayoutAccount } from './payoutAccount';
import { readWallet, type WalletView } from './wallet';

const WithdrawalStatus = z.enum(['requested', 'paying', 'paid', 'failed', 'rejected']);

export const Withdrawal = z
  .object({
    id: z.string(),
    agentId: z.string(),
    agentName: z.string(),
    amountFen: z.number().int(),
    status: WithdrawalStatus,
    reference: z
      .string()
      .nullable()
      .openapi({ description: 'The brand’s payment reference, or WeChat Pay’s transfer detail id, once paid' }),
    reason: z.string().nullable().openapi({ description: 'Why the brand rejected it, or why the transfer failed' }),
    payoutMethod: z.enum(['manual', 'transfer']),
    transferState: z.string().nullable().openapi({ description: 'The transfer’s last state at WeChat Pay' }),
    agentWechat: z.boolean().openapi({
      description: 'Whether the agent has bound its WeChat (an openid), so it can be paid by transfer',
    }),
    createdAt: z.number().int(),
    decidedAt: z.number().int().nullable(),
    payout: PayoutAccount.nullable().openapi({ description: 'Where to pay it, as the agent had set it when asking' }),
  })
  .openapi('Withdrawal');
type WithdrawalView = z.infer<typeof Withdrawal>;

const RequestBody = z.strictObject({ amountFen: Fen.min(1) }).openapi('WithdrawalRequest');
const ApproveBody = z
  .strictObject({
    method: z.enum(['manual', 'transfer']).optional().openapi({
      description:
        'manual: paid by hand, give the reference; transfer: WeChat Pay transfer to the agent (default without a reference)',
    }),
    reference: TextLine(64).optional(),
  })
  .openapi('WithdrawalApproval');
const RejectBody = z.strictObject({ reason: Reason }).openapi('WithdrawalRejection');

const ListQuery = PageQuery.extend({
  status: WithdrawalStatus.optional(),
  agentId: z.string().max(40).optional().openapi({ description: 'Brand admin only; an agent always sees its own' }),
});

const columns = {
  id: withdrawals.id,
  agentId: withdrawals.agentId,
  agentName: agents.name,
  amountFen: withdrawals.amountFen,
  status: withdrawals.status,
  reference: withdrawals.reference,
  reason: withdrawals.reason,
  createdAt: withdrawals.createdAt,
  decidedAt: withdrawals.decidedAt,
  payoutMethod: withdrawals.payoutMethod,
  transferState: withdrawals.transferState,
  // Only whether it exists: the openid itself is not shown to anyone.
  agentWechat: sql<boolean>`${agents.openid} IS NOT NULL`.mapWith(Boolean),
  payout: withdrawals.payout,
};

export async function loadWithdrawal(db: Db, id: string): Promise<WithdrawalView> {
  const [row] = await db
    .select(columns)
    .from(withdrawals)
    .innerJoin(agents, eq(agents.id, withdrawals.agentId))
    .where(eq(withdrawals.id, id))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', { params: { what: 'withdrawal' } });
  return row;
}

function refusal(wallet: WalletView, amountFen: number): AppError | null {
  if (wallet.availableFen < 0) {
    return new AppError('DEBT_OUTSTANDING', { params: { debt: formatFen(wallet.debtFen) } });
  }
  if (amountFen > wallet.availableFen) {
    return new AppError('INSUFFICIENT_BALANCE', {
      field: 'amountFen',
      params: { available: formatFen(wallet.availableFen) },
    });
  }
  return null;
}

// The brand's decision on a requested withdrawal: the status flips only from 'requested' (guarded, so a second
// decision aborts) and the held amount moves out of the agent's withdrawing account.
async function decide(
  db: Db,
  caller: Caller,
  id: string,
  decision: { status: 'paid'; reference: string } | { status: 'rejected'; reason: string },
): Promise<WithdrawalView> {
  const found = await loadWithdrawal(db, id);
  if (found.status !== 'requested') throw new AppError('INVALID_STATE', { params: { state: found.status } });
  const now = Date.now();
  const paid = decision.status === 'paid';
  const to = paid ? account.payouts : account.available(found.agentId);
  const change = paid ? { reference: decision.reference } : { reason: decision.reason };
  try {
    await db.batch([
      db
        .update(withdrawals)
        .set({ status: decision.status, ...change, decidedAt: now })
        .where(and(eq(withdrawals.id, id), eq(withdrawals.status, 'requested'))),
      changedGuard(db),
      ...postTransaction(
        db,
        { id: newId('txn', now), kind: paid ? 'withdrawal_paid' : 'withdrawal_returned', memo: id, at: now },
        [{ from: account.withdrawing(found.agentId), to, amountFen: found.amountFen }],
      ),
      audit(db, {
        actorRole: caller.role,
        actorId: caller.id,
        action: paid ? 'withdrawal.approve' : 'withdrawal.reject',
        targetType: 'withdrawal',
        targetId: id,
        detail: { agentId: found.agentId, amountFen: found.amountFen, ...change },
        at: now,
      }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'decided' } });
    throw err;
  }
  return { ...found, status: decision.status, reference: null, reason: null, ...change, decidedAt: now };
}

export const withdrawalRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/withdrawals',
      tags: ['withdrawals'],
      summary: 'Withdraw from the available balance (agent); held until the brand pays or rejects it',
      description: 'A repeated request with the same Idempotency-Key gets the first answer back.',
      request: jsonBody(RequestBody),
      responses: { 201: jsonResponse(Withdrawal, 'Requested'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const body = c.req.valid('json');
      const { amountFen } = body;
      const db = c.var.db;
      const idem = await idempotencyOf(c, 'withdrawal', body);
      if (idem) {
        const replay = replayOf(idem, (await storedLookup(db, idem))[0]);
        if (replay) return c.json(replay.body as WithdrawalView, 201);
      }
      const [wallet, [agent], [payout], [settings]] = await Promise.all([
        readWallet(db, caller.id),
        db.select({ name: agents.name, openid: agents.openid }).from(agents).where(eq(agents.id, caller.id)).limit(1),
        payoutAccountOf(db, caller.id),
        db.select({ payoutTransfer: brand.payoutTransfer }).from(brand).where(eq(brand.id, 1)).limit(1),
      ]);
      if (amountFen < wallet.withdrawMinFen) {
        throw new AppError('BELOW_MINIMUM', {
          field: 'amountFen',
          params: { minimum: formatFen(wallet.withdrawMinFen) },
        });
      }
      const refused = refusal(wallet, amountFen);
      if (refused) throw refused;
      // Then the brand must know where to send the money: a payout account, unless it pays by WeChat transfer and the
      // agent's openid is known (then the transfer needs nothing more).
      if (!payout && !(settings?.payoutTransfer && agent?.openid)) {
        throw new AppError('PAYOUT_ACCOUNT_REQUIRED', { field: 'payout' });
      }

      const now = Date.now();
      const id = newId('wdr', now);
      const available = account.available(caller.id);
      const view: WithdrawalView = {
        id,
        agentId: caller.id,
        agentName: agent?.name ?? '',
        amountFen,
        status: 'requested',
        reference: null,
        reason: null,
        createdAt: now,
        decidedAt: null,
        payoutMethod: 'manual',
        transferState: null,
        agentWechat: Boolean(agent?.openid),
        payout: payout ?? null,
      };
      try {
        await db.batch([
          // The check and the move are one atomic batch: this touches the balance row (without changing it) only
          // while it still covers the amount, and the guard aborts the batch otherwise. postTransaction below then
          // changes the balance exactly once, so no interleaving of requests can take the wallet below zero.
          db
            .update(balances)
            .set({ balanceFen: sql`${balances.balanceFen}` })
            .where(
              and(
                eq(balances.account, available),
                // Held shares are in the wallet balance but not withdrawable.
                sql`${balances.balanceFen} - coalesce((SELECT ${heldShares.heldFen} FROM ${heldShares} WHERE ${heldShares.agentId} = ${caller.id}), 0) >= ${amountFen}`,
              ),
            ),
          changedGuard(db),
          ...postTransaction(db, { id: newId('txn', now), kind: 'withdrawal', memo: id, at: now }, [
            { from: available, to: account.withdrawing(caller.id), amountFen },
          ]),
          db.insert(withdrawals).values({
            id,
            agentId: caller.id,
            amountFen,
            status: 'requested',
            createdAt: now,
            payout: payout ?? null,
          }),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'withdrawal.request',
            targetType: 'withdrawal',
            targetId: id,
            detail: { amountFen },
            at: now,
          }),
          ...(idem ? [storeAnswer(db, idem, 201, view, now)] : []),
        ]);
      } catch (err) {
        if (isGuardFailure(err)) {
          throw (
            refusal(await readWallet(db, caller.id), amountFen) ??
            new AppError('INVALID_STATE', { params: { state: 'changed' } })
          );
        }
        if (idem && isIdempotencyRace(err)) {
          const replay = replayOf(idem, (await storedLookup(db, idem))[0]);
          if (replay) return c.json(replay.body as WithdrawalView, 201);
        }
        throw err;
      }
      return c.json(view, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/withdrawals',
      tags: ['withdrawals'],
      summary: 'Withdrawals, newest first: an agent its own, the brand everyone’s (filter by status or agent)',
      request: { query: ListQuery },
      responses: { 200: jsonResponse(pageOf(Withdrawal), 'A page of withdrawals'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin', 'agent');
      const { cursor, limit, status, agentId } = c.req.valid('query');
      const owner = caller.role === 'agent' ? caller.id : agentId;
      const rows = await c.var.db
        .select(columns)
        .from(withdrawals)
        .innerJoin(agents, eq(agents.id, withdrawals.agentId))
        .where(
          and(
            owner ? eq(withdrawals.agentId, owner) : undefined,
            status ? eq(withdrawals.status, status) : undefined,
            cursor ? lt(withdrawals.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(withdrawals.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/withdrawals/{id}/approve',
      tags: ['withdrawals'],
      summary:
        'Approve a requested withdrawal: paid by hand with its reference, or sent by WeChat Pay transfer (brand admin)',
      description:
        'A transfer needs the brand setting payoutTransfer, the agent’s openid and the merchant keys. The answer is ' +
        '`paid` when WeChat Pay already paid it, `paying` while it moves (the cron and POST …/refresh follow it) or ' +
        '`failed` (the amount is available again).',
      middleware: [brandOnly] as const,
      request: { params: IdParam, ...jsonBody(ApproveBody) },
      responses: { 200: jsonResponse(Withdrawal, 'Paid, paying or failed'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { reference, method = reference ? 'manual' : 'transfer' } = c.req.valid('json');
      const id = c.req.valid('param').id;
      if (method === 'transfer') {
        await payByTransfer(c.var.db, c.env, caller, id);
        return c.json(await loadWithdrawal(c.var.db, id), 200);
      }
      if (!reference) throw new AppError('VALIDATION_FAILED', { field: 'reference', params: { detail: 'reference' } });
      return c.json(await decide(c.var.db, caller, id, { status: 'paid', reference }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/withdrawals/{id}/reject',
      tags: ['withdrawals'],
      summary: 'Reject a requested withdrawal; the amount returns to the available balance (brand admin)',
      middleware: [brandOnly] as const,
      request: { params: IdParam, ...jsonBody(RejectBody) },
      responses: { 200: jsonResponse(Withdrawal, 'Rejected'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { reason } = c.req.valid('json');
      return c.json(await decide(c.var.db, caller, c.req.valid('param').id, { status: 'rejected', reason }), 200);
    },
  );
