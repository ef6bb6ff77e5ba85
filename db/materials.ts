import { desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { idFloor } from './ids';
import { materials } from './schema';

const columns = {
  id: materials.id,
  title: materials.title,
  body: materials.body,
  images: materials.images,
  createdAt: materials.createdAt,
  pinnedAt: materials.pinnedAt,
  updatedAt: materials.updatedAt,
  sortKey: materials.sortKey,
};

/**
 * Where a material sorts (the list reads keys descending): its id while unpinned, so the newest comes first; once
 * pinned 'pin_' + the pin time + its id, above every unpinned id ('p' > 'm') and the last pinned on top.
 */
export function sortKeyOf(id: string, pinnedAt: number | null): string {
  return pinnedAt === null ? id : `pin_${idFloor('mat', pinnedAt).slice('mat_'.length)}${id}`;
}

/** A page of the 素材库, pinned first, then newest first, through the unique sort_key index. */
export function materialsPage(db: Db, cursor: string | undefined, take: number) {
  return db
    .select(columns)
    .from(materials)
    .where(cursor ? lt(materials.sortKey, cursor) : undefined)
    .orderBy(desc(materials.sortKey))
    .limit(take);
}

export function insertMaterial(db: Db, row: typeof materials.$inferInsert) {
  return db.insert(materials).values(row);
}

export function updateMaterial(db: Db, id: string, set: Partial<typeof materials.$inferInsert>) {
  return db.update(materials).set(set).where(eq(materials.id, id));
}

export function deleteMaterial(db: Db, id: string) {
  return db.delete(materials).where(eq(materials.id, id));
}

export function materialById(db: Db, id: string) {
  return db.select(columns).from(materials).where(eq(materials.id, id)).limit(1);
}
