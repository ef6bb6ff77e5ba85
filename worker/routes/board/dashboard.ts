import { createRoute, z } from '@hono/zod-openapi';
import { breakdownLabels, breakdownRows, buyerCounts, dailyRows } from '../../../db/board';
import { daysBetween, encodeRankCursor, fillDays, lastDays, repeatRatePermille } from '../../domain/board';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { requireCaller } from '../../middleware/session';
import { jsonResponse, pageOf } from '../../schemas';
import { Day, Dim, monthOr, RankPageQuery, rankCursor } from './params';

// The brand dashboard: every figure is read from the rollup rows of migration 0012 (one row per day, per month and
// level / province / product, one row of buyer totals), never from the orders.

const DayRow = z
  .object({
    day: z.string(),
    orders: z.number().int(),
    salesFen: z.number().int(),
    newAgents: z.number().int(),
    newMembers: z.number().int(),
  })
  .openapi('DashboardDay');

const BreakdownRow = z
  .object({
    key: z.string().openapi({ description: 'Level rank, province (empty: unknown) or product id' }),
    label: z.string(),
    salesFen: z.number().int(),
    units: z.number().int().openapi({ description: 'Units sold (products only; 0 otherwise)' }),
  })
  .openapi('DashboardBreakdownRow');

const Buyers = z
  .object({
    buyers: z.number().int().openapi({ description: 'Consumers with a paid order that was not wholly refunded' }),
    repeaters: z.number().int().openapi({ description: 'Those with two or more' }),
    repeatRatePermille: z.number().int(),
  })
  .openapi('DashboardBuyers');

export const dashboardRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/dashboard/daily',
      tags: ['dashboard'],
      summary: 'Per day: paid orders, net sales, new agents, new members (at most 366 days; default the last 30)',
      request: { query: z.object({ from: Day.optional(), to: Day.optional() }) },
      responses: { 200: jsonResponse(z.object({ days: z.array(DayRow) }), 'One row per day'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const q = c.req.valid('query');
      const span = lastDays(Date.now(), 30);
      const to = q.to ?? span.to;
      const from = q.from ?? (q.to ? to : span.from);
      const days = daysBetween(from, to);
      if (!days) throw new AppError('VALIDATION_FAILED', { field: 'from', params: { detail: 'from ≤ to, ≤ 366 天' } });
      const rows = await dailyRows(c.var.db, from, to);
      return c.json({ days: fillDays(days, rows) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/dashboard/breakdown',
      tags: ['dashboard'],
      summary: 'A month’s net sales by seller level, province or product, largest first',
      request: { query: RankPageQuery.extend({ dim: Dim }) },
      responses: { 200: jsonResponse(pageOf(BreakdownRow), 'A page of the breakdown'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const q = c.req.valid('query');
      const after = rankCursor(q.cursor);
      const rows = await breakdownRows(c.var.db, { month: monthOr(q.month), dim: q.dim, after, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const labels = await breakdownLabels(
        c.var.db,
        q.dim,
        page.map((r) => r.key),
      );
      const items = page.map((r) => ({
        ...r,
        label: q.dim === 'province' ? r.key || '其他' : (labels.get(r.key) ?? r.key),
      }));
      const start = after?.rank ?? 0;
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > q.limit && last
          ? encodeRankCursor({ value: last.salesFen, key: last.key, rank: start + page.length })
          : null;
      return c.json({ items, nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/dashboard/buyers',
      tags: ['dashboard'],
      summary: 'Consumers’ repeat-purchase rate (复购率)',
      responses: { 200: jsonResponse(Buyers, 'Buyer totals'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const b = await buyerCounts(c.var.db);
      return c.json({ ...b, repeatRatePermille: repeatRatePermille(b.buyers, b.repeaters) }, 200);
    },
  );
