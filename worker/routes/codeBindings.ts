import { createRoute, z } from '@hono/zod-openapi';
import { eq, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import { bindingsPage, bindStatements, productsOfCodes, type SerialRange, whyNotBound } from '../../db/codeBindings';
import { isGuardFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import { audit } from '../../db/network';
import { agents, certificates, codeBindings, orderLines, orders, products } from '../../db/schema';
import { formatCode, normaliseCode, serialLabel } from '../domain/codes';
import type { AppEnv } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { requireCaller } from '../middleware/session';
import { Id, jsonBody, jsonResponse, PageQuery, pageOf, toPage } from '../schemas';
import { brandOnly } from './products';

const MAX_CODES = 100_000;
// Orders whose goods may go out with codes: paid and after.
const shippableOrder = new Set(['paid', 'shipped', 'completed']);

const Serial = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const NewBinding = z
  .strictObject({
    agentId: Id('agt'),
    orderId: Id('ord').optional(),
    ranges: z
      .array(z.strictObject({ from: Serial, to: Serial }))
      .max(20)
      .optional()
      .openapi({ description: 'Serial ranges, both ends included; 100,000 codes at most in all' }),
    codes: z
      .array(z.string().max(64))
      .max(100)
      .optional()
      .openapi({ description: 'Codes as printed (XXXX-XXXX-XXXX-XXXX) or bare' }),
  })
  .openapi('NewCodeBinding');

const BindingView = z
  .object({
    id: z.string(),
    agentId: z.string(),
    agentName: z.string(),
    orderId: z.string().nullable(),
    serialFrom: z.number().int().nullable().openapi({ description: 'Set when the binding is one serial range' }),
    serialTo: z.number().int().nullable(),
    count: z.number().int(),
    createdAt: z.number().int(),
  })
  .openapi('CodeBinding');

function invalid(c: Context<AppEnv>, field: string, zh: string, en: string): AppError {
  const detail = c.var.lang === 'en' ? `${field}: ${en}` : `${field}：${zh}`;
  return new AppError('VALIDATION_FAILED', { field, params: { detail } });
}

interface BindInput {
  ranges: SerialRange[];
  codes: string[];
}

// Normalised codes (duplicates dropped), ranges in order and apart, at least one code and at most 100,000.
function bindInput(c: Context<AppEnv>, body: z.infer<typeof NewBinding>): BindInput {
  const list: string[] = [];
  for (const [i, raw] of (body.codes ?? []).entries()) {
    const code = normaliseCode(raw);
    if (!code) throw new AppError('CODE_MALFORMED', { field: `codes.${i}` });
    if (!list.includes(code)) list.push(code);
  }
  const ranges = [...(body.ranges ?? [])].sort((a, b) => a.from - b.from);
  let total = list.length;
  for (const [i, r] of ranges.entries()) {
    if (r.to < r.from) throw invalid(c, 'ranges', '结束序列号不能小于起始序列号', 'a range ends before it starts');
    const before = ranges[i - 1];
    if (before && r.from <= before.to) throw invalid(c, 'ranges', '序列号区间有重叠', 'the ranges overlap');
    total += r.to - r.from + 1;
  }
  if (total === 0) throw invalid(c, 'ranges', '请填写序列号区间或防伪码', 'give serial ranges or codes');
  if (total > MAX_CODES) {
    throw invalid(c, 'ranges', `一次最多绑定 ${MAX_CODES} 个防伪码`, `at most ${MAX_CODES} codes at a time`);
  }
  return { ranges, codes: list };
}

// The order a shipment belongs to: the agent's own (restock, pickup, or a consumer order through it), paid, with
// the codes' products among its lines.
async function checkOrder(c: Context<AppEnv>, orderId: string, agentId: string, input: BindInput): Promise<void> {
  const db = c.var.db;
  const [[order], lines] = await db.batch([
    db.select({ agentId: orders.agentId, status: orders.status }).from(orders).where(eq(orders.id, orderId)).limit(1),
    db.select({ productId: orderLines.productId }).from(orderLines).where(eq(orderLines.orderId, orderId)),
  ]);
  if (!order || order.agentId !== agentId) {
    throw invalid(c, 'orderId', '该订单不是此代理的订单', 'this order is not one of this agent’s');
  }
  if (!shippableOrder.has(order.status)) throw new AppError('INVALID_STATE', { params: { state: order.status } });
  const ordered = new Set(lines.map((l) => l.productId));
  const coded = await productsOfCodes(db, input.ranges, input.codes);
  const stray = [...coded].filter((id) => !ordered.has(id));
  if (stray.length === 0) return;
  const named = await db.select({ name: products.name }).from(products).where(inArray(products.id, stray)).limit(3);
  const names = named.map((p) => p.name).join('、');
  throw invalid(c, 'orderId', `订单中没有这些防伪码的商品（${names}）`, `the order has no line for ${names}`);
}

async function refusal(c: Context<AppEnv>, input: BindInput): Promise<AppError> {
  const why = await whyNotBound(c.var.db, input.ranges, input.codes);
  const field = input.ranges.length > 0 ? 'ranges' : 'codes';
  if (why?.code === 'CODES_MISSING') {
    const first = /^\d+$/.test(why.first) ? serialLabel(Number(why.first)) : formatCode(why.first);
    return new AppError('CODES_MISSING', { field, params: { count: why.count, serial: first } });
  }
  if (why?.code === 'CODE_ALREADY_BOUND') {
    return new AppError('CODE_ALREADY_BOUND', {
      field,
      params: { count: why.count, serial: serialLabel(why.first) },
    });
  }
  if (why?.code === 'LISTED_TWICE') {
    return invalid(c, 'codes', '有防伪码已在序列号区间内', 'a listed code is also in a range');
  }
  return new AppError('INVALID_STATE', { params: { state: 'changed' } });
}

export const codeBindingRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/brand/code-bindings',
      tags: ['codes'],
      summary: 'Bind codes (serial ranges or listed codes) to the agent they are shipped to; all or nothing',
      middleware: [brandOnly] as const,
      request: jsonBody(NewBinding),
      responses: { 201: jsonResponse(BindingView, 'The binding'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const body = c.req.valid('json');
      const input = bindInput(c, body);
      const db = c.var.db;
      const [agent] = await db
        .select({ name: agents.name, status: agents.status, certNumber: certificates.number })
        .from(agents)
        .leftJoin(certificates, eq(certificates.agentId, agents.id))
        .where(eq(agents.id, body.agentId))
        .limit(1);
      if (!agent) throw new AppError('NOT_FOUND', { field: 'agentId', params: { what: 'agent' } });
      if (agent.status === 'revoked')
        throw new AppError('INVALID_STATE', { field: 'agentId', params: { state: 'revoked' } });
      if (body.orderId) await checkOrder(c, body.orderId, body.agentId, input);
      const now = Date.now();
      const id = newId('cbd', now);
      const count = input.codes.length + input.ranges.reduce((n, r) => n + r.to - r.from + 1, 0);
      const single = input.ranges.length === 1 && input.codes.length === 0 ? input.ranges[0] : undefined;
      const row = {
        id,
        agentId: body.agentId,
        orderId: body.orderId ?? null,
        serialFrom: single?.from ?? null,
        serialTo: single?.to ?? null,
        count,
        createdAt: now,
      };
      try {
        await db.batch([
          db.insert(codeBindings).values({ ...row, createdBy: caller.id }),
          ...bindStatements(db, {
            id,
            agentId: body.agentId,
            certNumber: agent.certNumber,
            orderId: row.orderId,
            ranges: input.ranges,
            codes: input.codes,
            createdBy: caller.id,
            at: now,
          }),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: 'codes.bind',
            targetType: 'agent',
            targetId: body.agentId,
            detail: { bindingId: id, orderId: row.orderId, ranges: input.ranges, codes: input.codes.length, count },
            at: now,
          }),
        ]);
      } catch (err) {
        if (isGuardFailure(err)) throw await refusal(c, input);
        throw err;
      }
      return c.json({ ...row, agentName: agent.name }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/code-bindings',
      tags: ['codes'],
      summary: 'Code bindings, newest first, optionally of one agent (brand admin)',
      middleware: [brandOnly] as const,
      request: { query: PageQuery.extend({ agentId: Id('agt').optional() }) },
      responses: { 200: jsonResponse(pageOf(BindingView), 'A page of bindings'), ...errorResponses },
    }),
    async (c) => {
      const { agentId, cursor, limit } = c.req.valid('query');
      const rows = await bindingsPage(c.var.db, agentId, cursor, limit);
      return c.json(
        toPage(rows, limit, (r) => r.id),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/agent/code-bindings',
      tags: ['codes'],
      summary: 'The codes shipped to the signed-in agent, newest first',
      request: { query: PageQuery },
      responses: { 200: jsonResponse(pageOf(BindingView), 'A page of bindings'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'agent');
      const { cursor, limit } = c.req.valid('query');
      const rows = await bindingsPage(c.var.db, caller.id, cursor, limit);
      return c.json(
        toPage(rows, limit, (r) => r.id),
        200,
      );
    },
  );
