import { useState } from 'preact/hooks';
import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import type { ConsoleContext } from './context';
import { markNoticesSeen } from './counts';
import { call } from './http';
import type { AgentNotice, NoticeKind, Page } from './types';

type Notices = Page<AgentNotice> & { supplyStopped: boolean; supplyStoppedAt: number | null };

const text = {
  zh: {
    title: '品牌通知',
    lead: '品牌方对您的警告、罚款和停货通知。罚款从可提现余额扣除，不足部分计为欠款，还清前不能提现。',
    list: '通知列表',
    empty: '暂无通知。遵守授权区域和品牌控价，就不会收到处罚。',
    stopped: (since: string) =>
      `您已被品牌方停货（${since} 起）：停货期间不能进货和提货。原因见下方通知；整改后请联系品牌方恢复供货。`,
    fine: '罚款',
    wallet: '查看收益与欠款',
    kind: {
      warning: '警告',
      fine: '罚款',
      supply_stopped: '停货',
      supply_resumed: '恢复供货',
      revoked: '撤销授权',
    } as Record<NoticeKind, string>,
  },
  en: {
    title: 'Notices from the brand',
    lead: 'Warnings, fines and supply stops from the brand. A fine is taken from your available balance; a shortfall is a debt that blocks withdrawals until repaid.',
    list: 'Notices',
    empty: 'No notices. Keep to your region and the brand’s prices and there will be none.',
    stopped: (since: string) =>
      `Your supply is stopped (since ${since}): you cannot restock or pick up stock. The reason is below; contact the brand once it is put right.`,
    fine: 'Fine',
    wallet: 'See earnings and debt',
    kind: {
      warning: 'Warning',
      fine: 'Fine',
      supply_stopped: 'Supply stopped',
      supply_resumed: 'Supply resumed',
      revoked: 'Revoked',
    } as Record<NoticeKind, string>,
  },
};

const tones: Record<NoticeKind, string> = {
  warning: 'pending',
  fine: 'revoked',
  supply_stopped: 'revoked',
  supply_resumed: 'valid',
  revoked: 'revoked',
};

/** 通知: what the brand told this agent (warnings, fines, supply stopped), and a banner while supply is stopped. */
export function NoticesTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [stoppedAt, setStoppedAt] = useState<number | null>(null);
  const paged = usePaged(async (cursor) => {
    const res = await call<Notices>('/agent/notices', { query: { cursor, limit: 20 } });
    if (res.ok && !cursor) {
      setStoppedAt(res.data.supplyStoppedAt);
      // Opening 通知 reads them: the unread badge on the tab bar goes.
      const newest = res.data.items[0]?.createdAt;
      if (newest) markNoticesSeen(ctx.me.id, newest);
      ctx.refreshCounts();
    }
    return res;
  }, 'notices');

  return (
    <section class="card" aria-labelledby="cx-notices">
      <h2 id="cx-notices">{t.title}</h2>
      {stoppedAt !== null ? (
        <p class="alert" role="alert" data-testid="supply-stopped">
          {t.stopped(formatDateTime(stoppedAt))}
        </p>
      ) : null}
      <p class="muted">{t.lead}</p>
      <PagedList paged={paged} lang={ctx.lang} empty={t.empty}>
        {(items) => (
          <ul class="cx-list" aria-label={t.list}>
            {items.map((n) => (
              <li key={n.id} class="cx-item" data-testid={`notice-${n.id}`}>
                <div class="row">
                  <span class={`badge ${tones[n.kind]}`}>{t.kind[n.kind]}</span>
                  {n.amountFen !== null ? (
                    <strong class="cx-neg">
                      {t.fine} {formatFen(n.amountFen)}
                    </strong>
                  ) : null}
                </div>
                <p>{n.message}</p>
                <p class="muted cx-meta">
                  {formatDateTime(n.createdAt)}
                  {n.kind === 'fine' ? (
                    <>
                      {' · '}
                      <a href="#earnings">{t.wallet}</a>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
