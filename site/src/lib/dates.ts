const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** A timestamp (ms) as a calendar date in China time, YYYY-MM-DD, whatever the reader's time zone. */
export function formatDate(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A timestamp (ms) as YYYY-MM-DD HH:mm in China time. */
/** HH:mm in China time. */
export function formatClock(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(11, 16);
}

export function formatDateTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
