import { api } from '../../lib/api';
import type { TabId } from './context';

export type Counts = Partial<Record<TabId, string>>;

/** GET /api/agent/counts: each count stops at `cap`, which reads as "cap - 1 or more". */
interface CountsView {
  applications: number;
  toShip: number;
  toConfirm: number;
  withdrawing: number;
  notices: number;
  cap: number;
}

function show(cap: number, ...counts: number[]): string | undefined {
  const n = counts.reduce((sum, c) => sum + Math.min(c, cap - 1), 0);
  return n > 0 ? `${n}${counts.some((c) => c >= cap) ? '+' : ''}` : undefined;
}

// Which notices the agent has seen lives on this device: the newest notice time it saw when it last opened 通知.
const seenKey = (agentId: string) => `cx-notices-seen:${agentId}`;

export function noticesSeenAt(agentId: string): number {
  try {
    return Number(localStorage.getItem(seenKey(agentId)) ?? 0) || 0;
  } catch {
    return 0;
  }
}

export function markNoticesSeen(agentId: string, newest: number) {
  try {
    if (newest > noticesSeenAt(agentId)) localStorage.setItem(seenKey(agentId), String(newest));
  } catch {
    // Private mode without storage: the badge simply stays until the notices are older than what was seen.
  }
}

/**
 * The to-do counts on the tab bar (orders to ship or confirm, applications, withdrawals in progress, unread notices)
 * in one small request; null when it failed, so the bar keeps what it showed.
 */
export async function loadCounts(agentId: string): Promise<Counts | null> {
  const res = await api<CountsView>('/agent/counts', { query: { noticesSince: noticesSeenAt(agentId) } });
  if (!res.ok) return null;
  const c = res.data;
  return {
    review: show(c.cap, c.applications),
    orders: show(c.cap, c.toShip, c.toConfirm),
    earnings: show(c.cap, c.withdrawing),
    notices: show(c.cap, c.notices),
  };
}

/** How long counts may be old while the page stays in view before they are read again. */
export const COUNTS_POLL_MS = 60_000;
