import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { createRouter } from '../http';
import { jsonResponse } from '../schemas';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.enum(['ok', 'unreachable']),
  time: z.string(),
});

export const health = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/health',
    tags: ['system'],
    summary: 'Version and database reachability',
    responses: { 200: jsonResponse(Health, 'Service health') },
  }),
  async (c) => {
    let database: 'ok' | 'unreachable' = 'ok';
    try {
      await c.var.db.run(sql`SELECT 1`);
    } catch {
      database = 'unreachable';
    }
    return c.json(
      {
        status: database === 'ok' ? ('ok' as const) : ('degraded' as const),
        version: c.env.APP_VERSION,
        database,
        time: new Date().toISOString(),
      },
      200,
    );
  },
);
