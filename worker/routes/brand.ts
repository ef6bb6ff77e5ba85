import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, gt, sql } from 'drizzle-orm';
import { brandRowQuery, cloudStockHeldQuery, levelsQuery, noCloudStockHeld } from '../../db/brand';
import { forgetBrandInfo } from '../../db/brandInfo';
import { changedGuard, isGuardFailure, isUniqueFailure } from '../../db/guard';
import { audit } from '../../db/network';
import { agents, applications, brand, brandThemes, levels } from '../../db/schema';
import { canonicalKinds, DEFAULT_SETTINGS, PAYOUT_KINDS, sameLevels, settingsChange } from '../domain/brandSettings';
import { levelSetProblem } from '../domain/levels';
import type { Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { Fen, jsonBody, jsonResponse, LevelRank, TextBlock, TextLine } from '../schemas';

const PayoutKinds = z.array(z.enum(PAYOUT_KINDS)).openapi({
  description: 'Payout accounts the brand pays withdrawals to: wechat (微信), alipay (支付宝), bank (银行卡)',
});
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
  .object({
    name: z.string(),
    logoUrl: z.string(),
    theme: Theme,
    levels: z.array(PublicLevel),
    stockModel: z.enum(['direct', 'cloud']).openapi({ description: 'So the console words restocks as they happen' }),
    payoutKinds: PayoutKinds,
  })
  .openapi('PublicBrand');

export const Settings = z
  .object({
    name: z.string(),
    sealText: z.string(),
    stockModel: z.enum(['direct', 'cloud']),
    freezeDays: z.number().int(),
    bindingPolicy: z.enum(['permanent', 'rebind']),
    rebindDays: z.number().int(),
    withdrawMinFen: z.number().int(),
    certValidDays: z.number().int(),
    setupNeeded: z.boolean().openapi({ description: 'True until the first admin has run POST /api/brand/setup' }),
    unpaidHoldMinutes: z.number().int().openapi({ description: 'How long an unpaid order holds its units' }),
    maxConsumerUnits: z.number().int().openapi({ description: 'The most units one consumer order may take' }),
    logoUrl: z.string(),
    theme: Theme,
    payoutTransfer: z.boolean().openapi({ description: 'Withdrawals are paid by WeChat Pay transfer when possible' }),
    autoCompleteDays: z.number().int().openapi({ description: 'Days after shipment when an order completes itself' }),
    payNote: z.string().openapi({ description: 'How buyers pay the brand offline (WeChat ID, phone, account)' }),
    archiveAfterMonths: z.number().int().openapi({ description: 'Closed months older than this move to the archive' }),
    payoutKinds: PayoutKinds,
    levels: z.array(Level),
  })
  .openapi('BrandSettings');

const SettingsPatch = z
  .object({
    name: TextLine(40),
    sealText: TextLine(24),
    stockModel: z.enum(['direct', 'cloud']),
    freezeDays: z.number().int().min(0).max(90),
    bindingPolicy: z.enum(['permanent', 'rebind']),
    rebindDays: z.number().int().min(1).max(3650),
    withdrawMinFen: Fen,
    certValidDays: z.number().int().min(1).max(3650),
    unpaidHoldMinutes: z.number().int().min(5).max(1440),
    maxConsumerUnits: z.number().int().min(1).max(9999),
    logoUrl: LogoUrl,
    theme: Theme,
    payoutTransfer: z.boolean(),
    autoCompleteDays: z.number().int().min(1).max(60),
    payNote: TextBlock(300),
    archiveAfterMonths: z.number().int().min(1).max(120),
    // Stored in form order, each once, so the same set is the same value (and a repeat changes nothing).
    payoutKinds: z.array(z.enum(PAYOUT_KINDS)).min(1).max(3).transform(canonicalKinds),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'blank' })
  .openapi('BrandSettingsPatch');

const LevelsBody = z
  .object({
    levels: z
      .array(z.strictObject({ rank: LevelRank, name: TextLine(12), firstOrderFen: Fen }))
      .min(1)
      .max(9),
  })
  .strict()
  .openapi('LevelsUpdate');

// The settings as stored, or the defaults with setupNeeded while the first admin has not run the setup step.
export async function loadSettings(db: Db) {
  const [[row], levelRows] = await db.batch([brandRowQuery(db), levelsQuery(db)]);
  if (!row) return { ...DEFAULT_SETTINGS, setupNeeded: true, levels: [] };
  const { id: _id, updatedAt: _u, ...settings } = row;
  return { ...settings, setupNeeded: false, levels: levelRows };
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
      const { name, logoUrl, theme, stockModel, payoutKinds, levels: all } = await loadSettings(c.var.db);
      const publicLevels = all.map(({ rank, name }) => ({ rank, name }));
      return c.json({ name, logoUrl, theme, stockModel, payoutKinds, levels: publicLevels }, 200);
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
      const [row] = await brandRowQuery(db);
      if (!row) throw new AppError('SETUP_REQUIRED');
      const change = settingsChange(row, patch);
      if (!change) return c.json(await loadSettings(db), 200);
      // Agents' cloud stock cannot be sold or picked up in the direct model, so the model stays while any is held.
      const modelChange = change.stockModel !== undefined;
      if (modelChange) await refuseWhileStockHeld(db);
      const now = Math.max(Date.now(), row.updatedAt + 1);
      try {
        await db.batch([
          db
            .update(brand)
            .set({ ...patch, updatedAt: now })
            .where(
              and(eq(brand.id, 1), eq(brand.updatedAt, row.updatedAt), modelChange ? noCloudStockHeld : undefined),
            ),
          changedGuard(db),
          audit(db, {
            actorRole: 'admin',
            actorId: caller.id,
            action: 'brand.settings',
            targetType: 'brand',
            targetId: 'brand',
            detail: change,
            at: now,
          }),
        ]);
      } catch (err) {
        if (!isGuardFailure(err)) throw err;
        if (modelChange) await refuseWhileStockHeld(db);
        throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
      }
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
      const [[held], [applied], [row], current] = await db.batch([
        db.select({ level: agents.level }).from(agents).where(gt(agents.level, top)).limit(1),
        db
          .select({ level: applications.level })
          .from(applications)
          .where(and(eq(applications.status, 'pending'), gt(applications.level, top)))
          .limit(1),
        brandRowQuery(db),
        levelsQuery(db),
      ]);
      if (!row) throw new AppError('SETUP_REQUIRED');
      if (sameLevels(current, body.levels)) return c.json(await loadSettings(db), 200);
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

async function refuseWhileStockHeld(db: Db): Promise<void> {
  const [held] = await cloudStockHeldQuery(db);
  if (held && held.agents > 0) {
    throw new AppError('STOCK_MODEL_LOCKED', {
      field: 'stockModel',
      params: { agents: held.agents, units: held.units },
    });
  }
}

function levelInUse(lang: 'zh' | 'en', rank: number): string {
  return lang === 'en' ? `Level ${rank} is still held or applied for` : `仍有代理持有或申请等级 ${rank}，不能删除`;
}
