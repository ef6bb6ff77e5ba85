// Rows in batches for a streamed answer: pages read by key, and several sources one after the other.

// Live rows after the archived ones: each page reads the next PAGE rows by key.
export async function* livePages<R, K>(
  page: (after: K | null) => Promise<R[]>,
  keyOf: (row: R) => K,
  pageSize: number,
): AsyncGenerator<R[]> {
  let after: K | null = null;
  for (;;) {
    const rows = await page(after);
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (rows.length < pageSize || last === undefined) return;
    after = keyOf(last);
  }
}

export async function* concat<R>(...parts: AsyncIterable<R[]>[]): AsyncGenerator<R[]> {
  for (const part of parts) yield* part;
}
