import { z } from '@hono/zod-openapi';
import { boardMetrics, breakdownDims } from '../../../db/schema-board';
import { chinaMonth, DAY_PATTERN, decodeRankCursor, MONTH_PATTERN, type RankCursor } from '../../domain/board';
import { AppError } from '../../errors';

// Query parts shared by the leaderboard and dashboard routes.

export const Month = z
  .string()
  .regex(MONTH_PATTERN)
  .optional()
  .openapi({ description: 'China-time month, YYYY-MM (default: this month)', example: '2026-12' });

export const Day = z.string().regex(DAY_PATTERN).openapi({ example: '2026-12-04' });

export const Metric = z
  .enum(boardMetrics)
  .default('sales')
  .openapi({ description: 'sales: net sales in fen; agents: agents recruited; members: members signed up' });

export const Dim = z.enum(breakdownDims);

export const RankPageQuery = z.object({
  month: Month,
  cursor: z.string().max(64).optional().openapi({ description: 'nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const monthOr = (month: string | undefined) => month ?? chinaMonth(Date.now());

export function rankCursor(raw: string | undefined): RankCursor | null {
  if (raw === undefined) return null;
  const cursor = decodeRankCursor(raw);
  if (!cursor) throw new AppError('VALIDATION_FAILED', { field: 'cursor', params: { detail: 'cursor' } });
  return cursor;
}
