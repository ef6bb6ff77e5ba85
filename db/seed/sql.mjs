// Rows → SQL text for `wrangler d1 execute DB --file`. Values are inlined as escaped literals (D1 allows at most
// 100 bound parameters per statement, and a file cannot carry bindings anyway). Statements are multi-row INSERTs
// of at most 500 rows and about 90 KB each (D1 refuses statements over 100 KB).
// No BEGIN/COMMIT: local D1 (SQLite in a Durable Object) refuses a bare BEGIN ("use state.storage.transaction()"),
// and wrangler silently strips 'BEGIN TRANSACTION;'. It needs neither: `wrangler d1 execute --local --file` runs the
// whole file as one D1 batch, which is a single transaction, so a file applies completely or not at all.

/** Tables in an order that satisfies the foreign key agents.level → levels.rank. */
export const TABLE_ORDER = [
  'brand',
  'levels',
  'admins',
  'agents',
  'certificates',
  'team_members',
  'team_counts',
  'members',
  'applications',
  'products',
  'product_prices',
  'stock',
];

export const MAX_ROWS_PER_STATEMENT = 500;
export const MAX_STATEMENT_BYTES = 90_000;

/**
 * One SQL literal.
 * @param {unknown} value
 * @returns {string}
 */
export function sqlValue(value) {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot store ${value} in SQL`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') return sqlValue(JSON.stringify(value));
  const text = String(value);
  if (text.includes('\0')) throw new Error('NUL character in a SQL string');
  return `'${text.replaceAll("'", "''")}'`;
}

/** @param {string} name */
export function sqlIdentifier(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Multi-row INSERT statements for one table, each ending with ';'.
 * @param {string} table
 * @param {readonly Record<string, unknown>[]} rows all rows with the columns of the first one
 * @param {{ maxRows?: number, maxBytes?: number, conflict?: 'abort' | 'ignore' }} [options]
 * @returns {Generator<string>}
 */
export function* insertStatements(table, rows, options = {}) {
  const { maxRows = MAX_ROWS_PER_STATEMENT, maxBytes = MAX_STATEMENT_BYTES, conflict = 'abort' } = options;
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const head = `INSERT${conflict === 'ignore' ? ' OR IGNORE' : ''} INTO ${sqlIdentifier(table)} (${columns
    .map(sqlIdentifier)
    .join(', ')}) VALUES\n`;
  const headBytes = Buffer.byteLength(head);
  /** @type {string[]} */
  let tuples = [];
  let bytes = headBytes;
  for (const row of rows) {
    const tuple = `(${columns.map((c) => sqlValue(row[c])).join(',')})`;
    const size = Buffer.byteLength(tuple) + 2;
    if (tuples.length > 0 && (tuples.length >= maxRows || bytes + size > maxBytes)) {
      yield `${head}${tuples.join(',\n')};`;
      tuples = [];
      bytes = headBytes;
    }
    tuples.push(tuple);
    bytes += size;
  }
  if (tuples.length > 0) yield `${head}${tuples.join(',\n')};`;
}

/**
 * Every statement for the given tables, in TABLE_ORDER (then any other table).
 * @param {Record<string, readonly Record<string, unknown>[]>} tables
 * @param {{ maxRows?: number, maxBytes?: number }} [options]
 * @returns {Generator<string>}
 */
export function* tableStatements(tables, options) {
  const names = [
    ...TABLE_ORDER.filter((t) => t in tables),
    ...Object.keys(tables).filter((t) => !TABLE_ORDER.includes(t)),
  ];
  for (const name of names) yield* insertStatements(name, tables[name] ?? [], options);
}

/**
 * The whole SQL text of the tables, one statement after another.
 * @param {Record<string, readonly Record<string, unknown>[]>} tables
 * @param {{ maxRows?: number, maxBytes?: number, header?: string }} [options]
 */
export function toSql(tables, options = {}) {
  const lines = options.header ? [`-- ${options.header.replaceAll('\n', '\n-- ')}`] : [];
  for (const statement of tableStatements(tables, options)) lines.push(statement);
  return `${lines.join('\n')}\n`;
}

/**
 * The SQL text split into files of about `fileBytes` each, for networks too big for one `wrangler d1 execute`.
 * Each file is applied atomically on its own; apply them in order. Mind that wrangler's SQL splitter is slow on
 * big files (about a minute per 8 MB locally): bench/network-100k.mjs loads 100,000 agents through
 * getPlatformProxy instead, with the statements of tableStatements().
 * @param {Record<string, readonly Record<string, unknown>[]>} tables
 * @param {{ maxRows?: number, maxBytes?: number, fileBytes?: number }} [options]
 * @returns {string[]}
 */
export function toSqlFiles(tables, options = {}) {
  const { fileBytes = 8_000_000 } = options;
  /** @type {string[]} */
  const files = [];
  /** @type {string[]} */
  let current = [];
  let size = 0;
  for (const statement of tableStatements(tables, options)) {
    const bytes = Buffer.byteLength(statement) + 1;
    if (current.length > 0 && size + bytes > fileBytes) {
      files.push(`${current.join('\n')}\n`);
      current = [];
      size = 0;
    }
    current.push(statement);
    size += bytes;
  }
  if (current.length > 0) files.push(`${current.join('\n')}\n`);
  return files;
}
