import type { Lang } from '../../lib/i18n';
import type { AgentDetail, Level } from './types';

export type TabId =
  | 'me'
  | 'review'
  | 'team'
  | 'board'
  | 'stock'
  | 'orders'
  | 'earnings'
  | 'progress'
  | 'notices'
  | 'account';

/** What every tab of the console gets from the shell. */
export interface ConsoleContext {
  lang: Lang;
  me: AgentDetail;
  levels: Level[];
  /** Re-reads the to-do counts shown on the tab bar after an action changed them. */
  refreshCounts: () => void;
}
