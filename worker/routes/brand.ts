import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { forgetBrandInfo } from '../../db/brandInfo';
import { audit } from '../../db/network';
import { agents, applications, brand, brandThemes, levels } from '../../db/schema';
import { levelSetProblem } from '../domain/levels';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { isUniqueFailure } from '../lib/guard';
import { requireCaller } from '../middleware/session';
import { Fen, jsonBody, jsonResponse, LevelRank } from '../schemas';

const PublicLevel = z.object({ rank: z.number().int(), name: z.string() });
const Level = PublicLevel.extend({ firstOrderFen: z.number().int() }).openapi('Level');
const Theme = z.enum(brandThemes).openapi({ description: 'Colour theme of consumer pages' });
const LogoUrl = z
  .union([
    z.literal(''),
    z
      .string()
      .max(500)
      .regex(/^(https:\/\/|\/(?![/\\]))[^\s"'<>\\]+$/),
  ])
  .openapi({ description: "https:// URL or a path on this site; '' for none", example: '/images/logo.png' });
const PublicBrand = z
  .object({ name: z.string(), logoUrl: z.string(), theme: Theme, levels: z.array(PublicLevel) })
  .openapi('PublicBrand');

const Settings = z
  .object({
    name: z.string(),
    sealText: z.string(),
    stockModel: z.enum(['direct', 'cloud']),
    freezeDays: z.number().int(),
    bindingPolicy: z.enum(['permanent', 'rebind']),
    rebindDays: z.number().int(),
    withdrawMinFen: z.number().int(),
    certValidDays: z.number().int(),
    logoUrl: z.string(),
    theme: Theme,
    levels: z.array(Level),
  })
  .openapi('BrandSettings');

const SettingsPatch = z
  .object({
    name: z.string().trim().min(1, 'blank').max(40),
    sealText: z.string().trim().min(1, 'blank').max(24),
    stockModel: z.enum(['direct', 'cloud']),
    freezeDays: z.number().int().min(0).max(90),
    bindingPolicy: z.enum(['permanent', 'rebind']),
    rebindDays: z.number().int().min(1).max(3650),
    withdrawMinFen: Fen,
    certValidDays: z.number().int().min(1).max(3650),
    logoUrl: LogoUrl,
    theme: Theme,
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'blank' })
  .openapi('BrandSettingsPatch');

const LevelsBody = z
  .object({
    levels: z
      .array(z.strictObject({ rank: LevelRank, name: z.string().trim().min(1, 'blank').max(12), firstOrderFen: Fen }))
      .min(1)
      .max(9),
  })
  .strict()
  .openapi('LevelsUpdate');

async function loadSettings(db: Parameters<typeof audit>[0]) {
  const [[row], levelRows] = await db.batch([
    db.select().from(brand).where(eq(brand.id, 1)).limit(1),
    db.select().from(levels).orderBy(asc(levels.rank)),
  ]);
  if (!row) throw new AppError('NOT_FOUND', { params: { what: 'brand' } });
  const { id: _id, updatedAt: _u, ...settings } = row;
  return { ...settings, levels: levelRows };
}

export const brandRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand',
      tags: ['brand'],
      summary: 'The brand name and its level names (public)',
      responses: { 200: jsonResponse(PublicBrand, 'Brand'), ...errorResponses },
    }),
    async (c) => {
      const { name, logoUrl, theme, levels: all } = await loadSettings(c.var.db);
      return c.json({ name, logoUrl, theme, levels: all.map(({ rank, name }) => ({ rank, name })) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/settings',
      tags: ['brand'],
      summary: 'All brand settings and levels (brand admin)',
      responses: { 200: jsonResponse(Settings, 'Settings'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      return c.json(await loadSettings(c.var.db), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/brand/settings',
      tags: ['brand'],
      summary: 'Change brand settings (brand admin)',
      request: jsonBody(SettingsPatch),
      responses: { 200: jsonResponse(Settings, 'Settings after the change'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const patch = c.req.valid('json');
      const db = c.var.db;
      const now = Date.now();
      await db.batch([
        db
          .update(brand)
          .set({ ...patch, updatedAt: now })
          .where(eq(brand.id, 1)),
        audit(db, {
          actorRole: 'admin',
          actorId: caller.id,
          action: 'brand.settings',
          targetType: 'brand',
          targetId: 'brand',
          detail: patch,
          at: now,
        }),
      ]);
      forgetBrandInfo();
      return c.json(await loadSettings(db), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/brand/levels',
      tags: ['brand'],
      summary: 'Replace the level table (brand admin); ranks run 1..N without gaps',
      request: jsonBody(LevelsBody),
      responses: { 200: jsonResponse(Settings, 'Settings after the change'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const body = c.req.valid('json');
      const db = c.var.db;
      const ranks = body.levels.map((l) => l.rank);
      if (new Set(ranks).size !== ranks.length) {
        throw new AppError('VALIDATION_FAILED', { field: 'levels', params: { detail: 'levels: duplicate rank' } });
      }
      const problem = levelSetProblem(ranks);
      if (problem)
        throw new AppError('VALIDATION_FAILED', { field: 'levels', params: { detail: `levels: ${problem}` } });
      const top = Math.max(...ranks);
      // A rank that an agent holds or applies for cannot be removed.
      const [[held], [applied]] = await db.batch([
        db.select({ level: agents.level }).from(agents).where(gt(agents.level, top)).limit(1),
        db
          .select({ level: applications.level })
          .from(applications)
          .where(and(eq(applications.status, 'pending'), gt(applications.level, top)))
          .limit(1),
      ]);
      const inUse = held?.level ?? applied?.level;
      if (inUse !== undefined)
        throw new AppError('LEVEL_CONFLICT', { field: 'levels', params: { detail: levelInUse(c.var.lang, inUse) } });
      const now = Date.now();
      try {
        await db.batch([
          db.delete(levels).where(gt(levels.rank, top)),
          // Names are unique, so clear them first to let two levels swap names in one update.
          db.update(levels).set({ name: sql`'~' || ${levels.rank}` }),
          ...body.levels.map((l) =>
            db
              .insert(levels)
              .values(l)
              .onConflictDoUpdate({ target: levels.rank, set: { name: l.name, firstOrderFen: l.firstOrderFen } }),
          ),
          audit(db, {
            actorRole: 'admin',
            actorId: caller.id,
            action: 'brand.levels',
            targetType: 'brand',
            targetId: 'brand',
            detail: { levels: body.levels },
            at: now,
          }),
        ]);
      } catch (err) {
        if (isUniqueFailure(err, 'levels.name')) throw new AppError('DUPLICATE_NAME', { field: 'levels' });
        throw err;
      }
      forgetBrandInfo();
      return c.json(await loadSettings(db), 200);
    },
  );

function levelInUse(lang: 'zh' | 'en', rank: number): string {
  return lang === 'en' ? `Level ${rank} is still held or applied for` : `仍有代理持有或申请等级 ${rank}，不能删除`;
}
