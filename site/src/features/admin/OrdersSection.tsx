import { useEffect, useState } from 'preact/hooks';
import { SelectField, TextField } from '../../components/Field';
import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import { useAgentNames } from './agentNames';
import { BatchShip } from './BatchShip';
import { type AdminContext, routeHref } from './context';
import { chinaDayEnd, chinaDayStart } from './dates';
import { call } from './http';
import { orderKind, orderStatus, orderStatuses, paymentMethod, tone } from './labels';
import { useListFilters } from './listFilters';
import { Toast, useNotice } from './notice';
import { OrderPage } from './OrderPage';
import { PagedTable } from './PagedTable';
import type { OrderStatus, OrderSummary, Page, Product } from './types';

const text = {
  zh: {
    title: '订单',
    filters: '筛选订单',
    status: '状态',
    late: '取消后到账',
    lateDue: '待退还买家',
    any: '全部',
    agentId: '代理 ID',
    agentHint: '以 agt_ 开头，可在代理详情中复制',
    product: '商品',
    from: '开始日期',
    to: '结束日期',
    badRange: '结束日期不能早于开始日期',
    apply: '筛选',
    clear: '清除筛选',
    exports: '导出 CSV',
    exportsLead: '订单按当前的状态、代理和日期筛选导出；资金流水和进货记录按日期范围导出（不含商品筛选）。',
    exportOrders: '导出订单 CSV',
    exportLedger: '导出资金流水 CSV',
    exportPurchases: '导出进货记录 CSV',
    list: '订单列表',
    select: '选择',
    selectAll: '全选待发货订单',
    selectOne: (id: string) => `选择订单 ${id}`,
    order: '订单号',
    kind: '类型',
    agent: '代理',
    payment: '支付',
    amount: '金额',
    receiver: '收货人',
    created: '下单时间',
    refunded: (amount: string) => `已退 ${amount}`,
    empty: '没有符合条件的订单。',
    shipped: (ok: number, failed: number) =>
      `已发货 ${ok} 单${failed ? `，${failed} 单失败，请查看单号下的提示` : ''}。`,
    noneShipped: (failed: number) => `${failed} 单发货失败，请查看单号下的提示。`,
  },
  en: {
    title: 'Orders',
    filters: 'Filter orders',
    status: 'Status',
    late: 'Paid after cancellation',
    lateDue: 'Owed back to the buyer',
    any: 'All',
    agentId: 'Agent ID',
    agentHint: 'Starts with agt_; copy it from the agent’s page',
    product: 'Product',
    from: 'From',
    to: 'To',
    badRange: 'The end date is before the start date',
    apply: 'Filter',
    clear: 'Clear filters',
    exports: 'Export CSV',
    exportsLead:
      'Orders export with the current status, agent and dates; the ledger and the purchase record with the dates only (no product filter).',
    exportOrders: 'Export orders CSV',
    exportLedger: 'Export ledger CSV',
    exportPurchases: 'Export purchase record CSV',
    list: 'Orders',
    select: 'Select',
    selectAll: 'Select all orders to ship',
    selectOne: (id: string) => `Select order ${id}`,
    order: 'Order',
    kind: 'Kind',
    agent: 'Agent',
    payment: 'Payment',
    amount: 'Amount',
    receiver: 'Receiver',
    created: 'Created',
    refunded: (amount: string) => `${amount} refunded`,
    empty: 'No orders match.',
    shipped: (ok: number, failed: number) =>
      `${ok} shipped${failed ? `, ${failed} failed: see the message under each` : ''}.`,
    noneShipped: (failed: number) => `${failed} failed: see the message under each.`,
  },
};

interface Filters {
  status: '' | OrderStatus;
  agentId: string;
  productId: string;
  from: string;
  to: string;
  /** '1': only cancelled orders paid afterwards whose money is still owed back. */
  lateRefundDue: '' | '1';
}
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function filtersFrom(params: URLSearchParams): Filters {
  const status = params.get('status') ?? '';
  const day = (key: string) => {
    const v = params.get(key) ?? '';
    return DAY.test(v) ? v : '';
  };
  return {
    status: orderStatuses.includes(status as OrderStatus) ? (status as OrderStatus) : '',
    agentId: params.get('agentId') ?? '',
    productId: params.get('productId') ?? '',
    from: day('from'),
    to: day('to'),
    lateRefundDue: params.get('lateRefundDue') === '1' ? '1' : '',
  };
}

function apiQuery(f: Filters) {
  return {
    status: f.status || undefined,
    agentId: f.agentId || undefined,
    productId: f.productId || undefined,
    from: f.from ? (chinaDayStart(f.from) ?? undefined) : undefined,
    to: f.to ? (chinaDayEnd(f.to) ?? undefined) : undefined,
    lateRefundDue: f.lateRefundDue || undefined,
  };
}

function exportHref(file: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/api/exports/${file}${qs ? `?${qs}` : ''}`;
}

function OrderList({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [filters, setFilters] = useListFilters('orders', ctx.route.params, filtersFrom);
  const [draft, setDraft] = useState<Filters>(filters);
  const [rangeError, setRangeError] = useState<string | undefined>();
  const [products, setProducts] = useState<Product[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [notice, setNotice] = useNotice();
  const paged = usePaged(
    (cursor) => call<Page<OrderSummary>>('/orders', { query: { ...apiQuery(filters), cursor, limit: 20 } }),
    JSON.stringify(filters),
  );
  const names = useAgentNames(paged.items.map((o) => o.agentId));

  useEffect(() => {
    call<Page<Product>>('/products', { query: { limit: 100 } }).then((res) => {
      if (res.ok) setProducts(res.data.items);
    });
  }, []);

  useEffect(() => setSelected([]), [filters]);

  function apply(event: Event) {
    event.preventDefault();
    if (draft.from && draft.to && draft.to < draft.from) {
      setRangeError(t.badRange);
      document.getElementById('ad-order-to')?.focus();
      return;
    }
    setRangeError(undefined);
    setFilters({ ...draft, agentId: draft.agentId.trim() });
  }

  const set = (key: keyof Filters) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((d) => ({ ...d, [key]: value }));
  };

  const shippable = paged.items.filter((o) => o.status === 'paid');
  const chosen = paged.items.filter((o) => selected.includes(o.id));
  const allChosen = shippable.length > 0 && shippable.every((o) => selected.includes(o.id));
  const filtered = Object.values(filters).some((v) => v !== '');
  const range = apiQuery(filters);

  function toggle(id: string, on: boolean) {
    setSelected((all) => (on ? [...all, id] : all.filter((x) => x !== id)));
  }

  function shipped(done: { id: string; status: OrderStatus }[], failed: number) {
    const status = new Map(done.map((d) => [d.id, d.status]));
    paged.edit((items) => items.map((o) => (status.has(o.id) ? { ...o, status: status.get(o.id) ?? o.status } : o)));
    setSelected((all) => all.filter((id) => !status.has(id)));
    setNotice(done.length > 0 ? t.shipped(done.length, failed) : t.noneShipped(failed));
    ctx.refreshCounts();
  }

  return (
    <>
      <form class="card ad-filters" aria-label={t.filters} onSubmit={apply} noValidate>
        <SelectField id="ad-order-status" label={t.status} value={draft.status} onChange={set('status')}>
          <option value="">{t.any}</option>
          {orderStatuses.map((s) => (
            <option key={s} value={s}>
              {orderStatus[ctx.lang][s]}
            </option>
          ))}
        </SelectField>
        <TextField
          id="ad-order-agent"
          label={t.agentId}
          hint={t.agentHint}
          value={draft.agentId}
          onInput={set('agentId')}
          maxLength={40}
          autocomplete="off"
          spellcheck={false}
        />
        <SelectField id="ad-order-product" label={t.product} value={draft.productId} onChange={set('productId')}>
          <option value="">{t.any}</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
          {draft.productId && !products.some((p) => p.id === draft.productId) ? (
            <option value={draft.productId}>{draft.productId}</option>
          ) : null}
        </SelectField>
        <TextField id="ad-order-from" label={t.from} type="date" value={draft.from} onInput={set('from')} />
        <TextField id="ad-order-to" label={t.to} type="date" value={draft.to} onInput={set('to')} error={rangeError} />
        <SelectField id="ad-order-late" label={t.late} value={draft.lateRefundDue} onChange={set('lateRefundDue')}>
          <option value="">{t.any}</option>
          <option value="1">{t.lateDue}</option>
        </SelectField>
        <div class="ad-filter-buttons">
          <button class="btn ad-btn" type="submit">
            {t.apply}
          </button>
          {filtered ? (
            <button
              class="btn secondary ad-btn"
              type="button"
              onClick={() => {
                const none: Filters = { status: '', agentId: '', productId: '', from: '', to: '', lateRefundDue: '' };
                setDraft(none);
                setFilters(none);
                setRangeError(undefined);
              }}
            >
              {t.clear}
            </button>
          ) : null}
        </div>
      </form>
      <section class="card ad-exports" aria-labelledby="ad-exports">
        <h3 id="ad-exports">{t.exports}</h3>
        <p class="muted">{t.exportsLead}</p>
        <div class="ad-actions">
          <a
            class="btn secondary ad-btn"
            href={exportHref('orders.csv', {
              status: range.status,
              agentId: range.agentId,
              from: range.from,
              to: range.to,
            })}
            download
          >
            {t.exportOrders}
          </a>
          <a class="btn secondary ad-btn" href={exportHref('ledger.csv', { from: range.from, to: range.to })} download>
            {t.exportLedger}
          </a>
          <a
            class="btn secondary ad-btn"
            href={exportHref('purchases.csv', { from: range.from, to: range.to })}
            download
          >
            {t.exportPurchases}
          </a>
        </div>
      </section>
      <Toast message={notice} />
      {chosen.length > 0 ? (
        <BatchShip ctx={ctx} orders={chosen} onShipped={shipped} onClear={() => setSelected([])} />
      ) : null}
      <PagedTable
        paged={paged}
        lang={ctx.lang}
        empty={t.empty}
        caption={t.list}
        tableClass="ad-table ad-orders"
        head={
          <>
            <th scope="col" class="ad-pick">
              <label class="ad-check">
                <input
                  type="checkbox"
                  checked={allChosen}
                  disabled={shippable.length === 0}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    setSelected(on ? shippable.map((o) => o.id) : []);
                  }}
                />
                <span class="ad-pick-label">{t.selectAll}</span>
              </label>
            </th>
            <th scope="col">{t.order}</th>
            <th scope="col">{t.kind}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.agent}</th>
            <th scope="col">{t.payment}</th>
            <th scope="col" class="ad-num">
              {t.amount}
            </th>
            <th scope="col">{t.receiver}</th>
            <th scope="col">{t.created}</th>
          </>
        }
      >
        {(o) => (
          <tr key={o.id} data-testid={`order-${o.id}`} class={selected.includes(o.id) ? 'ad-chosen' : undefined}>
            <td class="ad-pick" data-label={t.select}>
              {o.status === 'paid' ? (
                <input
                  type="checkbox"
                  aria-label={t.selectOne(o.id)}
                  checked={selected.includes(o.id)}
                  onChange={(e) => toggle(o.id, e.currentTarget.checked)}
                />
              ) : null}
            </td>
            <th scope="row" data-label={t.order}>
              <a class="ad-id" href={routeHref('orders', o.id)}>
                {o.id}
              </a>
            </th>
            <td data-label={t.kind}>{orderKind[ctx.lang][o.kind]}</td>
            <td data-label={t.status}>
              <span class={`badge ${tone(o.status)}`}>{orderStatus[ctx.lang][o.status]}</span>
            </td>
            <td data-label={t.agent}>
              <a href={routeHref('agents', o.agentId)}>{names.get(o.agentId) ?? o.agentId}</a>
            </td>
            <td data-label={t.payment}>{paymentMethod[ctx.lang][o.paymentMethod]}</td>
            <td class="ad-num" data-label={t.amount}>
              <span>
                {formatFen(o.amountFen)}
                {o.refundedFen > 0 ? (
                  <small class="ad-neg ad-block">{t.refunded(formatFen(o.refundedFen))}</small>
                ) : null}
              </span>
            </td>
            <td data-label={t.receiver}>{o.shipName ?? '—'}</td>
            <td data-label={t.created} class="nowrap">
              {formatDateTime(o.createdAt)}
            </td>
          </tr>
        )}
      </PagedTable>
    </>
  );
}

/** 订单: the audit of every order with filters, 一键发货 and CSV exports, or one order's page (#orders/<id>). */
export function OrdersSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  if (ctx.route.id) return <OrderPage key={ctx.route.id} ctx={ctx} id={ctx.route.id} />;
  return (
    <section aria-labelledby="ad-orders">
      <h2 id="ad-orders" class="ad-title">
        {t.title}
      </h2>
      <OrderList key={ctx.route.params.toString()} ctx={ctx} />
    </section>
  );
}
