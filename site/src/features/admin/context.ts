import type { Lang } from '../../lib/i18n';
import type { Settings } from './types';

export type SectionId =
  | 'overview'
  | 'dashboard'
  | 'applications'
  | 'agents'
  | 'orders'
  | 'withdrawals'
  | 'reconciliation'
  | 'codes'
  | 'inspections'
  | 'products'
  | 'materials'
  | 'stock'
  | 'settings';

/** Where the console is: "#agents/agt_…" is an agent's page, "#orders?agentId=…" the orders list filtered. */
export interface Route {
  section: SectionId;
  id: string | null;
  params: URLSearchParams;
}

/** What every section gets from the shell. */
export interface AdminContext {
  lang: Lang;
  settings: Settings;
  /** After the settings or the level table changed. */
  setSettings: (settings: Settings) => void;
  route: Route;
  /** Re-reads the to-do counts of the sidebar after an action changed them. */
  refreshCounts: () => void;
}

export const sectionIds: readonly SectionId[] = [
  'overview',
  'dashboard',
  'applications',
  'agents',
  'orders',
  'withdrawals',
  'reconciliation',
  'codes',
  'inspections',
  'products',
  'materials',
  'stock',
  'settings',
];

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', query = ''] = raw.split('?', 2);
  const [first = '', second] = path.split('/', 2);
  const section = sectionIds.includes(first as SectionId) ? (first as SectionId) : 'overview';
  return { section, id: second ? decodeURIComponent(second) : null, params: new URLSearchParams(query) };
}

export function routeHref(section: SectionId, id?: string | null, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#${section}${id ? `/${encodeURIComponent(id)}` : ''}${query ? `?${query}` : ''}`;
}

// A list's filters live in the address (replaced, not pushed), and a record's page links back to that list.
const lists: Partial<Record<SectionId, string>> = {};
export const listHref = (section: SectionId) => lists[section] ?? routeHref(section);

/** Records the list's filters as its address, without a new history entry. */
export function keepListFilters(section: SectionId, params: Record<string, string>) {
  const href = routeHref(section, null, params);
  lists[section] = href;
  if (location.hash !== href) history.replaceState(history.state, '', href);
}
