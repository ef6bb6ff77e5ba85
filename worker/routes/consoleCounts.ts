import { createRoute, z } from '@hono/zod-openapi';
import { COUNT_CAP, consoleCounts } from '../../db/consoleCounts';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { jsonResponse } from '../schemas';

const Count = z.number().int().min(0).max(COUNT_CAP);
const Counts = z
  .object({
    applications: Count.openapi({ description: 'Applications waiting for this agent’s decision' }),
    toShip: Count.openapi({ description: 'Paid orders it ships from its own stock' }),
    toConfirm: Count.openapi({ description: 'Unpaid offline orders paid to it, waiting for it to confirm receipt' }),
    withdrawing: Count.openapi({ description: 'Its withdrawals the brand has not decided yet' }),
    notices: Count.openapi({ description: 'Notices from the brand newer than noticesSince' }),
    cap: z.literal(COUNT_CAP).openapi({ description: 'A count equal to cap means "cap - 1 or more"' }),
  })
  .openapi('ConsoleCounts');

export const consoleCountRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/agent/counts',
    tags: ['agents'],
    summary: 'The signed-in agent’s to-do counts for the console’s badges, in one small read (polled on focus)',
    request: {
      query: z.object({
        noticesSince: z.coerce
          .number()
          .int()
          .min(0)
          .default(0)
          .openapi({ description: 'The newest notice time the agent has seen (ms); newer ones count as unread' }),
      }),
    },
    responses: { 200: jsonResponse(Counts, 'Counts, each cut at cap'), ...errorResponses },
  }),
  async (c) => {
    const caller = requireCaller(c, 'agent');
    const counts = await consoleCounts(c.var.db, caller.id, c.req.valid('query').noticesSince);
    return c.json({ ...counts, cap: COUNT_CAP }, 200);
  },
);
