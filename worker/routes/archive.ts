import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, lt } from 'drizzle-orm';
import { archiveMonths, archivePhases } from '../../db/schema';
import { budgetOf, runArchive } from '../archive/job';
import { restoreMonth } from '../archive/restore';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { jsonResponse, PageQuery, pageOf, toPage } from '../schemas';

// The brand's view of the archive: which months left D1 and where each job stands, running the archiver now (the cron
// does it every few minutes), and restoring a month (npm run archive:restore calls this until it is done).

const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .openapi({ example: '2026-01', description: 'A month in China Standard Time' });

const ArchiveMonth = z
  .object({
    month: z.string(),
    phase: z.enum(archivePhases),
    chunks: z.number().int().openapi({ description: 'Steps the job has taken' }),
    holdUntil: z.number().int().nullable().openapi({ description: 'A restored month stays in D1 until then (ms)' }),
    updatedAt: z.number().int(),
  })
  .openapi('ArchiveMonth');

const Progress = z
  .object({ month: z.string().nullable(), phase: z.enum(archivePhases).nullable(), done: z.boolean() })
  .openapi('ArchiveProgress');

export const archiveRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/archive/months',
      tags: ['archive'],
      summary: 'Months the archiver has worked on, newest first, with their phase (brand admin)',
      request: { query: PageQuery.extend({ cursor: Month.optional() }) },
      responses: { 200: jsonResponse(pageOf(ArchiveMonth), 'A page of months'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const { cursor, limit } = c.req.valid('query');
      const rows = await c.var.db
        .select({
          month: archiveMonths.month,
          phase: archiveMonths.phase,
          chunks: archiveMonths.chunks,
          holdUntil: archiveMonths.holdUntil,
          updatedAt: archiveMonths.updatedAt,
        })
        .from(archiveMonths)
        .where(and(cursor ? lt(archiveMonths.month, cursor) : undefined))
        .orderBy(desc(archiveMonths.month))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (r) => r.month),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/archive/run',
      tags: ['archive'],
      summary: 'Run the archiver now for one run’s budget (brand admin); the cron does the same',
      responses: { 200: jsonResponse(Progress, 'Where the archiver stands'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const run = await runArchive(c.var.db, c.env.ARCHIVE, budgetOf(c.env), Date.now());
      return c.json({ month: run.month, phase: run.phase, done: run.phase === 'done' || run.phase === null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/archive/months/{month}/restore',
      tags: ['archive'],
      summary: 'Put an archived month back into D1, newest month first; call again until done (brand admin)',
      request: { params: z.object({ month: Month }) },
      responses: { 200: jsonResponse(Progress, 'Where the restore stands'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const { month } = c.req.valid('param');
      const { steps } = budgetOf(c.env);
      return c.json(await restoreMonth(c.var.db, c.env.ARCHIVE, month, steps, Date.now()), 200);
    },
  );
