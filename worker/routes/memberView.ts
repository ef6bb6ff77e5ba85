import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { members } from '../../db/schema';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { brandOnly } from '../middleware/session';
import { IdParam, jsonResponse } from '../schemas';

const MemberCard = z
  .object({
    id: z.string(),
    name: z.string(),
    phone: z.string(),
    boundAgentId: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi('MemberCard');

// The brand sees who a member is (name, phone) where an order names it, instead of an internal id.
export const memberViewRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/members/{id}',
    tags: ['members'],
    summary: 'Brand: one member’s name, phone and binding',
    middleware: [brandOnly],
    request: { params: IdParam },
    responses: { 200: jsonResponse(MemberCard, 'Member'), ...errorResponses },
  }),
  async (c) => {
    const [row] = await c.var.db
      .select({
        id: members.id,
        name: members.name,
        phone: members.phone,
        boundAgentId: members.boundAgentId,
        createdAt: members.createdAt,
      })
      .from(members)
      .where(eq(members.id, c.req.valid('param').id))
      .limit(1);
    if (!row) throw new AppError('NOT_FOUND', { params: { what: 'member' } });
    return c.json(row, 200);
  },
);
