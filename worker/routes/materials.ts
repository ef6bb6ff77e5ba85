import { createRoute, z } from '@hono/zod-openapi';
import { newId } from '../../db/ids';
import { deleteMaterial, insertMaterial, materialById, materialsPage } from '../../db/materials';
import { audit } from '../../db/network';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { IdParam, jsonBody, jsonResponse, PageQuery, pageOf, TextBlock, TextLine, toPage } from '../schemas';
import { ImageUrl } from './products';

const Material = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string().openapi({ description: 'The copy agents paste into Moments' }),
    images: z.array(z.string()),
    createdAt: z.number().int(),
  })
  .openapi('Material');

const NewMaterial = z
  .object({ title: TextLine(60), body: TextBlock(1000, 1), images: z.array(ImageUrl).max(9).default([]) })
  .openapi('NewMaterial');

export const materialRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/materials',
      tags: ['brand'],
      summary: '素材库: the copy and pictures the brand posted for agents, newest first (agents and the brand)',
      request: { query: PageQuery },
      responses: { 200: jsonResponse(pageOf(Material), 'A page of materials'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'agent', 'admin');
      const q = c.req.valid('query');
      const rows = await materialsPage(c.var.db, q.cursor, q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/materials',
      tags: ['brand'],
      summary: 'Post a 素材 (brand admin)',
      request: jsonBody(NewMaterial),
      responses: { 201: jsonResponse(Material, 'The posted material'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const input = c.req.valid('json');
      const db = c.var.db;
      const now = Date.now();
      const row = { id: newId('mat', now), ...input, createdAt: now };
      await db.batch([
        insertMaterial(db, row),
        audit(db, {
          actorRole: caller.role,
          actorId: caller.id,
          action: 'material.create',
          targetType: 'material',
          targetId: row.id,
          detail: { title: row.title },
          at: now,
        }),
      ]);
      return c.json(row, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/materials/{id}',
      tags: ['brand'],
      summary: 'Take a 素材 down (brand admin)',
      request: { params: IdParam },
      responses: { 204: { description: 'Removed' }, ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { id } = c.req.valid('param');
      const db = c.var.db;
      const [found] = await materialById(db, id);
      if (!found) throw new AppError('NOT_FOUND', { params: { what: 'material' } });
      const now = Date.now();
      await db.batch([
        deleteMaterial(db, id),
        audit(db, {
          actorRole: caller.role,
          actorId: caller.id,
          action: 'material.delete',
          targetType: 'material',
          targetId: id,
          at: now,
        }),
      ]);
      return c.body(null, 204);
    },
  );
