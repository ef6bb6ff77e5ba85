import type { Lang } from '../../lib/i18n';
import type { PayoutAccount } from '../../lib/payout';
import type { AgentDetail, Level } from './types';

export type TabId =
  | 'me'
  | 'orders'
  | 'customers'
  | 'team'
  | 'review'
  | 'board'
  | 'stock'
  | 'earnings'
  | 'progress'
  | 'share'
  | 'notices'
  | 'account';

/** What every tab of the console gets from the shell. */
export interface ConsoleContext {
  lang: Lang;
  me: AgentDetail;
  levels: Level[];
  /** The brand's name, for posters and share copy. */
  brandName: string;
  /** direct: the brand ships everything and agents hold no stock; cloud: restocks move units into cloud stock. */
  stockModel: 'direct' | 'cloud';
  /** The payout account kinds the brand pays withdrawals to. */
  payoutKinds: PayoutAccount['kind'][];
  /** Re-reads the to-do counts shown on the tab bar after an action changed them. */
  refreshCounts: () => void;
}
