import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { audit } from '../../db/network';
import { payoutAccountOf, savePayoutAccount } from '../../db/payout';
import { agents, brand, payoutKinds } from '../../db/schema';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { kindAccepted, kindNotAccepted } from '../payoutKinds';
import { jsonBody, jsonResponse, PersonName, TextLine } from '../schemas';

export const PayoutAccount = z
  .object({
    kind: z.enum(payoutKinds).openapi({ description: 'wechat (微信), alipay (支付宝) or bank (银行卡)' }),
    name: z.string().openapi({ description: 'The account holder’s real name' }),
    account: z.string(),
    bank: z.string().nullable().openapi({ description: 'The bank (and branch) of a bank card' }),
  })
  .openapi('PayoutAccount');

// Spaces are how card numbers are read out; they are not part of the number.
const CardNumber = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{12,19}$/, 'cardNumber'));

const PayoutInput = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('wechat'), name: PersonName, account: TextLine(40) }),
    z.strictObject({ kind: z.literal('alipay'), name: PersonName, account: TextLine(60) }),
    z.strictObject({ kind: z.literal('bank'), name: PersonName, account: CardNumber, bank: TextLine(60) }),
  ])
  .openapi('PayoutAccountInput');

export const payoutAccountRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/me/wechat',
      tags: ['withdrawals'],
      summary:
        'Whether the signed-in agent has bound its WeChat (openid, for transfers). It binds by opening the console ' +
        'in WeChat and going through /api/wechat/oauth/start?next=/console',
      responses: {
        200: jsonResponse(z.object({ bound: z.boolean() }).openapi('AgentWechat'), 'Bound or not'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const [row] = await c.var.db
        .select({ openid: agents.openid })
        .from(agents)
        .where(eq(agents.id, caller.id))
        .limit(1);
      // The openid itself stays on the server.
      return c.json({ bound: Boolean(row?.openid) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/me/payout-account',
      tags: ['withdrawals'],
      summary: 'Where the signed-in agent is paid (null until it sets one)',
      responses: { 200: jsonResponse(PayoutAccount.nullable(), 'The payout account'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const [row] = await payoutAccountOf(c.var.db, caller.id);
      return c.json(row ?? null, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/agents/me/payout-account',
      tags: ['withdrawals'],
      summary: 'Set where the signed-in agent is paid; later withdrawals carry it to the brand',
      description: 'The kind must be one the brand accepts (payoutKinds in GET /api/brand).',
      request: jsonBody(PayoutInput),
      responses: { 200: jsonResponse(PayoutAccount, 'The payout account'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const input = c.req.valid('json');
      const value = { ...input, bank: input.kind === 'bank' ? input.bank : null };
      const db = c.var.db;
      const refuse = async () => {
        const [row] = await db.select({ kinds: brand.payoutKinds }).from(brand).where(eq(brand.id, 1)).limit(1);
        const accepted = row?.kinds ?? [];
        return accepted.includes(value.kind) ? null : kindNotAccepted(c.var.lang, value.kind, accepted, 'kind');
      };
      const refused = await refuse();
      if (refused) throw refused;
      const now = Date.now();
      try {
        await db.batch([
          // Touches the brand row only while it still accepts the kind: a setting changed meanwhile aborts the batch.
          db
            .update(brand)
            .set({ id: 1 })
            .where(and(eq(brand.id, 1), kindAccepted(value.kind))),
          changedGuard(db),
          savePayoutAccount(db, caller.id, value, now),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'payout_account.set',
            targetType: 'agent',
            targetId: caller.id,
            // The kind only: the account number has no place in a log many people read.
            detail: { kind: value.kind },
            at: now,
          }),
        ]);
      } catch (err) {
        if (!isGuardFailure(err)) throw err;
        throw (await refuse()) ?? new AppError('INVALID_STATE', { params: { state: 'changed' } });
      }
      return c.json(value, 200);
    },
  );
