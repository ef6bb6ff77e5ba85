import { useState } from 'preact/hooks';
import { Segmented, SelectField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { api } from '../../lib/api';
import { formatFen } from '../../lib/money';
import { type Paged, usePaged } from '../../lib/paged';
import { AfterSalesView } from './AfterSalesView';
import type { ConsoleContext } from './context';
import { call } from './http';
import { orderStatus } from './labels';
import { Toast, useNotice } from './notice';
import { OrderDetails, OrderHead, RefuseForm, useAgentNames } from './orderParts';
import { ShipView } from './ShipList';
import type { OrderStatus, OrderSummary, OrderView, Page } from './types';

type View = 'todo' | 'all';
type ListRole = '' | 'sold' | 'bought' | 'to_ship' | 'to_confirm';

const text = {
  zh: {
    views: { todo: '待处理', all: '全部订单' } as Record<View, string>,
    view: '订单视图',
    refuse: '拒绝',
    busy: '处理中…',
    refused: '已拒绝该订单。',
    confirmTitle: '待确认收款',
    confirmLead: '买方线下转账给您的订单。核实到账后确认收款；进货单确认收款后会出现在下方「待发货订单」中。',
    noConfirm: '暂无待确认的线下收款。',
    buyer: (name: string) => `买方 ${name}`,
    confirm: '确认收款',
    confirmed: (amount: string) => `已确认收款 ${amount}。`,
    allTitle: '全部订单',
    mine: '我买入',
    role: '类型',
    roles: { '': '全部', sold: '我卖出的', bought: '我买入的', to_ship: '我发货的', to_confirm: '我收款的' } as Record<
      ListRole,
      string
    >,
    status: '状态',
    any: '全部',
    noOrders: '没有符合条件的订单。',
  },
  en: {
    views: { todo: 'To do', all: 'All orders' } as Record<View, string>,
    view: 'Orders view',
    refuse: 'Refuse',
    busy: 'Working…',
    refused: 'The order is refused.',
    confirmTitle: 'Payments to confirm',
    confirmLead:
      'Orders the buyer paid you directly. Confirm once the money has arrived; a restock then appears under “Orders to ship” below.',
    noConfirm: 'No offline payments to confirm.',
    buyer: (name: string) => `Buyer ${name}`,
    confirm: 'Confirm payment',
    confirmed: (amount: string) => `Payment of ${amount} confirmed.`,
    allTitle: 'All orders',
    mine: 'Bought by me',
    role: 'Kind',
    roles: {
      '': 'All',
      sold: 'Sold',
      bought: 'Bought',
      to_ship: 'I ship',
      to_confirm: 'Paid to me',
    } as Record<ListRole, string>,
    status: 'Status',
    any: 'All',
    noOrders: 'No orders match.',
  },
};

function ConfirmRow({
  order,
  ctx,
  buyer,
  onDone,
}: {
  order: OrderSummary;
  ctx: ConsoleContext;
  buyer: string | undefined;
  onDone: (message: string) => void;
}) {
  const t = text[ctx.lang];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refusing, setRefusing] = useState(false);

  async function confirm() {
    setBusy(true);
    setError(null);
    const res = await api<OrderView>(`/orders/${encodeURIComponent(order.id)}/confirm-payment`, { method: 'POST' });
    setBusy(false);
    if (res.ok) onDone(t.confirmed(formatFen(res.data.amountFen)));
    else setError(res.error.message);
  }

  return (
    <li class="cx-item" data-testid={`order-${order.id}`}>
      <OrderHead order={order} lang={ctx.lang} who={buyer ? t.buyer(buyer) : undefined} />
      <OrderDetails id={order.id} lang={ctx.lang} />
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {refusing ? (
        <RefuseForm
          id={order.id}
          lang={ctx.lang}
          onDone={() => onDone(t.refused)}
          onCancel={() => setRefusing(false)}
        />
      ) : (
        <div class="cx-actions">
          <button class="btn" type="button" onClick={confirm} disabled={busy}>
            {busy ? t.busy : t.confirm}
          </button>
          {order.kind === 'restock' ? (
            <button class="btn secondary" type="button" onClick={() => setRefusing(true)} disabled={busy}>
              {t.refuse}
            </button>
          ) : null}
        </div>
      )}
    </li>
  );
}

function ConfirmView({
  ctx,
  notify,
  onConfirmed,
}: {
  ctx: ConsoleContext;
  notify: (message: string) => void;
  onConfirmed: () => void;
}) {
  const t = text[ctx.lang];
  const paged = usePaged(
    (cursor) =>
      call<Page<OrderSummary>>('/orders', {
        query: { role: 'to_confirm', status: 'pending_payment', cursor, limit: 20 },
      }),
    'to_confirm',
  );
  // Online payments are confirmed by the payment gateway, not by hand.
  const offline = paged.items.filter((o) => o.paymentMethod === 'offline');
  const names = useAgentNames(offline.filter((o) => o.kind === 'restock').map((o) => o.agentId));
  const shown: Paged<OrderSummary> = { ...paged, items: offline, loaded: paged.loaded };
  return (
    <section class="card" aria-labelledby="cx-confirm">
      <h2 id="cx-confirm">{t.confirmTitle}</h2>
      <p class="muted">{t.confirmLead}</p>
      <PagedList paged={shown} lang={ctx.lang} empty={t.noConfirm}>
        {(items) => (
          <ul class="cx-list" aria-label={t.confirmTitle}>
            {items.map((o) => (
              <ConfirmRow
                key={o.id}
                order={o}
                ctx={ctx}
                buyer={o.kind === 'restock' ? names[o.agentId] : (o.shipName ?? undefined)}
                onDone={(message) => {
                  paged.edit((items) => items.filter((x) => x.id !== o.id));
                  ctx.refreshCounts();
                  notify(message);
                  onConfirmed();
                }}
              />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

function AllView({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [role, setRole] = useState<ListRole>('');
  const [status, setStatus] = useState<'' | OrderStatus>('');
  const paged = usePaged(
    (cursor) =>
      call<Page<OrderSummary>>('/orders', {
        query: { role: role || undefined, status: status || undefined, cursor, limit: 20 },
      }),
    `${role}|${status}`,
  );
  const statuses = Object.keys(orderStatus.zh) as OrderStatus[];
  const names = useAgentNames(
    paged.items.filter((o) => o.kind === 'restock' && o.agentId !== ctx.me.id).map((o) => o.agentId),
  );
  const whoOf = (o: OrderSummary) =>
    o.agentId === ctx.me.id && o.kind !== 'consumer'
      ? t.mine
      : o.kind === 'restock'
        ? names[o.agentId] && t.buyer(names[o.agentId] ?? '')
        : (o.shipName ?? undefined);
  return (
    <section class="card" aria-labelledby="cx-all">
      <h2 id="cx-all">{t.allTitle}</h2>
      <div class="cx-filters">
        <SelectField
          id="cx-orders-role"
          label={t.role}
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as ListRole)}
        >
          {(Object.keys(t.roles) as ListRole[]).map((r) => (
            <option key={r} value={r}>
              {t.roles[r]}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="cx-orders-status"
          label={t.status}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as '' | OrderStatus)}
        >
          <option value="">{t.any}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {orderStatus[ctx.lang][s]}
            </option>
          ))}
        </SelectField>
      </div>
      <PagedList paged={paged} lang={ctx.lang} empty={t.noOrders}>
        {(items) => (
          <ul class="cx-list" aria-label={t.allTitle}>
            {items.map((o) => (
              <li key={o.id} class="cx-item" data-testid={`order-${o.id}`}>
                <OrderHead order={o} lang={ctx.lang} who={whoOf(o)} />
                <OrderDetails id={o.id} lang={ctx.lang} />
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

/** 订单: offline payments to confirm, orders to ship (one by one or 一键发货), and every order with filters. */
export function OrdersTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [view, setView] = useState<View>('todo');
  const [notice, setNotice] = useNotice();
  const [shipReloads, setShipReloads] = useState(0);
  return (
    <>
      <Segmented
        name="cx-orders-view"
        legend={t.view}
        value={view}
        onChange={(v) => {
          setView(v);
          setNotice(null);
        }}
        options={(['todo', 'all'] as const).map((v) => ({ value: v, label: t.views[v] }))}
      />
      <Toast message={notice} />
      {view === 'todo' ? (
        <>
          <ConfirmView ctx={ctx} notify={setNotice} onConfirmed={() => setShipReloads((n) => n + 1)} />
          <ShipView ctx={ctx} notify={setNotice} reloads={shipReloads} />
          <AfterSalesView ctx={ctx} notify={setNotice} />
        </>
      ) : (
        <AllView ctx={ctx} />
      )}
    </>
  );
}
