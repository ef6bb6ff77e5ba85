import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { releaseDueShares } from '../release';
import { jsonResponse } from '../schemas';

// The cron releases due shares every 15 minutes; the brand can also run it at once (and local dev, whose assets
// router does not forward scheduled events, relies on this).
export const jobRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/brand/jobs/release',
    tags: ['brand'],
    summary: 'Release now the shares whose freeze period has ended (brand admin); the cron does the same',
    responses: {
      200: jsonResponse(z.object({ released: z.number().int() }), 'How many shares became available'),
      ...errorResponses,
    },
  }),
  async (c) => {
    requireCaller(c, 'admin');
    return c.json({ released: await releaseDueShares(c.var.db, Date.now()) }, 200);
  },
);
