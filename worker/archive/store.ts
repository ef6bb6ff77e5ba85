// The archive's objects in R2: per month and table one gzip file of NDJSON rows in key order, made of gzip members of
// at most one chunk each (a gzip file may hold several members), so a reader fetches one member by its byte range.

export type Key = (string | number | null)[];
export type Row = Record<string, unknown>;

export interface Member {
  offset: number;
  length: number;
  rows: number;
  first: Key;
  last: Key;
}

export interface TableFile {
  rows: number;
  bytes: number;
  sha256: string;
  key: string[];
  members: Member[];
}

export interface Manifest {
  format: 'agentry-archive/1';
  month: string;
  ledgerFromId: number;
  ledgerToId: number;
  createdAt: number;
  tables: Record<string, TableFile>;
}

export const fileKey = (month: string, table: string) => `archive/${month}/${table}.ndjson.gz`;
export const partKey = (month: string, table: string, n: number) =>
  `archive/${month}/parts/${table}/${String(n).padStart(6, '0')}.gz`;
export const partsPrefix = (month: string) => `archive/${month}/parts/`;
export const manifestKey = (month: string) => `archive/${month}/manifest.json`;

async function pipe(
  bytes: Uint8Array<ArrayBuffer>,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export function gzipRows(rows: readonly Row[]): Promise<Uint8Array<ArrayBuffer>> {
  const text = rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  return pipe(new Uint8Array(new TextEncoder().encode(text)), new CompressionStream('gzip'));
}

export async function gunzipRows(bytes: Uint8Array<ArrayBuffer>): Promise<Row[]> {
  const text = new TextDecoder().decode(await pipe(bytes, new DecompressionStream('gzip')));
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Row);
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function getBytes(
  bucket: R2Bucket,
  key: string,
  range?: R2Range,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const obj = await bucket.get(key, range ? { range } : {});
  return obj ? new Uint8Array(await obj.arrayBuffer()) : null;
}

export async function readManifest(bucket: R2Bucket, month: string): Promise<Manifest> {
  const obj = await bucket.get(manifestKey(month));
  if (!obj) throw new Error(`archive ${month} has no manifest`);
  return (await obj.json()) as Manifest;
}

/** One member's rows, fetched by its byte range. */
export async function memberRows(bucket: R2Bucket, month: string, table: string, m: Member): Promise<Row[]> {
  if (m.length === 0) return [];
  const bytes = await getBytes(bucket, fileKey(month, table), { offset: m.offset, length: m.length });
  if (!bytes) throw new Error(`archive ${month}/${table} is missing`);
  return gunzipRows(bytes);
}

// Key tuples compare element by element, as SQLite compares row values of the same types.
export function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

export function keyOf(row: Row, key: readonly string[]): Key {
  return key.map((k) => row[k] as string | number | null);
}
