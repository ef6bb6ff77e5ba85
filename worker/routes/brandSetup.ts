import { createRoute, z } from '@hono/zod-openapi';
import { brandRowQuery } from '../../db/brand';
import { forgetBrandInfo } from '../../db/brandInfo';
import { isUniqueFailure } from '../../db/guard';
import { audit } from '../../db/network';
import { brand, levels } from '../../db/schema';
import { duplicateName, setupRows } from '../domain/brandSettings';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { brandOnly, requireCaller } from '../middleware/session';
import { Fen, jsonBody, jsonResponse } from '../schemas';
import { loadSettings, Settings } from './brand';

// The first run: a database with only the migrations and an admin has no brand row; the first admin sign-in
// creates it (with the levels) through this step, once.

const SetupState = z
  .object({ setupNeeded: z.boolean().openapi({ description: 'True until the brand row and its levels exist' }) })
  .openapi('BrandSetupState');

const SetupBody = z
  .object({
    name: z.string().trim().min(1, 'blank').max(40),
    sealText: z.string().trim().min(1, 'blank').max(24).optional().openapi({
      description: 'Text of the seal on certificates; default: the name with 授权专用章',
    }),
    levels: z
      .array(z.strictObject({ name: z.string().trim().min(1, 'blank').max(12), firstOrderFen: Fen.optional() }))
      .min(1)
      .max(9)
      .openapi({ description: 'Highest level first: the first is rank 1' }),
    stockModel: z.enum(['direct', 'cloud']),
    freezeDays: z.number().int().min(0).max(90),
    bindingPolicy: z.enum(['permanent', 'rebind']),
    rebindDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict()
  .openapi('BrandSetup');

export const brandSetupRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/setup',
      tags: ['brand'],
      summary: 'Whether the first-run setup step is still needed (brand admin)',
      middleware: [brandOnly] as const,
      responses: { 200: jsonResponse(SetupState, 'Setup state'), ...errorResponses },
    }),
    async (c) => {
      const [row] = await brandRowQuery(c.var.db);
      return c.json({ setupNeeded: !row }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/brand/setup',
      tags: ['brand'],
      summary: 'First run: create the brand with its settings and levels in one batch (brand admin; once)',
      middleware: [brandOnly] as const,
      request: jsonBody(SetupBody),
      responses: { 201: jsonResponse(Settings, 'Settings after the setup'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const body = c.req.valid('json');
      const db = c.var.db;
      const twice = duplicateName(body.levels.map((l) => l.name));
      if (twice !== null) throw new AppError('DUPLICATE_NAME', { field: 'levels' });
      const [existing] = await brandRowQuery(db);
      if (existing) throw new AppError('SETUP_DONE');
      const { settings, levels: levelRows } = setupRows(body);
      const now = Date.now();
      try {
        // The brand row goes first: a concurrent second setup fails on its primary key and writes nothing.
        await db.batch([
          db.insert(brand).values({ id: 1, ...settings, updatedAt: now }),
          db.delete(levels),
          db.insert(levels).values(levelRows),
          audit(db, {
            actorRole: 'admin',
            actorId: caller.id,
            action: 'brand.setup',
            targetType: 'brand',
            targetId: 'brand',
            detail: { ...settings, levels: levelRows },
            at: now,
          }),
        ]);
      } catch (err) {
        if (isUniqueFailure(err, 'brand.id')) throw new AppError('SETUP_DONE');
        throw err;
      }
      forgetBrandInfo();
      return c.json(await loadSettings(db), 201);
    },
  );
