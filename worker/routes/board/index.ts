import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { agentRanking, setTeamTarget, teamMonth, teamOf, teamRanking } from '../../../db/board';
import { agents } from '../../../db/schema';
import { encodeRankCursor, MONTH_PATTERN, progressBp } from '../../domain/board';
import { AppError, errorResponses } from '../../errors';
import { createRouter } from '../../http';
import { requireCaller } from '../../middleware/session';
import { jsonBody, jsonResponse, pageOf } from '../../schemas';
import { Metric, monthOr, RankPageQuery, rankCursor } from './params';

// Team PK (团队 PK): monthly rankings of agents and of teams (a team is an agent the brand supplies and everyone under
// it), from the counters the triggers of migration 0012 keep. The brand sees every ranking; an agent sees its own
// team's: the agents of its team and its team's totals and target.

const AgentRow = z
  .object({
    rank: z.number().int(),
    agentId: z.string(),
    name: z.string(),
    level: z.number().int(),
    teamId: z.string(),
    value: z.number().int().openapi({ description: 'Fen for sales, a count otherwise' }),
  })
  .openapi('BoardAgentRow');

const TeamRow = z
  .object({
    rank: z.number().int(),
    teamId: z.string(),
    name: z.string().openapi({ description: 'The team head’s name' }),
    value: z.number().int(),
    targetFen: z.number().int().nullable(),
    progressBp: z.number().int().nullable().openapi({ description: 'Sales ÷ target in basis points (sales only)' }),
  })
  .openapi('BoardTeamRow');

const TeamMonth = z
  .object({
    month: z.string(),
    teamId: z.string(),
    name: z.string(),
    salesFen: z.number().int(),
    newAgents: z.number().int(),
    newMembers: z.number().int(),
    targetFen: z.number().int().nullable(),
    progressBp: z.number().int().nullable(),
  })
  .openapi('BoardTeamMonth');

const TargetBody = z
  .strictObject({
    month: z.string().regex(MONTH_PATTERN).openapi({ example: '2026-12' }),
    teamId: z.string().max(40),
    salesFen: z.number().int().min(1).max(100_000_000_000).openapi({ description: 'Monthly sales target in fen' }),
  })
  .openapi('TeamTarget');

const noTeam = (field?: string) => new AppError('NOT_FOUND', { ...(field ? { field } : {}), params: { what: 'team' } });

async function teamView(c: Parameters<typeof requireCaller>[0], teamId: string, month: string) {
  const t = await teamMonth(c.var.db, teamId, month);
  if (!t.head || t.head.supplierId !== null) throw noTeam();
  return {
    month,
    teamId,
    name: t.head.name,
    salesFen: t.sales,
    newAgents: t.agents,
    newMembers: t.members,
    targetFen: t.targetFen,
    progressBp: progressBp(t.sales, t.targetFen),
  };
}

export const boardRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/board/agents',
      tags: ['board'],
      summary: 'Monthly agent ranking: all agents (brand), or the caller’s own team (agent)',
      request: { query: RankPageQuery.extend({ metric: Metric, teamId: z.string().max(40).optional() }) },
      responses: { 200: jsonResponse(pageOf(AgentRow), 'A page of the ranking, best first'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin', 'agent');
      const q = c.req.valid('query');
      const after = rankCursor(q.cursor);
      let teamId = q.teamId ?? null;
      if (caller.role === 'agent') {
        const own = await teamOf(c.var.db, caller.id);
        if (!own || (teamId !== null && teamId !== own)) throw noTeam('teamId');
        teamId = own;
      }
      const rows = await agentRanking(c.var.db, {
        month: monthOr(q.month),
        metric: q.metric,
        teamId,
        after,
        limit: q.limit + 1,
      });
      const start = after?.rank ?? 0;
      const items = rows.slice(0, q.limit).map((r, i) => ({ rank: start + i + 1, ...r }));
      const last = items[items.length - 1];
      const nextCursor =
        rows.length > q.limit && last
          ? encodeRankCursor({ value: last.value, key: last.agentId, rank: last.rank })
          : null;
      return c.json({ items, nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/board/teams',
      tags: ['board'],
      summary: 'Monthly team ranking (brand), with each team’s sales target and progress',
      request: { query: RankPageQuery.extend({ metric: Metric }) },
      responses: { 200: jsonResponse(pageOf(TeamRow), 'A page of the ranking, best first'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const q = c.req.valid('query');
      const after = rankCursor(q.cursor);
      const rows = await teamRanking(c.var.db, {
        month: monthOr(q.month),
        metric: q.metric,
        after,
        limit: q.limit + 1,
      });
      const start = after?.rank ?? 0;
      const items = rows.slice(0, q.limit).map((r, i) => ({
        rank: start + i + 1,
        teamId: r.teamId,
        name: r.name,
        value: r.value,
        targetFen: r.targetFen,
        progressBp: q.metric === 'sales' ? progressBp(r.value, r.targetFen) : null,
      }));
      const last = items[items.length - 1];
      const nextCursor =
        rows.length > q.limit && last
          ? encodeRankCursor({ value: last.value, key: last.teamId, rank: last.rank })
          : null;
      return c.json({ items, nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/board/teams/{id}',
      tags: ['board'],
      summary: 'One team’s month: sales, new agents and members, target and progress (`me`: the caller’s team)',
      request: {
        params: z.object({
          id: z
            .string()
            .max(40)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
        query: z.object({ month: RankPageQuery.shape.month }),
      },
      responses: { 200: jsonResponse(TeamMonth, 'The team’s month'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin', 'agent');
      const { id } = c.req.valid('param');
      let teamId = id;
      if (caller.role === 'agent') {
        const own = await teamOf(c.var.db, caller.id);
        // An agent names its team as `me` (or by its own id when it heads it): another agent's id, its upline's
        // included, is not its to look up, as on every route that takes an id.
        if (!own || (id !== 'me' && !(id === own && own === caller.id))) throw noTeam();
        teamId = own;
      } else if (id === 'me') throw noTeam();
      return c.json(await teamView(c, teamId, monthOr(c.req.valid('query').month)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/board/targets',
      tags: ['board'],
      summary: 'Set a team’s monthly sales target (brand)',
      request: jsonBody(TargetBody),
      responses: { 200: jsonResponse(TeamMonth, 'The team’s month with its new target'), ...errorResponses },
    }),
    async (c) => {
      requireCaller(c, 'admin');
      const body = c.req.valid('json');
      const db = c.var.db;
      const [head] = await db
        .select({ supplierId: agents.supplierId })
        .from(agents)
        .where(eq(agents.id, body.teamId))
        .limit(1);
      if (!head || head.supplierId !== null) throw noTeam('teamId');
      await setTeamTarget(db, body.month, body.teamId, body.salesFen, Date.now());
      return c.json(await teamView(c, body.teamId, body.month), 200);
    },
  );
