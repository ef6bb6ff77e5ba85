// Rules of the leaderboards and the dashboard that need no I/O: China-time day and month keys, day ranges, rank
// cursors, target progress and the repeat-purchase rate.

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MAX_DAYS = 366;

/** '2026-12-04' for the China date of an instant (the triggers use the same UTC+8 shift). */
export function chinaDay(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export function chinaMonth(ms: number): string {
  return chinaDay(ms).slice(0, 7);
}

function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** Every day from `from` to `to` inclusive; null when the range is reversed, not a real date or too long. */
export function daysBetween(from: string, to: string, max = MAX_DAYS): string[] | null {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a || b - a + 1 > max) return null;
  // Date.parse rolls 2026-02-30 over to March: such a day is refused rather than read as another.
  if (new Date(a * DAY_MS).toISOString().slice(0, 10) !== from) return null;
  if (new Date(b * DAY_MS).toISOString().slice(0, 10) !== to) return null;
  return Array.from({ length: b - a + 1 }, (_, i) => new Date((a + i) * DAY_MS).toISOString().slice(0, 10));
}

/** The `days` days that end today (China time). */
export function lastDays(now: number, days: number): { from: string; to: string } {
  const to = chinaDay(now);
  return { from: chinaDay(now - (days - 1) * DAY_MS), to };
}

export interface DayRow {
  day: string;
  orders: number;
  salesFen: number;
  newAgents: number;
  newMembers: number;
}

/** One row per day of the range, zeros where nothing happened (days with no row). */
export function fillDays(days: string[], rows: DayRow[]): DayRow[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return days.map((day) => byDay.get(day) ?? { day, orders: 0, salesFen: 0, newAgents: 0, newMembers: 0 });
}

export interface RankCursor {
  value: number;
  key: string;
  rank: number;
}

// A page of a ranking ends at (value, key) with the rank of its last row; the next page starts strictly below it.
export function encodeRankCursor(c: RankCursor): string {
  return `${c.value}.${c.rank}.${c.key}`;
}

export function decodeRankCursor(raw: string): RankCursor | null {
  const m = /^(-?\d{1,15})\.(\d{1,7})\.(.{0,40})$/.exec(raw);
  if (!m) return null;
  return { value: Number(m[1]), rank: Number(m[2]), key: m[3] as string };
}

/** Progress toward a target in basis points (10000 = reached), capped at 99999; null without a target. */
export function progressBp(valueFen: number, targetFen: number | null): number | null {
  if (targetFen === null || targetFen <= 0) return null;
  return Math.min(99_999, Math.max(0, Math.floor((valueFen * 10_000) / targetFen)));
}

/** Share of consumers with a paid order who paid for two or more, in per mille (0 when nobody bought yet). */
export function repeatRatePermille(buyers: number, repeaters: number): number {
  if (buyers <= 0) return 0;
  return Math.round((Math.min(repeaters, buyers) * 1000) / buyers);
}
