import { and, asc, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { BatchItem, Db } from '../worker/env';
import { changedGuard, isGuardFailure, isUniqueFailure } from './guard';
import { newId, randomBase32 } from './ids';
import { agents, codeBatches, codes, inspections, products } from './schema';

// Data access for anti-counterfeit codes: batches and their generation, verification and the cross-selling flag it
// raises (bindings are in codeBindings.ts).

/** Codes written per generate call: one db.batch, all or nothing. */
export const CHUNK = 20_000;
// Codes per INSERT: they travel as one JSON parameter, kept well under D1's 100 KB statement limit.
const PER_INSERT = 4_000;
const COLLISION_RETRIES = 3;

export const batchColumns = {
  id: codeBatches.id,
  productId: codeBatches.productId,
  productName: products.name,
  size: codeBatches.size,
  generated: codeBatches.generated,
  serialStart: codeBatches.serialStart,
  note: codeBatches.note,
  createdAt: codeBatches.createdAt,
  completedAt: codeBatches.completedAt,
};

export function batchQuery(db: Db, id: string) {
  return db
    .select(batchColumns)
    .from(codeBatches)
    .innerJoin(products, eq(products.id, codeBatches.productId))
    .where(eq(codeBatches.id, id))
    .limit(1);
}
export type BatchRow = Awaited<ReturnType<typeof batchQuery>>[number];

export function batchesPage(db: Db, productId: string | undefined, before: string | undefined, limit: number) {
  return db
    .select(batchColumns)
    .from(codeBatches)
    .innerJoin(products, eq(products.id, codeBatches.productId))
    .where(
      and(
        productId ? eq(codeBatches.productId, productId) : undefined,
        before ? lt(codeBatches.id, before) : undefined,
      ),
    )
    .orderBy(desc(codeBatches.id))
    .limit(limit + 1);
}

interface NewBatch {
  id: string;
  productId: string;
  size: number;
  note: string | null;
  createdBy: string;
  createdAt: number;
}

// The batch reserves the serials after the highest batch's, computed inside the INSERT; the UNIQUE index on
// serial_start refuses a concurrent creation that computed the same start (the caller retries).
export function insertBatch(db: Db, b: NewBatch) {
  return db
    .insert(codeBatches)
    .select(
      sql`SELECT ${b.id}, ${b.productId}, ${b.size}, 0,
        coalesce((SELECT serial_start + size FROM code_batches ORDER BY serial_start DESC LIMIT 1), 1),
        ${b.note}, ${b.createdBy}, ${b.createdAt}, NULL`,
    )
    .returning({ serialStart: codeBatches.serialStart });
}

type Progress = Pick<BatchRow, 'id' | 'productId' | 'size' | 'generated' | 'serialStart'>;

function chunkStatements(db: Db, batch: Progress, now: number): [BatchItem, ...BatchItem[]] {
  const count = Math.min(CHUNK, batch.size - batch.generated);
  const done = batch.generated + count === batch.size;
  const inserts: BatchItem[] = [];
  for (let offset = 0; offset < count; offset += PER_INSERT) {
    const n = Math.min(PER_INSERT, count - offset);
    const fresh = JSON.stringify(Array.from({ length: n }, () => randomBase32(16)));
    const first = batch.serialStart + batch.generated + offset;
    inserts.push(
      db.insert(codes).select(
        sql`SELECT value, ${first} + key, ${batch.id}, ${batch.productId}, NULL, NULL, NULL, NULL, 0, NULL, NULL
            FROM json_each(${fresh})`,
      ),
    );
  }
  return [
    // Only the caller that read `generated` as it still is writes this chunk.
    db
      .update(codeBatches)
      .set({ generated: batch.generated + count, completedAt: done ? now : null })
      .where(and(eq(codeBatches.id, batch.id), eq(codeBatches.generated, batch.generated))),
    changedGuard(db),
    ...inserts,
  ];
}

/**
 * Writes the batch's next chunk. 'lost' when another call wrote it first (its progress update or serials came
 * first); a random code that already exists (80 bits: practically never) makes a fresh chunk.
 */
export async function generateChunk(db: Db, batch: Progress, now = Date.now()): Promise<'written' | 'lost'> {
  if (batch.generated >= batch.size) return 'lost';
  for (let attempt = 0; ; attempt++) {
    try {
      const [first, ...rest] = chunkStatements(db, batch, now);
      await db.batch([first, ...rest]);
      return 'written';
    } catch (err) {
      if (isGuardFailure(err) || isUniqueFailure(err, 'codes.serial')) return 'lost';
      if (!isUniqueFailure(err, 'codes.code') || attempt >= COLLISION_RETRIES) throw err;
    }
  }
}

// The cron finishes batches whose browser went away: unfinished a minute after creation, a few chunks per run.
export async function advanceStaleBatches(db: Db, now: number, maxChunks = 3): Promise<number> {
  const stale = await db
    .select({
      id: codeBatches.id,
      productId: codeBatches.productId,
      size: codeBatches.size,
      generated: codeBatches.generated,
      serialStart: codeBatches.serialStart,
    })
    .from(codeBatches)
    .where(and(isNull(codeBatches.completedAt), lt(codeBatches.createdAt, now - 60_000)))
    .orderBy(asc(codeBatches.id))
    .limit(maxChunks);
  let written = 0;
  for (const batch of stale) {
    let current = batch;
    while (written < maxChunks && current.generated < current.size) {
      if ((await generateChunk(db, current, now)) === 'lost') break;
      written++;
      current = { ...current, generated: Math.min(current.size, current.generated + CHUNK) };
    }
  }
  return written;
}

/** One page of a batch's codes in serial order, for the printer's CSV. */
export function codesPage(db: Db, batch: Pick<BatchRow, 'serialStart' | 'size'>, after: number, limit: number) {
  return db
    .select({ code: codes.code, serial: codes.serial })
    .from(codes)
    .where(and(gt(codes.serial, after), lt(codes.serial, batch.serialStart + batch.size)))
    .orderBy(asc(codes.serial))
    .limit(limit);
}

// ---- Verification ----

// The code with its agent as they were before this verification.
function lookup(db: Db, code: string) {
  return db
    .select({
      code: codes.code,
      serial: codes.serial,
      productId: codes.productId,
      agentId: codes.agentId,
      certNumber: codes.certNumber,
      verifyCount: codes.verifyCount,
      firstVerifiedAt: codes.firstVerifiedAt,
      name: agents.name,
      // Aliased: a second column named `code` would shadow codes.code in the raw result.
      shopCode: sql<string | null>`${agents.code}`.as('shop_code'),
      level: agents.level,
      region: agents.region,
      status: agents.status,
    })
    .from(codes)
    .leftJoin(agents, eq(agents.id, codes.agentId))
    .where(eq(codes.code, code))
    .limit(1);
}

// The batch is one transaction, so concurrent verifications each see the count before their own.
function countVerification(db: Db, code: string, now: number) {
  return db
    .update(codes)
    .set({
      verifyCount: sql`${codes.verifyCount} + 1`,
      firstVerifiedAt: sql`coalesce(${codes.firstVerifiedAt}, ${now})`,
      lastVerifiedAt: now,
    })
    .where(eq(codes.code, code));
}

export interface VerifiedAgent {
  name: string;
  shopCode: string;
  level: number;
  region: string;
  status: 'active' | 'suspended' | 'revoked';
}

/**
 * Reads the code with its agent and counts the verification in one round trip (three rows: the code, its agent and
 * the count's update). null for an unknown code; counts are after this verification. The caller has already counted
 * the client against its rate limit.
 */
export async function verifyCode(db: Db, code: string, now = Date.now()) {
  const [[row]] = await db.batch([lookup(db, code), countVerification(db, code, now)]);
  if (!row) return null;
  const { name, shopCode, level, region, status } = row;
  const agent: VerifiedAgent | null =
    name !== null && shopCode !== null && level !== null && region !== null && status !== null
      ? { name, shopCode, level, region, status }
      : null;
  return {
    code: row.code,
    serial: row.serial,
    productId: row.productId,
    agentId: row.agentId,
    certNumber: row.certNumber,
    agent,
    verifyCount: row.verifyCount + 1,
    firstVerifiedAt: row.firstVerifiedAt ?? now,
  };
}

export interface ProductCard {
  id: string;
  name: string;
  retailFen: number;
  image: string | null;
}

// Verifications of one product come in their thousands, and its name, price and image change rarely: each isolate
// keeps them a minute, so a verification reads no product row.
const PRODUCT_TTL_MS = 60_000;
const PRODUCT_CACHE_MAX = 500;
const productCache = new Map<string, { at: number; card: ProductCard }>();

export async function productCard(db: Db, id: string, now = Date.now()): Promise<ProductCard> {
  const hit = productCache.get(id);
  if (hit && now - hit.at < PRODUCT_TTL_MS) return hit.card;
  const [row] = await db
    .select({ id: products.id, name: products.name, retailFen: products.retailFen, images: products.images })
    .from(products)
    .where(eq(products.id, id))
    .limit(1);
  const card = { id, name: row?.name ?? '', retailFen: row?.retailFen ?? 0, image: row?.images[0] ?? null };
  if (productCache.size >= PRODUCT_CACHE_MAX) productCache.clear();
  productCache.set(id, { at: now, card });
  return card;
}

export interface CrossRegionSighting {
  agentId: string;
  code: string;
  productId: string;
  regionSeen: string;
  authorizedRegion: string;
  at: number;
}

// One open flag per code: a repeat while it is open counts on it (partial unique index inspections_open_code).
export function raiseCrossRegionFlag(db: Db, s: CrossRegionSighting) {
  return db
    .insert(inspections)
    .values({
      id: newId('ins', s.at),
      kind: 'cross_region',
      status: 'open',
      agentId: s.agentId,
      code: s.code,
      productId: s.productId,
      regionSeen: s.regionSeen,
      authorizedRegion: s.authorizedRegion,
      hits: 1,
      createdAt: s.at,
      updatedAt: s.at,
    })
    .onConflictDoUpdate({
      target: inspections.code,
      targetWhere: sql`kind = 'cross_region' AND status = 'open'`,
      set: { hits: sql`${inspections.hits} + 1`, updatedAt: s.at },
    });
}
