const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 86_400_000;

/** The start (ms) of a calendar day "YYYY-MM-DD" in China time; null for anything else. */
export function chinaDayStart(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(ms) ? null : ms - CHINA_OFFSET_MS;
}

/** The end (exclusive, ms) of a calendar day in China time, so a range "from … to …" includes its last day. */
export function chinaDayEnd(day: string): number | null {
  const start = chinaDayStart(day);
  return start === null ? null : start + DAY_MS;
}
