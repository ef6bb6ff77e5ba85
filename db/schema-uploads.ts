import { sql } from 'drizzle-orm';
import { check, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Pictures uploaded into R2 (binding FILES). The object key is the file's SHA-256, so a file is stored once however
// often it is uploaded; each uploader gets its own row, so one may attach only what it uploaded itself (a payment QR
// naming another agent's upload is refused). owner_id is an agent id, 'brand' for the brand's admins, or 'report'
// for the evidence anonymous reporters upload.
export const uploads = sqliteTable(
  'uploads',
  {
    hash: text('hash').notNull(),
    ownerId: text('owner_id').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.hash, t.ownerId] }),
    check('uploads_hash', sql`length(${t.hash}) = 64`),
    check('uploads_type', sql`${t.contentType} IN ('image/jpeg', 'image/png', 'image/webp')`),
    check('uploads_size', sql`${t.size} BETWEEN 1 AND 2097152`),
  ],
);
