import { type ApiResult, api } from '../../lib/api';
import type { TabId } from './context';
import type { AgentNotice, ApplicationView, OrderSummary, Page, Withdrawal } from './types';

export type Counts = Partial<Record<TabId, string>>;

// A page of up to 20 is enough to say "3" or "20+" on the tab bar without counting the whole table.
function countOf<T>(res: ApiResult<Page<T>>, keep: (item: T) => boolean = () => true) {
  return res.ok ? { n: res.data.items.filter(keep).length, more: res.data.nextCursor !== null } : { n: 0, more: false };
}

function show(...parts: { n: number; more: boolean }[]): string | undefined {
  const n = parts.reduce((sum, p) => sum + p.n, 0);
  return n > 0 ? `${n}${parts.some((p) => p.more) ? '+' : ''}` : undefined;
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

/** The to-do counts on the tab bar: orders to ship or confirm, applications, withdrawals in progress, unread notices. */
export async function loadCounts(agentId: string): Promise<Counts> {
  const [apps, toShip, toConfirm, withdrawing, notices] = await Promise.all([
    api<Page<ApplicationView>>('/applications', { query: { status: 'pending', limit: 20 } }),
    api<Page<OrderSummary>>('/orders', { query: { role: 'to_ship', status: 'paid', limit: 20 } }),
    api<Page<OrderSummary>>('/orders', { query: { role: 'to_confirm', status: 'pending_payment', limit: 20 } }),
    api<Page<Withdrawal>>('/withdrawals', { query: { status: 'requested', limit: 20 } }),
    api<Page<AgentNotice>>('/agent/notices', { query: { limit: 20 } }),
  ]);
  const offline = (o: OrderSummary) => o.paymentMethod === 'offline';
  const seen = noticesSeenAt(agentId);
  return {
    review: show(countOf(apps)),
    orders: show(countOf(toShip), countOf(toConfirm, offline)),
    earnings: show(countOf(withdrawing)),
    notices: show(countOf(notices, (n) => n.createdAt > seen)),
  };
}
