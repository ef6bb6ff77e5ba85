import { useState } from 'preact/hooks';
import { Alert, Segmented, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import { AbnormalRefunds } from './AbnormalRefunds';
import type { AdminContext } from './context';
import { call, fieldText, seg } from './http';
import { Toast, useNotice } from './notice';
import type { Page, ReconDifference, ReconRun } from './types';

type Status = ReconDifference['status'];

const text = {
  zh: {
    title: '对账',
    lead: '每天上午 10 点后自动下载微信支付前一天的交易账单和退款账单，与账本中的微信支付收款、退款逐单核对。差异会一直列在这里，直到核实处理后标记为已解决。',
    day: '对账日期',
    dayHint: '北京时间的自然日；当天的账单微信支付次日才生成',
    run: '立即对账',
    running: '对账中…',
    ran: (r: ReconRun) =>
      `${r.day} 对账完成：账单收款 ${r.payments} 笔、退款 ${r.refunds} 笔，差异 ${r.differences} 项。`,
    show: '显示',
    statuses: { open: '待处理', resolved: '已解决' } as Record<Status, string>,
    list: '对账差异',
    empty: { open: '暂无待处理的差异。', resolved: '暂无已解决的差异。' } as Record<Status, string>,
    kind: { payment: '收款', refund: '退款' },
    issue: {
      missing_in_ledger: '微信有、账本无',
      missing_in_bill: '账本有、微信无',
      amount_mismatch: '金额不一致',
    },
    order: '订单',
    ledger: '账本金额',
    bill: '微信账单金额',
    note: '处理说明',
    noteHint: '写明核实结果和处理方式',
    resolve: '标记已解决',
    confirm: '确认',
    cancel: '取消',
    needNote: '请填写处理说明',
    resolved: '已标记为已解决。',
  },
  en: {
    title: 'Reconciliation',
    lead: 'After 10:00 each day WeChat Pay’s payment and refund bills of the day before are downloaded and compared with the ledger order by order. Differences stay listed here until resolved.',
    day: 'Day',
    dayHint: 'A Beijing-time day; WeChat Pay cuts a day’s bill the next morning',
    run: 'Reconcile now',
    running: 'Reconciling…',
    ran: (r: ReconRun) =>
      `${r.day} reconciled: ${r.payments} payments and ${r.refunds} refunds in the bill, ${r.differences} differences.`,
    show: 'Show',
    statuses: { open: 'Open', resolved: 'Resolved' } as Record<Status, string>,
    list: 'Differences',
    empty: { open: 'No open differences.', resolved: 'None resolved yet.' } as Record<Status, string>,
    kind: { payment: 'Payment', refund: 'Refund' },
    issue: {
      missing_in_ledger: 'In the bill, not the ledger',
      missing_in_bill: 'In the ledger, not the bill',
      amount_mismatch: 'Amounts differ',
    },
    order: 'Order',
    ledger: 'Ledger',
    bill: 'WeChat bill',
    note: 'Resolution note',
    noteHint: 'What was checked and done',
    resolve: 'Resolve',
    confirm: 'Confirm',
    cancel: 'Cancel',
    needNote: 'Enter a note',
    resolved: 'Marked resolved.',
  },
};

// Yesterday in Beijing time, the latest day WeChat Pay has a bill for.
function yesterday(): string {
  return new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
}

function DifferenceRow({
  item,
  ctx,
  onResolved,
}: {
  item: ReconDifference;
  ctx: AdminContext;
  onResolved: (id: string) => void;
}) {
  const t = text[ctx.lang];
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inputId = `ad-rcd-${item.id}`;

  async function submit(event: Event) {
    event.preventDefault();
    if (!note.trim()) {
      setError(t.needNote);
      return;
    }
    setBusy(true);
    const res = await call<ReconDifference>(`/reconciliation/differences/${seg(item.id)}/resolve`, {
      method: 'POST',
      body: { note: note.trim() },
    });
    setBusy(false);
    if (res.ok) onResolved(item.id);
    else setError(res.error.field ? fieldText(res.error) : res.error.message);
  }

  return (
    <li class="ad-item" data-testid={`difference-${item.orderId}`}>
      <div class="row">
        <strong>
          {item.day} · {t.kind[item.kind]}
        </strong>
        <span class={`badge ${item.status === 'open' ? 'pending' : 'valid'}`}>{t.issue[item.issue]}</span>
      </div>
      <dl class="facts ad-facts">
        <dt>{t.order}</dt>
        <dd class="mono">{item.orderId}</dd>
        <dt>{t.ledger}</dt>
        <dd>{formatFen(item.ledgerFen)}</dd>
        <dt>{t.bill}</dt>
        <dd>{formatFen(item.billFen)}</dd>
        {item.note ? (
          <>
            <dt>{t.note}</dt>
            <dd>
              {item.note}
              {item.resolvedAt ? ` · ${formatDateTime(item.resolvedAt)}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {item.status !== 'open' ? null : open ? (
        <form class="ad-inline" onSubmit={submit} noValidate>
          <TextField
            id={inputId}
            label={t.note}
            hint={t.noteHint}
            error={error}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
            maxLength={200}
          />
          <div class="ad-actions">
            <button class="btn ad-btn" type="submit" disabled={busy}>
              {t.confirm}
            </button>
            <button class="btn secondary ad-btn" type="button" onClick={() => setOpen(false)} disabled={busy}>
              {t.cancel}
            </button>
          </div>
        </form>
      ) : (
        <div class="ad-actions">
          <button class="btn secondary ad-btn" type="button" onClick={() => setOpen(true)}>
            {t.resolve}
          </button>
        </div>
      )}
    </li>
  );
}

/** 对账: run a day now, and work through the differences between WeChat Pay's bills and the ledger. */
export function ReconciliationSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [status, setStatus] = useState<Status>('open');
  const [day, setDay] = useState(yesterday());
  const [dayError, setDayError] = useState<string | undefined>();
  const [runError, setRunError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useNotice();
  const [version, setVersion] = useState(0);
  const paged = usePaged(
    (cursor) => call<Page<ReconDifference>>('/reconciliation/differences', { query: { status, cursor, limit: 50 } }),
    `${status}:${version}`,
  );

  async function run(event: Event) {
    event.preventDefault();
    setBusy(true);
    setDayError(undefined);
    setRunError(null);
    const res = await call<ReconRun>('/reconciliation/runs', { method: 'POST', body: { day } });
    setBusy(false);
    if (!res.ok) {
      if (res.error.field === 'day') setDayError(fieldText(res.error));
      else setRunError(res.error.message);
      return;
    }
    setNotice(t.ran(res.data));
    setVersion((v) => v + 1);
  }

  return (
    <section aria-labelledby="ad-recon">
      <h2 id="ad-recon" class="ad-title">
        {t.title}
      </h2>
      <p class="muted">{t.lead}</p>
      <form class="card ad-inline" onSubmit={run} noValidate>
        <TextField
          id="ad-recon-day"
          type="date"
          label={t.day}
          hint={t.dayHint}
          error={dayError}
          value={day}
          onInput={(e) => setDay(e.currentTarget.value)}
        />
        <div class="ad-actions">
          <button class="btn ad-btn" type="submit" disabled={busy || !day}>
            {busy ? t.running : t.run}
          </button>
        </div>
        <Alert message={runError} />
      </form>
      <div class="ad-filter-seg">
        <Segmented
          name="ad-recon-status"
          legend={t.show}
          value={status}
          onChange={(s) => {
            setStatus(s);
            setNotice(null);
          }}
          options={(['open', 'resolved'] as const).map((s) => ({ value: s, label: t.statuses[s] }))}
        />
      </div>
      <Toast message={notice} />
      <div class="card">
        <PagedList paged={paged} lang={ctx.lang} empty={t.empty[status]} tally>
          {(items) => (
            <ul class="ad-list ad-cards" aria-label={t.list}>
              {items.map((d) => (
                <DifferenceRow
                  key={d.id}
                  item={d}
                  ctx={ctx}
                  onResolved={(id) => {
                    paged.edit((all) => all.filter((x) => x.id !== id));
                    setNotice(t.resolved);
                  }}
                />
              ))}
            </ul>
          )}
        </PagedList>
      </div>
      <AbnormalRefunds ctx={ctx} />
    </section>
  );
}
