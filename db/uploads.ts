import { sql } from 'drizzle-orm';
import type { ImageType } from '../worker/domain/upload';
import type { Db } from '../worker/env';
import { uploads } from './schema';

// Who uploaded which picture. A second upload of the same file by the same owner writes nothing.
export function recordUpload(
  db: Db,
  row: { hash: string; ownerId: string; contentType: ImageType; size: number; now: number },
) {
  return db
    .insert(uploads)
    .values({ hash: row.hash, ownerId: row.ownerId, contentType: row.contentType, size: row.size, createdAt: row.now })
    .onConflictDoNothing();
}

// A condition for an update that attaches an upload: true only when the owner uploaded it itself (or no upload).
export function ownUpload(hash: string | null, ownerId: string) {
  return hash === null ? sql`1` : sql`EXISTS (SELECT 1 FROM uploads WHERE hash = ${hash} AND owner_id = ${ownerId})`;
}
