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
