import { desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { materials } from './schema';

/** A page of the 素材库, newest first, through the primary key. */
export function materialsPage(db: Db, cursor: string | undefined, take: number) {
  return db
    .select({
      id: materials.id,
      title: materials.title,
      body: materials.body,
      images: materials.images,
      createdAt: materials.createdAt,
    })
    .from(materials)
    .where(cursor ? lt(materials.id, cursor) : undefined)
    .orderBy(desc(materials.id))
    .limit(take);
}

export function insertMaterial(db: Db, row: typeof materials.$inferInsert) {
  return db.insert(materials).values(row);
}

export function deleteMaterial(db: Db, id: string) {
  return db.delete(materials).where(eq(materials.id, id));
}

export function materialById(db: Db, id: string) {
  return db.select({ id: materials.id }).from(materials).where(eq(materials.id, id)).limit(1);
}
