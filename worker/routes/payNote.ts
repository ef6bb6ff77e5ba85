import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { agents } from '../../db/schema';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { jsonBody, jsonResponse, TextBlock } from '../schemas';

const PayNote = z
  .strictObject({
    payNote: TextBlock(300).openapi({
      description: 'How buyers pay this agent offline (WeChat ID, phone, bank account); shown on its orders',
      example: '微信转账：zhang_wei88，备注订单号',
    }),
  })
  .openapi('PayNote');

// An agent's payment instructions, shown to buyers of the orders it is the payee of (the brand's are a setting).
export const payNoteRoutes = createRouter().openapi(
  createRoute({
    method: 'put',
    path: '/agents/me/pay-note',
    tags: ['agents'],
    summary: 'The calling agent sets how buyers pay it offline',
    request: jsonBody(PayNote),
    responses: { 200: jsonResponse(PayNote, 'Saved'), ...errorResponses },
  }),
  async (c) => {
    const caller = requireCaller(c, 'agent');
    const { payNote } = c.req.valid('json');
    await c.var.db.update(agents).set({ payNote, updatedAt: Date.now() }).where(eq(agents.id, caller.id));
    return c.json({ payNote }, 200);
  },
);
