import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, gt, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { BRAND_OWNER, chainAbove } from '../../db/network';
import { agents, teamCounts, teamMembers } from '../../db/schema';
import { errorResponses } from '../errors';
import { createRouter } from '../http';
import { resolveVisibleAgent } from '../lib/access';
import { requireCaller } from '../middleware/session';
import { AgentIdParam, AgentStatus, jsonResponse, PageQuery, pageOf, toPage } from '../schemas';
import { AgentView, agentColumns } from './agentView';

const TeamQuery = PageQuery.extend({
  level: z.coerce.number().int().min(1).max(9).optional(),
  status: AgentStatus.optional(),
  q: z.string().trim().min(1).max(40).optional().openapi({ description: 'Name contains, or phone starts with' }),
});

const Summary = z
  .object({
    total: z.number().int(),
    byLevel: z.array(z.object({ level: z.number().int(), count: z.number().int() })),
  })
  .openapi('TeamSummary');

const ChainLink = z.object({ id: z.string(), name: z.string(), level: z.number().int(), status: AgentStatus });
const Chain = z
  .object({
    links: z.array(ChainLink).openapi({ description: 'From the top down to the agent itself' }),
    reachesBrand: z.boolean().openapi({ description: 'false when the chain is cut at the caller' }),
  })
  .openapi('SupplyChain');

// LIKE with the typed text taken literally: its % _ and \ are escaped, and ESCAPE says by what (SQLite has no default
// escape character, so without it "wx\_a" would look for a backslash).
function literalLike(column: SQLiteColumn, pattern: (escaped: string) => string, q: string): SQL {
  const escaped = q.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  return sql`${column} LIKE ${pattern(escaped)} ESCAPE '\\'`;
}

function search(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  return /^\d+$/.test(q)
    ? literalLike(agents.phone, (e) => `${e}%`, q)
    : or(
        literalLike(agents.name, (e) => `%${e}%`, q),
        literalLike(agents.wechat, (e) => `${e}%`, q),
      );
}

export const teamRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents',
      tags: ['team'],
      summary: 'Every agent (brand admin), filtered and paginated',
      request: { query: TeamQuery },
      responses: { 200: jsonResponse(pageOf(AgentView), 'A page of agents'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const { cursor, limit, level, status, q } = c.req.valid('query');
      const rows = await c.var.db
        .select(agentColumns)
        .from(agents)
        .where(
          and(
            level ? eq(agents.level, level) : undefined,
            status ? eq(agents.status, status) : undefined,
            search(q),
            cursor ? gt(agents.id, cursor) : undefined,
          ),
        )
        .orderBy(asc(agents.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}/downline',
      tags: ['team'],
      summary: 'Direct downline: the agents this agent supplies',
      request: { params: AgentIdParam, query: TeamQuery },
      responses: { 200: jsonResponse(pageOf(AgentView), 'A page of agents'), ...errorResponses },
    }),
    async (c) => {
      const { agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
      const { cursor, limit, level, status, q } = c.req.valid('query');
      const rows = await c.var.db
        .select(agentColumns)
        .from(agents)
        .where(
          and(
            eq(agents.supplierId, agentId),
            level ? eq(agents.level, level) : undefined,
            status ? eq(agents.status, status) : undefined,
            search(q),
            cursor ? gt(agents.id, cursor) : undefined,
          ),
        )
        .orderBy(asc(agents.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}/team',
      tags: ['team'],
      summary: 'The whole team below an agent, filtered and paginated',
      request: { params: AgentIdParam, query: TeamQuery },
      responses: { 200: jsonResponse(pageOf(AgentView), 'A page of agents'), ...errorResponses },
    }),
    async (c) => {
      const { agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
      const { cursor, limit, level, status, q } = c.req.valid('query');
      const rows = await c.var.db
        .select(agentColumns)
        .from(teamMembers)
        .innerJoin(agents, eq(agents.id, teamMembers.memberId))
        .where(
          and(
            eq(teamMembers.ancestorId, agentId),
            level ? eq(teamMembers.level, level) : undefined,
            status ? eq(teamMembers.status, status) : undefined,
            search(q),
            cursor ? gt(teamMembers.memberId, cursor) : undefined,
          ),
        )
        .orderBy(asc(teamMembers.memberId))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}/team/summary',
      tags: ['team'],
      summary: 'Counts per level of the whole team (revoked agents not counted); id "brand" for the brand admin',
      request: { params: AgentIdParam },
      responses: { 200: jsonResponse(Summary, 'Counts'), ...errorResponses },
    }),
    async (c) => {
      const param = c.req.valid('param').id;
      const owner =
        param === BRAND_OWNER && requireCaller(c, 'admin')
          ? BRAND_OWNER
          : (await resolveVisibleAgent(c, param)).agentId;
      const rows = await c.var.db
        .select({ level: teamCounts.level, count: teamCounts.count })
        .from(teamCounts)
        .where(eq(teamCounts.ownerId, owner))
        .orderBy(asc(teamCounts.level));
      const byLevel = rows.filter((r) => r.count > 0);
      return c.json({ total: byLevel.reduce((sum, r) => sum + r.count, 0), byLevel }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agents/{id}/chain',
      tags: ['team'],
      summary: 'The supply chain from the top down to the agent; an agent sees it only up to itself',
      request: { params: AgentIdParam },
      responses: { 200: jsonResponse(Chain, 'Chain'), ...errorResponses },
    }),
    async (c) => {
      const { caller, agentId } = await resolveVisibleAgent(c, c.req.valid('param').id);
      const db = c.var.db;
      const [[self], above] = await Promise.all([
        db
          .select({ id: agents.id, name: agents.name, level: agents.level, status: agents.status })
          .from(agents)
          .where(eq(agents.id, agentId))
          .limit(1),
        chainAbove(db, agentId),
      ]);
      const full = [...above.reverse(), ...(self ? [self] : [])];
      // Someone below the caller sees the chain from the caller down, not the caller's own uplines.
      const cut = caller.role === 'agent' && caller.id !== agentId ? full.findIndex((l) => l.id === caller.id) : 0;
      const links = full.slice(Math.max(cut, 0));
      return c.json({ links, reachesBrand: cut <= 0 }, 200);
    },
  );
