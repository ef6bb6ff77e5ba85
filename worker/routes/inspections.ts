import { createRoute, z } from '@hono/zod-openapi';
import { changedGuard, isGuardFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import {
  type AgentPart,
  type CaseRow,
  closeCase,
  findAgent,
  findCase,
  flipSupply,
  insertNotice,
  listCases,
  stopSupply,
} from '../../db/inspections';
import { postTransaction } from '../../db/ledger';
import { audit } from '../../db/network';
import {
  allowedActions,
  FINE_MAX_FEN,
  fineProblem,
  fineProblemMessage,
  type InspectionAction,
  inspectionActions,
  noticeKindOf,
  noticeMessage,
  statusAfter,
} from '../domain/inspection';
import { account } from '../domain/ledger';
import { inspectionKinds, inspectionStatuses } from '../domain/types';
import type { BatchItem, Caller, Db } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { brandOnly, requireCaller } from '../middleware/session';
import { AgentStatus, IdParam, jsonBody, jsonResponse, PageQuery, pageOf, Reason, toPage } from '../schemas';
import { revokeStatements } from './agents';

const AgentBrief = z
  .object({
    id: z.string(),
    name: z.string(),
    code: z.string(),
    level: z.number().int(),
    levelName: z.string(),
    region: z.string().openapi({ description: 'The authorized region' }),
    status: AgentStatus,
    supplyStopped: z.boolean(),
    supplyStoppedAt: z.number().int().nullable(),
  })
  .openapi('InspectionAgent');

const Inspection = z
  .object({
    id: z.string(),
    kind: z
      .enum(inspectionKinds)
      .openapi({ description: 'cross_region: 串货 flag from a verification; price_report: 乱价 report' }),
    status: z.enum(inspectionStatuses),
    agent: AgentBrief,
    code: z.string().nullable().openapi({ description: 'The anti-counterfeit code verified out of region' }),
    productId: z.string().nullable(),
    productName: z.string().nullable(),
    regionSeen: z.string().nullable(),
    authorizedRegion: z.string().nullable(),
    priceSeenFen: z.number().int().nullable().openapi({ description: 'The price the reporter saw' }),
    retailFen: z.number().int().nullable().openapi({ description: 'The product’s official retail price' }),
    note: z.string().nullable(),
    reporterContact: z.string().nullable(),
    evidence: z.array(z.string()).openapi({ description: 'Evidence pictures of a price report (/api/files/… paths)' }),
    hits: z.number().int().openapi({ description: 'Out-of-region verifications counted on this flag' }),
    resolution: z.string().nullable().openapi({ description: 'The brand’s reason for its decision' }),
    fineFen: z.number().int().nullable(),
    decidedAt: z.number().int().nullable(),
    createdAt: z.number().int(),
    allowedActions: z.array(z.enum(inspectionActions)).openapi({ description: 'What the brand may still do' }),
  })
  .openapi('Inspection');
type InspectionView = z.infer<typeof Inspection>;

const ListQuery = PageQuery.extend({
  status: z.enum(inspectionStatuses).optional(),
  kind: z.enum(inspectionKinds).optional(),
  agentId: z.string().max(40).optional(),
});

const ActionBody = z
  .strictObject({
    action: z.enum(inspectionActions),
    reason: Reason.min(2),
    fineFen: z
      .number()
      .int()
      .min(1)
      .max(FINE_MAX_FEN)
      .optional()
      .openapi({ description: 'Required for a fine (fen), refused for any other action' }),
  })
  .openapi('InspectionAction');

const SupplyBody = z.strictObject({ stopped: z.boolean(), reason: Reason.min(2) }).openapi('SupplyChange');

function agentBrief(row: AgentPart): z.infer<typeof AgentBrief> {
  return {
    id: row.agentId,
    name: row.agentName,
    code: row.agentCode,
    level: row.agentLevel,
    levelName: row.levelName,
    region: row.agentRegion,
    status: row.agentStatus,
    supplyStopped: row.supplyStoppedAt !== null,
    supplyStoppedAt: row.supplyStoppedAt,
  };
}

async function loadAgent(db: Db, id: string) {
  const row = await findAgent(db, id);
  if (!row) throw new AppError('NOT_FOUND', { params: { what: 'agent' } });
  return agentBrief(row);
}

function toView(row: CaseRow): InspectionView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    agent: agentBrief(row),
    code: row.code,
    productId: row.productId,
    productName: row.productName,
    regionSeen: row.regionSeen,
    authorizedRegion: row.authorizedRegion,
    priceSeenFen: row.priceSeenFen,
    retailFen: row.retailFen,
    note: row.note,
    reporterContact: row.reporterContact,
    evidence: row.evidence,
    hits: row.hits,
    resolution: row.resolution,
    fineFen: row.fineFen,
    decidedAt: row.decidedAt,
    createdAt: row.createdAt,
    allowedActions: allowedActions(row.status, row.agentStatus),
  };
}

async function loadCase(db: Db, id: string): Promise<CaseRow> {
  const row = await findCase(db, id);
  if (!row) throw new AppError('NOT_FOUND', { params: { what: 'inspection' } });
  return row;
}

// What the action does to the agent, as items of the case's batch.
function effectOf(
  db: Db,
  caller: Caller,
  found: CaseRow,
  action: InspectionAction,
  reason: string,
  fineFen: number,
  now: number,
) {
  const agentId = found.agentId;
  switch (action) {
    case 'fine':
      // Taken from the available balance even past zero: the debt blocks withdrawals until earnings repay it.
      return postTransaction(db, { id: newId('txn', now), kind: 'fine', memo: reason, at: now }, [
        { from: account.available(agentId), to: account.fines, amountFen: fineFen },
      ]);
    case 'stop_supply':
      return [stopSupply(db, agentId, now)];
    case 'revoke':
      return [
        ...revokeStatements(
          db,
          caller,
          { id: agentId, supplierId: found.agentSupplierId, level: found.agentLevel },
          reason,
          now,
        ),
      ];
    default:
      return [];
  }
}

async function act(
  db: Db,
  caller: Caller,
  id: string,
  action: InspectionAction,
  reason: string,
  fineFen: number | undefined,
) {
  const found = await loadCase(db, id);
  if (found.status !== 'open') throw new AppError('INSPECTION_CLOSED');
  if (!allowedActions(found.status, found.agentStatus).includes(action)) {
    throw new AppError('INVALID_STATE', { params: { state: found.agentStatus } });
  }
  const now = Date.now();
  const fine = action === 'fine' ? (fineFen ?? 0) : null;
  const noticeKind = noticeKindOf[action];
  const items: BatchItem[] = [
    ...effectOf(db, caller, found, action, reason, fine ?? 0, now),
    ...(noticeKind
      ? [
          insertNotice(
            db,
            {
              agentId: found.agentId,
              kind: noticeKind,
              message: noticeMessage(noticeKind, { reason, fineFen: fine, cause: found.kind }),
              amountFen: fine,
              inspectionId: id,
            },
            now,
          ),
        ]
      : []),
    // On the agent, so its audit log in the console shows what policing did to it.
    audit(db, {
      actorRole: caller.role,
      actorId: caller.id,
      action: `inspection.${action}`,
      targetType: 'agent',
      targetId: found.agentId,
      detail: { inspectionId: id, kind: found.kind, reason, ...(fine ? { amountFen: fine } : {}) },
      at: now,
    }),
  ];
  try {
    await db.batch([
      closeCase(db, id, { status: statusAfter[action], resolution: reason, fineFen: fine, by: caller.id }, now),
      changedGuard(db),
      ...items,
    ]);
  } catch (err) {
    if (!isGuardFailure(err)) throw err;
    // Another decision won the race, or the agent was revoked meanwhile.
    const again = await loadCase(db, id);
    if (again.status !== 'open') throw new AppError('INSPECTION_CLOSED');
    throw new AppError('INVALID_STATE', { params: { state: again.agentStatus } });
  }
  return toView(await loadCase(db, id));
}

export const inspectionRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/inspections',
      tags: ['policing'],
      summary:
        'The inspection queue (稽查): cross-selling flags and price-breaking reports, newest first (brand admin)',
      middleware: [brandOnly] as const,
      request: { query: ListQuery },
      responses: { 200: jsonResponse(pageOf(Inspection), 'A page of cases'), ...errorResponses },
    }),
    async (c) => {
      const { cursor, limit, status, kind, agentId } = c.req.valid('query');
      const rows = await listCases(c.var.db, { status, kind, agentId, cursor }, limit + 1);
      const page = toPage(rows, limit, (r) => r.id);
      return c.json({ items: page.items.map(toView), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/brand/inspections/{id}',
      tags: ['policing'],
      summary: 'One inspection case (brand admin)',
      middleware: [brandOnly] as const,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Inspection, 'The case'), ...errorResponses },
    }),
    async (c) => c.json(toView(await loadCase(c.var.db, c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/brand/inspections/{id}/actions',
      tags: ['policing'],
      summary: 'Decide an open case: dismiss, warn, fine, stop supply or revoke (brand admin)',
      description:
        'The case, its effect on the agent, the agent’s notice and the audit entry are written together. A closed ' +
        'case answers 409 INSPECTION_CLOSED; of two concurrent decisions exactly one is applied.',
      middleware: [brandOnly] as const,
      request: { params: IdParam, ...jsonBody(ActionBody) },
      responses: { 200: jsonResponse(Inspection, 'The case after the decision'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { action, reason, fineFen } = c.req.valid('json');
      const problem = fineProblem(action, fineFen);
      if (problem) {
        throw new AppError('VALIDATION_FAILED', {
          field: 'fineFen',
          params: { detail: fineProblemMessage(problem, c.var.lang) },
        });
      }
      return c.json(await act(c.var.db, caller, c.req.valid('param').id, action, reason, fineFen), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/brand/agents/{id}/supply',
      tags: ['policing'],
      summary: 'Stop (停货) or resume an agent’s supply outside a case; the agent is told why (brand admin)',
      middleware: [brandOnly] as const,
      request: { params: IdParam, ...jsonBody(SupplyBody) },
      responses: { 200: jsonResponse(AgentBrief, 'The agent after the change'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'admin');
      const { id } = c.req.valid('param');
      const { stopped, reason } = c.req.valid('json');
      const db = c.var.db;
      const now = Date.now();
      const kind = stopped ? 'supply_stopped' : 'supply_resumed';
      try {
        await db.batch([
          flipSupply(db, id, stopped, now),
          changedGuard(db),
          insertNotice(db, { agentId: id, kind, message: noticeMessage(kind, { reason }) }, now),
          audit(db, {
            actorRole: caller.role,
            actorId: caller.id,
            action: stopped ? 'agent.supply_stop' : 'agent.supply_resume',
            targetType: 'agent',
            targetId: id,
            detail: { reason },
            at: now,
          }),
        ]);
      } catch (err) {
        if (!isGuardFailure(err)) throw err;
        const agent = await loadAgent(db, id);
        throw new AppError('INVALID_STATE', {
          params: {
            state: agent.status === 'revoked' ? 'revoked' : agent.supplyStopped ? 'supply_stopped' : 'supplied',
          },
        });
      }
      return c.json(await loadAgent(db, id), 200);
    },
  );
