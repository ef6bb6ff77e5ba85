import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull, min, ne, sql } from 'drizzle-orm';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { resetSameLevelRecruits } from '../../db/incentives';
import { audit, chainAbove, leaveTeams, moveLevelInCounts, removeFromCounts, stillSupplies } from '../../db/network';
import { agents, applications, certificates, levels, sessions, teamCounts, teamMembers } from '../../db/schema';
import { downgradeBlockedBy, supplierAfterLevelChange } from '../domain/placement';
import type { Caller, Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { notFoundAgent, resolveVisibleAgent } from '../lib/access';
import { requireCaller } from '../middleware/session';
import { AgentIdParam, jsonBody, jsonResponse, LevelRank, Reason } from '../schemas';
import { AgentView, agentColumns } from './agentView';

const AgentDetail = AgentView.extend({
  levelName: z.string(),
  certificateNumber: z.string().nullable(),
  shopUrl: z.string().openapi({ description: 'The agent’s shop link to share' }),
  inviteUrl: z.string().openapi({ description: 'The link that recruits new agents through this agent' }),
}).openapi('AgentDetail');

const ReasonBody = z.strictObject({ reason: Reason });
const LevelBody = z.strictObject({ level: LevelRank, reason: Reason });

async function loadAgent(db: Db, id: string) {
  const [row] = await db.select(agentColumns).from(agents).where(eq(agents.id, id)).limit(1);
  if (!row) throw notFoundAgent();
  return row;
}

async function detail(db: Db, id: string, origin: string): Promise<z.infer<typeof AgentDetail>> {
  const [[row], [cert]] = await db.batch([
    db
      .select({ ...agentColumns, levelName: sql<string>`${levels.name}`.as('level_name') })
      .from(agents)
      .innerJoin(levels, eq(levels.rank, agents.level))
      .where(eq(agents.id, id))
      .limit(1),
    db.select({ number: certificates.number }).from(certificates).where(eq(certificates.agentId, id)).limit(1),
  ]);
  if (!row) throw notFoundAgent();
  return {
    ...row,
    certificateNumber: cert?.number ?? null,
    shopUrl: `${origin}/s/${row.code}`,
    inviteUrl: `${origin}/join?code=${row.code}`,
  };
}

function statusRoute(path: string, summary: string) {
  return createRoute({
    method: 'post',
    path,
    tags: ['agents'],
    summary,
    request: {
      params: z.object({
        id: z
          .string()
          .max(40)
          .openapi({ param: { name: 'id', in: 'path' } }),
      }),
      ...jsonBody(ReasonBody),
    },
    responses: { 200: jsonResponse(AgentDetail, 'The agent after the change'), ...errorResponses },
  });
}

// Suspend and resume flip the status where the agent is recorded (its row and its closure rows).
async function setStatus(
  db: Db,
  caller: Caller,
  id: string,
  from: 'active' | 'suspended',
  to: 'active' | 'suspended',
  reason: string | null,
) {
  const agent = await loadAgent(db, id);
  if (agent.status !== from) throw new AppError('INVALID_STATE', { params: { state: agent.status } });
  const now = Date.now();
  try {
    await db.batch([
      db
        .update(agents)
        .set({ status: to, statusReason: reason, updatedAt: now })
        .where(and(eq(agents.id, id), eq(agents.status, from))),
      changedGuard(db),
      db.update(teamMembers).set({ status: to }).where(eq(teamMembers.memberId, id)),
      audit(db, {
        actorRole: caller.role,
        actorId: caller.id,
        action: to === 'suspended' ? 'agent.suspend' : 'agent.resume',
        targetType: 'agent',
        targetId: id,
        detail: { reason },
        at: now,
      }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
    throw err;
  }
}

// Revocation is final: the agent's direct downline and pending applicants move to its supplier and its sessions end.
// Batch items led by a guarded update (aborts when the agent is already revoked), so a policing case can revoke in
// its own batch.
export function revokeStatements(
  db: Db,
  caller: Caller,
  agent: { id: string; supplierId: string | null; level: number },
  reason: string,
  now: number,
) {
  const { id } = agent;
  return [
    db
      .update(agents)
      .set({ status: 'revoked', statusReason: reason, updatedAt: now })
      .where(and(eq(agents.id, id), ne(agents.status, 'revoked'))),
    changedGuard(db),
    db.update(agents).set({ supplierId: agent.supplierId, updatedAt: now }).where(eq(agents.supplierId, id)),
    db
      .update(applications)
      .set({ supplierId: agent.supplierId })
      .where(and(eq(applications.supplierId, id), eq(applications.status, 'pending'))),
    removeFromCounts(db, id, agent.level),
    db.update(teamMembers).set({ status: 'revoked' }).where(eq(teamMembers.memberId, id)),
    db.delete(teamMembers).where(eq(teamMembers.ancestorId, id)),
    db.delete(teamCounts).where(eq(teamCounts.ownerId, id)),
    db.delete(sessions).where(eq(sessions.subjectId, id)),
    audit(db, {
      actorRole: caller.role,
      actorId: caller.id,
      action: 'agent.revoke',
      targetType: 'agent',
      targetId: id,
      detail: { reason, downlineMovedTo: agent.supplierId },
      at: now,
    }),
  ] as const;
}

export const agentRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}',
      tags: ['agents'],
      summary: 'One agent: itself, anyone in its team, or any agent for the brand; "me" for the caller',
      request: { params: AgentIdParam },
      responses: { 200: jsonResponse(AgentDetail, 'Agent'), ...errorResponses },
    }),
    async (c) => {
      const { agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
      return c.json(await detail(c.var.db, agentId, new URL(c.req.url).origin), 200);
    },
  )
  .openapi(
    statusRoute('/agents/{id}/suspend', 'Suspend (停货): no restocking, shop closed, earns nothing'),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { id } = c.req.valid('param');
      await setStatus(c.var.db, caller, id, 'active', 'suspended', c.req.valid('json').reason);
      return c.json(await detail(c.var.db, id, new URL(c.req.url).origin), 200);
    },
  )
  .openapi(statusRoute('/agents/{id}/resume', 'Resume a suspended agent'), async (c) => {
    const caller = requireCaller(c, 'admin');
    const { id } = c.req.valid('param');
    await setStatus(c.var.db, caller, id, 'suspended', 'active', c.req.valid('json').reason);
    return c.json(await detail(c.var.db, id, new URL(c.req.url).origin), 200);
  })
  .openapi(
    statusRoute('/agents/{id}/revoke', 'Revoke (final): its direct downline moves to its supplier'),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { id } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      const db = c.var.db;
      const agent = await loadAgent(db, id);
      if (agent.status === 'revoked') throw new AppError('INVALID_STATE', { params: { state: agent.status } });
      try {
        const [head, ...rest] = revokeStatements(db, caller, agent, reason, Date.now());
        await db.batch([head, ...rest]);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'revoked' } });
        throw err;
      }
      return c.json(await detail(db, id, new URL(c.req.url).origin), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/agents/{id}/level',
      tags: ['agents'],
      summary: 'Change an agent’s level; on upgrade it moves under the nearest strictly higher agent, with its team',
      request: {
        params: z.object({
          id: z
            .string()
            .max(40)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
        ...jsonBody(LevelBody),
      },
      responses: { 200: jsonResponse(AgentDetail, 'The agent after the change'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { id } = c.req.valid('param');
      const { level, reason } = c.req.valid('json');
      const db = c.var.db;
      const [agent, [known], above, [highestBelow]] = await Promise.all([
        loadAgent(db, id),
        db.select({ rank: levels.rank }).from(levels).where(eq(levels.rank, level)).limit(1),
        chainAbove(db, id),
        db
          .select({ level: min(agents.level) })
          .from(agents)
          .where(and(eq(agents.supplierId, id), ne(agents.status, 'revoked'))),
      ]);
      if (!known) throw new AppError('UNKNOWN_LEVEL', { field: 'level', params: { level } });
      if (agent.status === 'revoked') throw new AppError('INVALID_STATE', { params: { state: agent.status } });
      if (level === agent.level) throw new AppError('INVALID_STATE', { params: { state: `level ${level}` } });
      if (level > agent.level && downgradeBlockedBy(level, highestBelow?.level ?? null)) {
        throw new AppError('LEVEL_CONFLICT', { field: 'level', params: { detail: downlineTooHigh(c.var.lang) } });
      }
      const change =
        level < agent.level
          ? supplierAfterLevelChange(above, level)
          : { supplierId: agent.supplierId, leftAncestorIds: [] as string[] };
      const now = Date.now();
      try {
        await db.batch([
          db
            .update(agents)
            .set({ level, supplierId: change.supplierId, updatedAt: now })
            .where(
              and(
                eq(agents.id, id),
                eq(agents.level, agent.level),
                ne(agents.status, 'revoked'),
                // What was decided from the reads above still holds when the write lands: the same supplier (a
                // revocation moves its downline), the new one still there and strictly higher, and after a downgrade
                // no direct downline at or above the new level (an approval may have placed one since).
                agent.supplierId === null ? isNull(agents.supplierId) : eq(agents.supplierId, agent.supplierId),
                change.supplierId === null ? undefined : stillSupplies(change.supplierId, level),
                level > agent.level
                  ? sql`NOT EXISTS (SELECT 1 FROM agents d WHERE d.supplier_id = ${id} AND d.status <> 'revoked' AND d.level <= ${level})`
                  : undefined,
              ),
            ),
          changedGuard(db),
          ...leaveTeams(db, id, agent.level, change.leftAncestorIds),
          ...moveLevelInCounts(db, id, agent.level, level),
          // 推三升一 counts recruits of the level the agent holds: a new level starts the count again.
          resetSameLevelRecruits(db, id),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: level < agent.level ? 'agent.upgrade' : 'agent.downgrade',
            targetType: 'agent',
            targetId: id,
            detail: {
              reason,
              from: agent.level,
              to: level,
              supplierFrom: agent.supplierId,
              supplierTo: change.supplierId,
            },
            at: now,
          }),
        ]);
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('INVALID_STATE', { params: { state: 'changed' } });
        throw err;
      }
      return c.json(await detail(db, id, new URL(c.req.url).origin), 200);
    },
  );

function downlineTooHigh(lang: 'zh' | 'en'): string {
  return lang === 'en'
    ? 'A direct downline agent would be at or above the new level; move or change it first'
    : '有直属下级的等级不低于新等级，请先调整下级';
}
