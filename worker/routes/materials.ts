import { createRoute, z } from '@hono/zod-openapi';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import {
  deleteMaterial,
  insertMaterial,
  materialById,
  materialsPage,
  sortKeyOf,
  updateMaterial,
} from '../../db/materials';
import { audit } from '../../db/network';
import { sharingRewardPhrase } from '../domain/shareCopy';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { brandOnly, requireCaller } from '../middleware/session';
import { IdParam, jsonBody, jsonResponse, PageQuery, pageOf, TextBlock, TextLine, toPage } from '../schemas';
import { ImageUrl } from './products';

const Material = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string().openapi({ description: 'The copy agents paste into Moments' }),
    images: z.array(z.string()),
    pinned: z.boolean().openapi({ description: 'Pinned (置顶): listed before the others, the last pinned first' }),
    createdAt: z.number().int(),
    updatedAt: z.number().int().nullable(),
  })
  .openapi('Material');
type MaterialView = z.infer<typeof Material>;

const fields = {
  title: TextLine(60),
  body: TextBlock(1000, 1),
  images: z.array(ImageUrl).max(9).openapi({ description: 'Pictures uploaded through POST /api/uploads' }),
};
const NewMaterial = z
  .strictObject({ ...fields, images: fields.images.default([]), pinned: z.boolean().default(false) })
  .openapi('NewMaterial');
const MaterialPatch = z
  .strictObject({ ...fields, pinned: z.boolean() })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'blank' })
  .openapi('MaterialPatch');

function toView(row: Awaited<ReturnType<typeof materialById>>[number]): MaterialView {
  const { sortKey: _key, pinnedAt, ...rest } = row;
  return { ...rest, pinned: pinnedAt !== null };
}

// Agents paste this copy into Moments: a promise of a reward for sharing breaks WeChat's rules (诱导分享).
function refuseSharingReward(input: { title?: string | undefined; body?: string | undefined }) {
  for (const field of ['title', 'body'] as const) {
    const phrase = sharingRewardPhrase(input[field] ?? '');
    if (phrase) throw new AppError('SHARE_REWARD_PROMISED', { field, params: { phrase } });
  }
}

export const materialRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/materials',
      tags: ['brand'],
      summary:
        '素材库: the copy and pictures the brand posted for agents, pinned first, then newest (agents and the brand)',
      request: { query: PageQuery },
      responses: { 200: jsonResponse(pageOf(Material), 'A page of materials'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'agent', 'admin');
      const q = c.req.valid('query');
      const rows = await materialsPage(c.var.db, q.cursor, q.limit + 1);
      const page = toPage(rows, q.limit, (r) => r.sortKey);
      return c.json({ items: page.items.map(toView), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/materials',
      tags: ['brand'],
      summary: 'Post a 素材 (brand admin); its copy may not promise a reward for sharing',
      middleware: [brandOnly] as const,
      request: jsonBody(NewMaterial),
      responses: { 201: jsonResponse(Material, 'The posted material'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { pinned, ...input } = c.req.valid('json');
      refuseSharingReward(input);
      const db = c.var.db;
      const now = Date.now();
      const id = newId('mat', now);
      const pinnedAt = pinned ? now : null;
      const row = { id, ...input, createdAt: now, pinnedAt, updatedAt: null, sortKey: sortKeyOf(id, pinnedAt) };
      await db.batch([
        insertMaterial(db, row),
        audit(db, {
          actorRole: caller.role,
          actorId: caller.id,
          action: 'material.create',
          targetType: 'material',
          targetId: id,
          detail: { title: row.title },
          at: now,
        }),
      ]);
      return c.json(toView(row), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/materials/{id}',
      tags: ['brand'],
      summary: 'Edit a 素材, or pin (置顶) / unpin it (brand admin)',
      middleware: [brandOnly] as const,
      request: { params: IdParam, ...jsonBody(MaterialPatch) },
      responses: { 200: jsonResponse(Material, 'The material after the change'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { id } = c.req.valid('param');
      const { pinned, ...edit } = c.req.valid('json');
      refuseSharingReward(edit);
      const db = c.var.db;
      const [found] = await materialById(db, id);
      if (!found) throw new AppError('NOT_FOUND', { params: { what: 'material' } });
      const now = Date.now();
      // Pinning again moves it back to the top; unpinning returns it to its place by date.
      const pinnedAt = pinned === undefined ? found.pinnedAt : pinned ? now : null;
      const set = { ...edit, pinnedAt, sortKey: sortKeyOf(id, pinnedAt), updatedAt: now };
      try {
        await db.batch([
          updateMaterial(db, id, set),
          changedGuard(db),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'material.update',
            targetType: 'material',
            targetId: id,
            detail: { fields: Object.keys(edit), ...(pinned === undefined ? {} : { pinned }) },
            at: now,
          }),
        ]);
      } catch (err) {
        // Taken down meanwhile.
        if (isGuardFailure(err)) throw new AppError('NOT_FOUND', { params: { what: 'material' } });
        throw err;
      }
      return c.json(toView({ ...found, ...set }), 200);
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
          detail: { title: found.title },
          at: now,
        }),
      ]);
      return c.body(null, 204);
    },
  );
