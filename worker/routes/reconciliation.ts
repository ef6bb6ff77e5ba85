// 对账 in the brand console: run a day, list the runs, list the differences until the brand resolves each with a note.
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { audit } from '../../db/network';
import { differencesPage, runQuery, runsPage } from '../../db/reconcile';
import { reconDifferences } from '../../db/schema';
import { parseDay, previousDay } from '../domain/reconcile';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { brandOnly, requireCaller } from '../middleware/session';
import { payoutGateway } from '../payouts';
import { reconcileDay } from '../reconcile';
import { Id, jsonBody, jsonResponse, PageQuery, pageOf, TextLine, toPage } from '../schemas';

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => parseDay(d) !== null)
  .openapi({ description: 'A Beijing-time date, as WeChat Pay cuts its bills', example: '2026-12-03' });

const Run = z
  .object({
    day: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    payments: z.number().int().openapi({ description: 'Orders paid in the bill' }),
    refunds: z.number().int().openapi({ description: 'Orders refunded in the bill' }),
    differences: z.number().int(),
    error: z.string().nullable(),
    startedAt: z.number().int(),
    finishedAt: z.number().int().nullable(),
  })
  .openapi('ReconciliationRun');

const Difference = z
  .object({
    id: z.string(),
    day: z.string(),
    kind: z.enum(['payment', 'refund']),
    orderId: z.string(),
    issue: z.enum(['missing_in_ledger', 'missing_in_bill', 'amount_mismatch']),
    ledgerFen: z.number().int(),
    billFen: z.number().int(),
    status: z.enum(['open', 'resolved']),
    note: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    resolvedAt: z.number().int().nullable(),
    createdAt: z.number().int(),
  })
  .openapi('ReconciliationDifference');

const RunBody = z.strictObject({ day: Day }).openapi('ReconciliationRunRequest');
const ResolveBody = z.strictObject({ note: TextLine(200) }).openapi('ReconciliationResolve');
const DifferenceQuery = PageQuery.extend({
  status: z.enum(['open', 'resolved']).default('open'),
  day: Day.optional(),
});

export const reconciliationRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/reconciliation/runs',
      tags: ['reconciliation'],
      summary: 'Reconcile one day now: download WeChat Pay’s bills and compare them with the ledger (brand admin)',
      description: 'Running a day again replaces its open differences; resolved ones stay resolved.',
      middleware: [brandOnly] as const,
      request: jsonBody(RunBody),
      responses: { 200: jsonResponse(Run, 'The finished run'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const { day } = c.req.valid('json');
      const now = Date.now();
      // Not a day to come. Today is allowed: WeChat Pay answers that its bill is not cut yet, and the run says so.
      if (day > previousDay(now + 86_400_000))
        throw new AppError('VALIDATION_FAILED', { field: 'day', params: { detail: 'day' } });
      const gateway = payoutGateway(c.env);
      if (!gateway) throw new AppError('RECON_UNAVAILABLE');
      await reconcileDay(c.var.db, gateway, day, now);
      const [run] = await runQuery(c.var.db, day);
      if (!run) throw new AppError('NOT_FOUND', { params: { what: 'difference' } });
      return c.json(run, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/reconciliation/runs',
      tags: ['reconciliation'],
      summary: 'Reconciled days, newest first (brand admin)',
      middleware: [brandOnly] as const,
      request: { query: PageQuery },
      responses: { 200: jsonResponse(pageOf(Run), 'A page of runs'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const { cursor, limit } = c.req.valid('query');
      return c.json(
        toPage(await runsPage(c.var.db, cursor, limit), limit, (r) => r.day),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/reconciliation/differences',
      tags: ['reconciliation'],
      summary:
        'Differences between WeChat Pay’s bills and the ledger, newest first; open ones by default (brand admin)',
      middleware: [brandOnly] as const,
      request: { query: DifferenceQuery },
      responses: { 200: jsonResponse(pageOf(Difference), 'A page of differences'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const { cursor, limit, status, day } = c.req.valid('query');
      return c.json(
        toPage(await differencesPage(c.var.db, { status, day, cursor }, limit), limit, (d) => d.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/reconciliation/differences/{id}/resolve',
      tags: ['reconciliation'],
      summary: 'Mark a difference resolved, with a note on what was done (brand admin)',
      middleware: [brandOnly] as const,
      request: { params: z.object({ id: Id('rcd') }), ...jsonBody(ResolveBody) },
      responses: { 200: jsonResponse(Difference, 'Resolved'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { id } = c.req.valid('param');
      const { note } = c.req.valid('json');
      const db = c.var.db;
      const [found] = await db.select().from(reconDifferences).where(eq(reconDifferences.id, id)).limit(1);
      if (!found) throw new AppError('NOT_FOUND', { params: { what: 'difference' } });
      if (found.status !== 'open') throw new AppError('INVALID_STATE', { params: { state: found.status } });
      const now = Date.now();
      const change = { status: 'resolved' as const, note, resolvedBy: caller.id, resolvedAt: now };
      try {
        await db.batch([
          db
            .update(reconDifferences)
            .set(change)
            .where(and(eq(reconDifferences.id, id), eq(reconDifferences.status, 'open'))),
          changedGuard(db),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'reconciliation.resolve',
            targetType: 'recon_difference',
            targetId: id,
            detail: { day: found.day, orderId: found.orderId, issue: found.issue, note },
            at: now,
          }),
        ]);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'resolved' } });
        throw err;
      }
      return c.json({ ...found, ...change }, 200);
    },
  );
