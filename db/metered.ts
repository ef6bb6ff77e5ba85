// A D1 binding that counts what each request costs: round trips and the rows D1 reports read and written.
// D1's raw() returns no meta, so raw() is served by all() and turned into arrays here, exactly as drizzle's
// own batch path does; selects must therefore never return two columns of the same name.

export interface Meter {
  roundTrips: number;
  rowsRead: number;
  rowsWritten: number;
}

export function newMeter(): Meter {
  return { roundTrips: 0, rowsRead: 0, rowsWritten: 0 };
}

const inner = Symbol('inner');
type Wrapped = D1PreparedStatement & { [inner]: D1PreparedStatement };

function record(meter: Meter, meta: D1Meta | undefined): void {
  meter.rowsRead += meta?.rows_read ?? 0;
  meter.rowsWritten += meta?.rows_written ?? 0;
}

function wrapStatement(stmt: D1PreparedStatement, meter: Meter): Wrapped {
  const wrapped = {
    [inner]: stmt,
    bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values), meter),
    async all<T>() {
      meter.roundTrips++;
      const result = await stmt.all<T>();
      record(meter, result.meta);
      return result;
    },
    async run<T>() {
      meter.roundTrips++;
      const result = await stmt.run<T>();
      record(meter, result.meta);
      return result;
    },
    async first<T>(column?: string) {
      meter.roundTrips++;
      const result = await stmt.all<Record<string, unknown>>();
      record(meter, result.meta);
      const row = result.results[0];
      if (row === undefined) return null;
      return (column === undefined ? row : row[column]) as T;
    },
    async raw<T>(options?: { columnNames?: boolean }) {
      meter.roundTrips++;
      const result = await stmt.all<Record<string, unknown>>();
      record(meter, result.meta);
      const rows = result.results.map((row) => Object.values(row));
      if (options?.columnNames) {
        const names = result.results[0] ? Object.keys(result.results[0]) : [];
        return [names, ...rows] as T[];
      }
      return rows as T[];
    },
  };
  return wrapped as unknown as Wrapped;
}

export function metered(db: D1Database, meter: Meter): D1Database {
  const wrapped = {
    prepare: (query: string) => wrapStatement(db.prepare(query), meter),
    async batch<T>(statements: D1PreparedStatement[]) {
      meter.roundTrips++;
      const results = await db.batch<T>(statements.map((s) => (s as Wrapped)[inner] ?? s));
      for (const r of results) record(meter, r.meta);
      return results;
    },
    exec: (query: string) => {
      meter.roundTrips++;
      return db.exec(query);
    },
    withSession: () => {
      throw new Error('withSession is not metered');
    },
    dump: () => db.dump(),
  };
  return wrapped as unknown as D1Database;
}
