import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { agents } from '../../db/schema';
import { ownUpload } from '../../db/uploads';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { jsonBody, jsonResponse } from '../schemas';
import { notOwned, uploadPathOf } from './payQr';

const Photo = z
  .strictObject({
    photoUrl: z.string().max(300).nullable().openapi({
      description: 'An upload of the agent’s own (POST /api/uploads answers its url); null removes the photo',
    }),
  })
  .openapi('AgentPhoto');

// The agent's photo, drawn on its share posters (shop, recruiting) in the console.
export const agentPhotoRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/me/photo',
      tags: ['agents'],
      summary: 'The calling agent’s poster photo',
      responses: { 200: jsonResponse(Photo, 'The photo, or null'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const [row] = await c.var.db
        .select({ photoUrl: agents.photoUrl })
        .from(agents)
        .where(eq(agents.id, caller.id))
        .limit(1);
      return c.json({ photoUrl: row?.photoUrl || null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/agents/me/photo',
      tags: ['agents'],
      summary: 'The calling agent sets (or removes) its poster photo from one of its own uploads',
      request: jsonBody(Photo),
      responses: { 200: jsonResponse(Photo, 'Saved'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const { path, hash } = uploadPathOf(c.req.valid('json').photoUrl, 'photoUrl');
      const changed = await c.var.db
        .update(agents)
        .set({ photoUrl: path, updatedAt: Date.now() })
        .where(and(eq(agents.id, caller.id), ownUpload(hash, caller.id)))
        .returning({ id: agents.id });
      if (changed.length === 0) throw notOwned('photoUrl');
      return c.json({ photoUrl: path || null }, 200);
    },
  );
