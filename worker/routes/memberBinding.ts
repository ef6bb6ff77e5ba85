import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import { memberBindingQuery, setBindingByBrand } from '../../db/members';
import { agents, auditLog } from '../../db/schema';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { brandOnly } from '../middleware/session';
import { IdParam, jsonBody, jsonResponse, Reason } from '../schemas';

const BindingChange = z
  .strictObject({
    agentId: z
      .string()
      .regex(/^agt_[0-9a-z]{26}$/)
      .nullable()
      .openapi({ description: 'The agent to bind the member to (an active one), or null to remove the binding' }),
    reason: Reason,
  })
  .openapi('MemberBindingChange');

const BindingView = z
  .object({
    memberId: z.string(),
    boundAgentId: z.string().nullable(),
    boundAt: z.number().int().nullable(),
    boundProof: z.enum(['order', 'sms', 'openid', 'brand']).nullable(),
    auditId: z.string(),
  })
  .openapi('MemberBinding');

// The brand moves or removes a consumer's binding (锁粉), with a reason; the change and its audit entry are one batch.
export const memberBindingRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/brand/members/{id}/binding',
    tags: ['members'],
    summary: 'Move a member’s binding to another agent, or remove it (brand admin; written to the audit log)',
    middleware: [brandOnly] as const,
    request: { params: IdParam, ...jsonBody(BindingChange) },
    responses: { 200: jsonResponse(BindingView, 'The binding after the change'), ...errorResponses },
  }),
  async (c) => {
    const caller = c.var.caller;
    const { id } = c.req.valid('param');
    const { agentId, reason } = c.req.valid('json');
    const db = c.var.db;
    const [[member], [agent]] = await db.batch([
      memberBindingQuery(db, { id }),
      db
        .select({ id: agents.id, status: agents.status })
        .from(agents)
        .where(eq(agents.id, agentId ?? ''))
        .limit(1),
    ]);
    if (!member) throw new AppError('NOT_FOUND', { params: { what: 'member' } });
    if (agentId && !agent) throw new AppError('NOT_FOUND', { field: 'agentId', params: { what: 'agent' } });
    if (agent && agent.status !== 'active') throw new AppError('INVALID_STATE', { params: { state: agent.status } });
    if (member.boundAgentId === agentId) throw new AppError('INVALID_STATE', { params: { state: 'unchanged' } });
    const now = Date.now();
    const auditId = newId('aud', now);
    try {
      await db.batch([
        setBindingByBrand(db, member, agentId, auditId, now),
        changedGuard(db),
        db.insert(auditLog).values({
          id: auditId,
          actorRole: 'admin',
          actorId: caller?.id ?? null,
          action: agentId ? 'member.binding.move' : 'member.binding.remove',
          targetType: 'member',
          targetId: id,
          detail: { from: member.boundAgentId, to: agentId, reason },
          at: now,
        }),
      ]);
    } catch (err) {
      if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
      throw err;
    }
    return c.json(
      {
        memberId: id,
        boundAgentId: agentId,
        boundAt: agentId ? now : null,
        boundProof: agentId ? ('brand' as const) : null,
        auditId,
      },
      200,
    );
  },
);
