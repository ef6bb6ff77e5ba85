import { useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import type { ConsoleContext } from './context';
import { call } from './http';
import type { Page } from './types';

interface AfterSale {
  id: string;
  orderNumber: string;
  kind: 'refund' | 'return';
  reason: string;
  amountFen: number;
}

const text = {
  zh: {
    title: '售后申请',
    lead: '买家申请的退款和退货。您收款的订单由您处理；品牌方收款的订单由品牌方处理。',
    none: '暂无待处理的售后申请。',
    kinds: { refund: '仅退款', return: '退货退款' },
    order: (no: string) => `订单号 ${no}`,
    reason: (r: string) => `原因：${r}`,
    approve: (amount: string) => `同意并退款 ${amount}`,
    refuse: '拒绝',
    refuseReason: '拒绝理由',
    required: '请填写拒绝理由',
    send: '确认拒绝',
    approved: '已同意，退款已记入。',
    refused: '已拒绝该售后申请。',
  },
  en: {
    title: 'After-sales requests',
    lead: 'Refunds and returns buyers asked for. You answer those of orders paid to you; the brand answers the rest.',
    none: 'No after-sales requests to answer.',
    kinds: { refund: 'Refund only', return: 'Return and refund' },
    order: (no: string) => `Order ${no}`,
    reason: (r: string) => `Reason: ${r}`,
    approve: (amount: string) => `Approve and refund ${amount}`,
    refuse: 'Refuse',
    refuseReason: 'Why',
    required: 'Give a reason',
    send: 'Refuse it',
    approved: 'Approved; the refund is booked.',
    refused: 'The request is refused.',
  },
};

function Row({ item, ctx, onDone }: { item: AfterSale; ctx: ConsoleContext; onDone: (message: string) => void }) {
  const t = text[ctx.lang];
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function answer(action: 'approve' | 'refuse') {
    if (action === 'refuse' && !reason.trim()) {
      setFieldError(t.required);
      return;
    }
    setBusy(true);
    const res = await call(`/after-sales/${encodeURIComponent(item.id)}/${action}`, {
      method: 'POST',
      ...(action === 'refuse' ? { body: { reason: reason.trim() } } : {}),
    });
    setBusy(false);
    if (!res.ok) setError(res.error.message);
    else onDone(action === 'approve' ? t.approved : t.refused);
  }

  return (
    <li class="cx-item" data-testid={`after-sale-${item.id}`}>
      <p>
        <strong>{t.kinds[item.kind]}</strong> {formatFen(item.amountFen)}
      </p>
      <p class="muted">{t.order(item.orderNumber)}</p>
      <p>{t.reason(item.reason)}</p>
      <Alert message={error} />
      <button type="button" class="btn" disabled={busy} onClick={() => answer('approve')}>
        {t.approve(formatFen(item.amountFen))}
      </button>
      {refusing ? (
        <>
          <TextField
            id={`cx-afs-${item.id}`}
            label={t.refuseReason}
            value={reason}
            maxLength={200}
            error={fieldError}
            onInput={(e) => {
              setReason(e.currentTarget.value);
              setFieldError(undefined);
            }}
          />
          <button type="button" class="btn secondary" disabled={busy} onClick={() => answer('refuse')}>
            {t.send}
          </button>
        </>
      ) : (
        <button type="button" class="btn secondary" onClick={() => setRefusing(true)}>
          {t.refuse}
        </button>
      )}
    </li>
  );
}

/** 售后申请: requests on orders sold through or paid to this agent, answered here when the agent was paid. */
export function AfterSalesView({ ctx, notify }: { ctx: ConsoleContext; notify: (message: string) => void }) {
  const t = text[ctx.lang];
  const paged = usePaged(
    (cursor) => call<Page<AfterSale>>('/after-sales', { query: { status: 'requested', cursor, limit: 20 } }),
    'after-sales',
  );
  return (
    <section class="card" aria-labelledby="cx-after-sales">
      <h2 id="cx-after-sales">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <PagedList paged={paged} lang={ctx.lang} empty={t.none}>
        {(items) => (
          <ul class="cx-list" aria-label={t.title}>
            {items.map((item) => (
              <Row
                key={item.id}
                item={item}
                ctx={ctx}
                onDone={(message) => {
                  paged.edit((all) => all.filter((x) => x.id !== item.id));
                  notify(message);
                }}
              />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
