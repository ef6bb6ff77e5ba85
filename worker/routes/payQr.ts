import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { audit } from '../../db/network';
import { type Payee, payeeDetails } from '../../db/payee';
import { agents, brand } from '../../db/schema';
import { ownUpload } from '../../db/uploads';
import { filePath, uploadHashIn } from '../domain/upload';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { jsonBody, jsonResponse } from '../schemas';

const PayQr = z
  .strictObject({
    payQrUrl: z.string().max(300).nullable().openapi({
      description: 'An upload of the caller’s own (POST /api/uploads answers its url); null removes the 收款码',
      example: '/api/files/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    }),
  })
  .openapi('PayQr');

const PayeeView = z.object({ name: z.string(), payNote: z.string(), payQrUrl: z.string().nullable() }).openapi('Payee');

// The stored path of the requested picture ('' for none); a value that is not one of our upload paths is bad input.
// Only the owner's own upload may be attached: ownUpload is checked inside the update, so nothing is written otherwise.
export function uploadPathOf(url: string | null, field: string): { path: string; hash: string | null } {
  if (url === null || url.trim() === '') return { path: '', hash: null };
  const hash = uploadHashIn(url);
  if (!hash) throw new AppError('VALIDATION_FAILED', { field, params: { detail: `${field}：请先上传图片` } });
  return { path: filePath(hash), hash };
}

export const notOwned = (field = 'payQrUrl') => new AppError('NOT_FOUND', { field, params: { what: 'upload' } });

const view = (p: Payee) => ({ name: p.name, payNote: p.payNote, payQrUrl: p.payQrUrl });

// 收款码: the payment QR buyers scan to pay an agent (or the brand) offline, shown with the payee on their orders.
export const payQrRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/me/payee',
      tags: ['agents'],
      summary: 'How buyers pay the calling agent offline (payment note and 收款码), as its orders show it',
      responses: { 200: jsonResponse(PayeeView, 'The payee details'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      return c.json(view(await payeeDetails(c.var.db, caller.id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/agents/me/pay-qr',
      tags: ['agents'],
      summary: 'The calling agent sets (or removes) its 收款码 from one of its own uploads',
      request: jsonBody(PayQr),
      responses: { 200: jsonResponse(PayeeView, 'Saved'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const { path, hash } = uploadPathOf(c.req.valid('json').payQrUrl, 'payQrUrl');
      const db = c.var.db;
      const changed = await db
        .update(agents)
        .set({ payQrUrl: path, updatedAt: Date.now() })
        .where(and(eq(agents.id, caller.id), ownUpload(hash, caller.id)))
        .returning({ id: agents.id });
      if (changed.length === 0) throw notOwned();
      return c.json(view(await payeeDetails(db, caller.id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/payee',
      tags: ['brand'],
      summary: 'How buyers pay the brand offline (payment note and 收款码)',
      responses: { 200: jsonResponse(PayeeView, 'The payee details'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      return c.json(view(await payeeDetails(c.var.db, 'brand')), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/brand/pay-qr',
      tags: ['brand'],
      summary: 'The brand sets (or removes) its 收款码 from one of the brand’s uploads; audited',
      request: jsonBody(PayQr),
      responses: { 200: jsonResponse(PayeeView, 'Saved'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { path, hash } = uploadPathOf(c.req.valid('json').payQrUrl, 'payQrUrl');
      const db = c.var.db;
      const now = Date.now();
      try {
        await db.batch([
          db
            .update(brand)
            .set({ payQrUrl: path, updatedAt: now })
            .where(and(eq(brand.id, 1), ownUpload(hash, 'brand'))),
          changedGuard(db),
          audit(db, {
            actorRole: 'admin',
            actorId: caller.id,
            action: 'brand.pay_qr',
            targetType: 'brand',
            targetId: 'brand',
            detail: { payQrUrl: path },
            at: now,
          }),
        ]);
      } catch (err) {
        if (!isGuardFailure(err)) throw err;
        const [row] = await db.select({ id: brand.id }).from(brand).where(eq(brand.id, 1));
        throw row ? notOwned() : new AppError('SETUP_REQUIRED');
      }
      return c.json(view(await payeeDetails(db, 'brand')), 200);
    },
  );
