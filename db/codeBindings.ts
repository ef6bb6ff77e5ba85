import { and, asc, desc, eq, isNull, lt, lte, sql } from 'drizzle-orm';
import type { BatchItem, Db } from '../worker/env';
import { agents, codeBatches, codeBindings, codes } from './schema';

// Data access for bindings: which codes went to which agent. A binding claims every code it names or none.

export const bindingColumns = {
  id: codeBindings.id,
  agentId: codeBindings.agentId,
  agentName: agents.name,
  orderId: codeBindings.orderId,
  serialFrom: codeBindings.serialFrom,
  serialTo: codeBindings.serialTo,
  count: codeBindings.count,
  createdAt: codeBindings.createdAt,
};

export function bindingsPage(db: Db, agentId: string | undefined, before: string | undefined, limit: number) {
  return db
    .select(bindingColumns)
    .from(codeBindings)
    .innerJoin(agents, eq(agents.id, codeBindings.agentId))
    .where(
      and(agentId ? eq(codeBindings.agentId, agentId) : undefined, before ? lt(codeBindings.id, before) : undefined),
    )
    .orderBy(desc(codeBindings.id))
    .limit(limit + 1);
}

export interface SerialRange {
  from: number;
  to: number;
}

export interface Binding {
  id: string;
  agentId: string;
  certNumber: string | null;
  orderId: string | null;
  ranges: SerialRange[];
  codes: string[];
  createdBy: string;
  at: number;
}

// Aborts the batch unless the statement before it changed exactly `expected` rows. The count is written into
// the SQL as a number (drizzle cannot batch db.run with bound parameters); it is a checked integer.
function changedExactly(db: Db, expected: number) {
  if (!Number.isSafeInteger(expected) || expected < 0) throw new Error(`bad expected count ${expected}`);
  return db.run(sql`INSERT OR REPLACE INTO guards (id, ok) VALUES (1, changes() = ${sql.raw(String(expected))})`);
}

export const listedCodes = (list: string[]) =>
  sql`${codes.code} IN (SELECT value FROM json_each(${JSON.stringify(list)}))`;

/** The statements that bind: each conditional UPDATE must claim every one of its codes, or the batch aborts. */
export function bindStatements(db: Db, b: Binding): BatchItem[] {
  const set = { agentId: b.agentId, certNumber: b.certNumber, bindingId: b.id, boundAt: b.at };
  const unbound = isNull(codes.agentId);
  const items: BatchItem[] = [];
  for (const r of b.ranges) {
    items.push(
      db
        .update(codes)
        .set(set)
        .where(and(sql`${codes.serial} BETWEEN ${r.from} AND ${r.to}`, unbound)),
      changedExactly(db, r.to - r.from + 1),
    );
  }
  if (b.codes.length > 0) {
    items.push(
      db
        .update(codes)
        .set(set)
        .where(and(listedCodes(b.codes), unbound)),
      changedExactly(db, b.codes.length),
    );
  }
  return items;
}

export type Refusal =
  | { code: 'CODES_MISSING'; count: number; first: string }
  | { code: 'CODE_ALREADY_BOUND'; count: number; first: number }
  | { code: 'LISTED_TWICE' }
  | null;

/**
 * Why a binding was refused, read after the fact: at most the request's own codes (≤ 100,000 rows by the serial
 * index, and the listed codes by key), never more.
 */
export async function whyNotBound(db: Db, ranges: SerialRange[], list: string[]): Promise<Refusal> {
  let missing = 0;
  let firstMissing: string | null = null;
  let bound = 0;
  let firstBound: number | null = null;
  for (const r of ranges) {
    const [row] = await db
      .select({
        present: sql<number>`count(*)`,
        bound: sql<number>`count(${codes.agentId})`,
        firstBound: sql<number | null>`min(CASE WHEN ${codes.agentId} IS NOT NULL THEN ${codes.serial} END)`,
      })
      .from(codes)
      .where(and(sql`${codes.serial} BETWEEN ${r.from} AND ${r.to}`));
    const present = row?.present ?? 0;
    if (present < r.to - r.from + 1) {
      missing += r.to - r.from + 1 - present;
      firstMissing ??= String(await firstGap(db, r));
    }
    if (row?.bound) {
      bound += row.bound;
      if (firstBound === null && row.firstBound !== null) firstBound = row.firstBound;
    }
  }
  const found =
    list.length === 0
      ? []
      : await db
          .select({ code: codes.code, serial: codes.serial, agentId: codes.agentId })
          .from(codes)
          .where(listedCodes(list));
  const known = new Set(found.map((f) => f.code));
  const absent = list.filter((code) => !known.has(code));
  if (absent.length > 0) {
    missing += absent.length;
    firstMissing ??= absent[0] ?? null;
  }
  for (const f of found) {
    if (f.agentId === null) continue;
    bound++;
    firstBound ??= f.serial;
  }
  if (missing > 0) return { code: 'CODES_MISSING', count: missing, first: firstMissing ?? '' };
  if (bound > 0) return { code: 'CODE_ALREADY_BOUND', count: bound, first: firstBound ?? 0 };
  if (found.some((f) => ranges.some((r) => f.serial >= r.from && f.serial <= r.to))) return { code: 'LISTED_TWICE' };
  return null;
}

// The first serial of a range with no code: the start, or the end of the first run of existing codes.
async function firstGap(db: Db, r: SerialRange): Promise<number> {
  const [start] = await db.select({ serial: codes.serial }).from(codes).where(eq(codes.serial, r.from)).limit(1);
  if (!start) return r.from;
  const [gap] = await db
    .select({ next: sql<number>`${codes.serial} + 1` })
    .from(codes)
    .where(
      and(
        sql`${codes.serial} BETWEEN ${r.from} AND ${r.to - 1}`,
        sql`NOT EXISTS (SELECT 1 FROM codes AS later WHERE later.serial = ${codes.serial} + 1)`,
      ),
    )
    .orderBy(asc(codes.serial))
    .limit(1);
  return gap?.next ?? r.to;
}

/** The products of the codes a binding names: from the batches its ranges fall in, and the listed codes. */
export async function productsOfCodes(db: Db, ranges: SerialRange[], list: string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const r of ranges) {
    const rows = await db
      .selectDistinct({ productId: codeBatches.productId })
      .from(codeBatches)
      .where(
        and(lte(codeBatches.serialStart, r.to), sql`${codeBatches.serialStart} + ${codeBatches.size} > ${r.from}`),
      );
    for (const row of rows) ids.add(row.productId);
  }
  if (list.length > 0) {
    const rows = await db.selectDistinct({ productId: codes.productId }).from(codes).where(listedCodes(list));
    for (const row of rows) ids.add(row.productId);
  }
  return ids;
}
