import { and, desc, eq, inArray, isNotNull, isNull, lt, ne, sql } from 'drizzle-orm';
import type { AgentRef } from '../worker/domain/inspection';
import type { InspectionKind, InspectionStatus, NoticeKind } from '../worker/domain/types';
import type { Db } from '../worker/env';
import { newId } from './ids';
import { agentNotices, agents, inspections, levels, products, uploads } from './schema';

// Data access for policing (稽查): the brand's case queue and the notices agents read.
// Statements are returned unexecuted where they belong in a caller's batch.

// Columns of a case with its agent and product. Joined columns that share a name (id, name, code, status) are aliased:
// D1 returns rows keyed by column name.
const agentPart = {
  agentId: sql<string>`${agents.id}`.as('agent_key'),
  agentName: sql<string>`${agents.name}`.as('agent_name'),
  agentCode: sql<string>`${agents.code}`.as('agent_code'),
  agentLevel: sql<number>`${agents.level}`.as('agent_level'),
  levelName: sql<string>`${levels.name}`.as('level_name'),
  agentRegion: sql<string>`${agents.region}`.as('agent_region'),
  agentStatus: sql<'active' | 'suspended' | 'revoked'>`${agents.status}`.as('agent_status'),
  agentSupplierId: sql<string | null>`${agents.supplierId}`.as('agent_supplier_id'),
  supplyStoppedAt: agents.supplyStoppedAt,
};

const caseColumns = {
  id: inspections.id,
  kind: inspections.kind,
  status: inspections.status,
  ...agentPart,
  code: inspections.code,
  productId: inspections.productId,
  productName: sql<string | null>`${products.name}`.as('product_name'),
  retailFen: sql<number | null>`${products.retailFen}`.as('product_retail_fen'),
  regionSeen: inspections.regionSeen,
  authorizedRegion: inspections.authorizedRegion,
  priceSeenFen: inspections.priceSeenFen,
  note: inspections.note,
  reporterContact: inspections.reporterContact,
  evidence: inspections.evidence,
  hits: inspections.hits,
  resolution: inspections.resolution,
  fineFen: inspections.fineFen,
  decidedAt: inspections.decidedAt,
  createdAt: inspections.createdAt,
};

function caseQuery(db: Db) {
  return db
    .select(caseColumns)
    .from(inspections)
    .innerJoin(agents, eq(agents.id, inspections.agentId))
    .innerJoin(levels, eq(levels.rank, agents.level))
    .leftJoin(products, eq(products.id, inspections.productId));
}

export type CaseRow = Awaited<ReturnType<ReturnType<typeof caseQuery>['all']>>[number];

export async function findCase(db: Db, id: string): Promise<CaseRow | undefined> {
  const [row] = await caseQuery(db).where(eq(inspections.id, id)).limit(1);
  return row;
}

export interface CaseFilter {
  status?: InspectionStatus | undefined;
  kind?: InspectionKind | undefined;
  agentId?: string | undefined;
  cursor?: string | undefined;
}

// Newest first. A status or an agent walks its index (inspections_status, inspections_agent) in id order, so a page
// reads about limit + 1 cases and their agent, level and product rows.
export function listCases(db: Db, filter: CaseFilter, take: number) {
  return caseQuery(db)
    .where(
      and(
        filter.status ? eq(inspections.status, filter.status) : undefined,
        filter.kind ? eq(inspections.kind, filter.kind) : undefined,
        filter.agentId ? eq(inspections.agentId, filter.agentId) : undefined,
        filter.cursor ? lt(inspections.id, filter.cursor) : undefined,
      ),
    )
    .orderBy(desc(inspections.id))
    .limit(take);
}

export interface ReportInput {
  id: string;
  agent: AgentRef;
  productId: string | null;
  priceSeenFen: number;
  note: string;
  contact: string | null;
  /** The evidence pictures (their hash and served path), each uploaded as report evidence. */
  evidence: readonly { hash: string; url: string }[];
  now: number;
}

// The agent a report names: by code first, then WeChat ID (any case, through agents_wechat_nocase), then phone;
// each one indexed read.
function agentByRef(ref: AgentRef) {
  return sql`COALESCE(
    (SELECT id FROM agents WHERE code = ${ref.code}),
    (SELECT id FROM agents WHERE wechat = ${ref.wechat} COLLATE NOCASE LIMIT 1),
    (SELECT id FROM agents WHERE phone = ${ref.phone}))`;
}

export function agentIdByRef(db: Db, ref: AgentRef) {
  return db
    .select({ id: agents.id })
    .from(agents)
    .where(sql`${agents.id} = ${agentByRef(ref)}`);
}

// The report is written only when its agent (and product, if named, at a retail price not below the price seen)
// exists, every evidence picture was uploaded as evidence, and the reporter's newest rate-limit window, counted
// earlier in the same batch, is within `max`: one round trip, and a refused report writes no case.
export function insertReport(db: Db, r: ReportInput, limitKey: string, max: number) {
  const productOk =
    r.productId === null
      ? sql`1`
      : sql`EXISTS (SELECT 1 FROM products WHERE id = ${r.productId} AND retail_fen >= ${r.priceSeenFen})`;
  const evidenceOk =
    r.evidence.length === 0
      ? sql`1`
      : sql`(SELECT count(*) FROM uploads WHERE owner_id = 'report' AND hash IN (${sql.join(
          r.evidence.map((e) => sql`${e.hash}`),
          sql`, `,
        )})) = ${r.evidence.length}`;
  const evidence = JSON.stringify(r.evidence.map((e) => e.url));
  return db
    .insert(inspections)
    .select(
      sql`SELECT ${r.id}, 'price_report', 'open', a.id, NULL, ${r.productId}, NULL, NULL, ${r.priceSeenFen}, ${r.note},
        ${r.contact}, 1, NULL, NULL, NULL, NULL, ${r.now}, ${r.now}, ${evidence}
        FROM agents a
        WHERE a.id = ${agentByRef(r.agent)} AND ${productOk} AND ${evidenceOk}
          AND (SELECT count FROM rate_limits WHERE key = ${limitKey} ORDER BY window_start DESC LIMIT 1) <= ${max}`,
    )
    .returning({ id: inspections.id });
}

function agentQuery(db: Db, id: string) {
  return db
    .select(agentPart)
    .from(agents)
    .innerJoin(levels, eq(levels.rank, agents.level))
    .where(eq(agents.id, id))
    .limit(1);
}
export type AgentPart = Awaited<ReturnType<typeof agentQuery>>[number];

// An agent as a case shows it, by id.
export async function findAgent(db: Db, id: string): Promise<AgentPart | undefined> {
  const [row] = await agentQuery(db, id);
  return row;
}

export function productRetail(db: Db, id: string) {
  return db.select({ retailFen: products.retailFen }).from(products).where(eq(products.id, id)).limit(1);
}

/** Which of these hashes were uploaded as report evidence. */
export function evidenceUploads(db: Db, hashes: readonly string[]) {
  return db
    .select({ hash: uploads.hash })
    .from(uploads)
    .where(and(eq(uploads.ownerId, 'report'), inArray(uploads.hash, hashes.length ? [...hashes] : [''])));
}

// Closes an open case; the caller follows it with changedGuard so a second decision aborts its batch.
export function closeCase(
  db: Db,
  id: string,
  change: { status: Exclude<InspectionStatus, 'open'>; resolution: string; fineFen: number | null; by: string },
  now: number,
) {
  return db
    .update(inspections)
    .set({
      status: change.status,
      resolution: change.resolution,
      fineFen: change.fineFen,
      decidedBy: change.by,
      decidedAt: now,
      updatedAt: now,
    })
    .where(and(eq(inspections.id, id), eq(inspections.status, 'open')));
}

export function insertNotice(
  db: Db,
  n: { agentId: string; kind: NoticeKind; message: string; amountFen?: number | null; inspectionId?: string | null },
  now: number,
) {
  return db.insert(agentNotices).values({
    id: newId('ntc', now),
    agentId: n.agentId,
    kind: n.kind,
    message: n.message,
    amountFen: n.amountFen ?? null,
    inspectionId: n.inspectionId ?? null,
    createdAt: now,
  });
}

// A case's stop keeps an earlier stop time. Outside a case the brand flips it, and the caller guards that the row
// changed: stopping a stopped agent, resuming a supplied one or touching a revoked one changes nothing.
export function stopSupply(db: Db, agentId: string, now: number) {
  return db
    .update(agents)
    .set({ supplyStoppedAt: sql`coalesce(${agents.supplyStoppedAt}, ${now})`, updatedAt: now })
    .where(eq(agents.id, agentId));
}

export function flipSupply(db: Db, agentId: string, stopped: boolean, now: number) {
  return db
    .update(agents)
    .set({ supplyStoppedAt: stopped ? now : null, updatedAt: now })
    .where(
      and(
        eq(agents.id, agentId),
        ne(agents.status, 'revoked'),
        stopped ? isNull(agents.supplyStoppedAt) : isNotNull(agents.supplyStoppedAt),
      ),
    );
}

export function listNotices(db: Db, agentId: string, cursor: string | undefined, take: number) {
  return db
    .select({
      id: agentNotices.id,
      kind: agentNotices.kind,
      message: agentNotices.message,
      amountFen: agentNotices.amountFen,
      inspectionId: agentNotices.inspectionId,
      createdAt: agentNotices.createdAt,
    })
    .from(agentNotices)
    .where(and(eq(agentNotices.agentId, agentId), cursor ? lt(agentNotices.id, cursor) : undefined))
    .orderBy(desc(agentNotices.id))
    .limit(take);
}

export function supplyOf(db: Db, agentId: string) {
  return db
    .select({ supplyStoppedAt: agents.supplyStoppedAt, status: agents.status })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
}
