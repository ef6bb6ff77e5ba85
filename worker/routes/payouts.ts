// A follow-up of a withdrawal being paid by WeChat Pay transfer, when the brand does not want to wait for the cron.
import { createRoute } from '@hono/zod-openapi';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { brandOnly, requireCaller } from '../middleware/session';
import { followTransfer, payoutGateway, payoutRow } from '../payouts';
import { IdParam, jsonResponse } from '../schemas';
import { loadWithdrawal, Withdrawal } from './withdrawals';

export const payoutRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/withdrawals/{id}/refresh',
    tags: ['withdrawals'],
    summary: 'Ask WeChat Pay now how a transfer being paid stands, and book paid or failed (brand admin)',
    description: 'Changes nothing for a withdrawal that is not being paid by transfer; the cron does the same.',
    middleware: [brandOnly] as const,
    request: { params: IdParam },
    responses: { 200: jsonResponse(Withdrawal, 'The withdrawal as it stands'), ...errorResponses },
  }),
  async (c) => {
    requireCaller(c, 'admin');
    const id = c.req.valid('param').id;
    const row = await payoutRow(c.var.db, id);
    if (!row) throw new AppError('NOT_FOUND', { params: { what: 'withdrawal' } });
    const gateway = payoutGateway(c.env);
    if (row.status === 'paying' && gateway) await followTransfer(c.var.db, gateway, row);
    return c.json(await loadWithdrawal(c.var.db, id), 200);
  },
);
