import { useEffect, useState } from 'preact/hooks';
import { SelectField, TextField } from '../../components/Field';
import { OrderThumb } from '../../components/OrderThumb';
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
import { listText as text } from './order/listText';
import { ShipUpload } from './order/ShipUpload';
import { StatusTabs } from './order/StatusTabs';
import { PagedTable } from './PagedTable';
import type { OrderStatus, OrderSummary, Page, Product } from './types';

interface Filters {
  /** A search (order id, phone, consignee or agent name); while set, only the status narrows it. */
  q: string;
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
    q: (params.get('q') ?? '').slice(0, 60),
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
  const [query, setQuery] = useState(filters.q);
  const [tabsKey, setTabsKey] = useState(0);
  const paged = usePaged(
    (cursor) =>
      filters.q
        ? call<Page<OrderSummary>>('/orders/search', {
            query: { q: filters.q, status: filters.status || undefined, cursor, limit: 20 },
          })
        : call<Page<OrderSummary>>('/orders', { query: { ...apiQuery(filters), cursor, limit: 20 } }),
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
    setFilters({ ...draft, q: '', agentId: draft.agentId.trim() });
  }

  function search(event: Event) {
    event.preventDefault();
    const q = query.trim();
    setFilters((f) => ({ ...f, q }));
  }

  function tab(status: '' | OrderStatus) {
    setDraft((d) => ({ ...d, status }));
    setFilters((f) => ({ ...f, status }));
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
    setTabsKey((k) => k + 1);
  }

  return (
    <>
      <form class="card ad-search" aria-label={t.searchForm} onSubmit={search} noValidate>
        <TextField
          id="ad-order-q"
          label={t.search}
          hint={t.searchHint}
          type="search"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          maxLength={60}
          autocomplete="off"
          spellcheck={false}
        />
        <div class="ad-filter-buttons">
          <button class="btn ad-btn" type="submit">
            {t.searchGo}
          </button>
          {filters.q ? (
            <button
              class="btn secondary ad-btn"
              type="button"
              onClick={() => {
                setQuery('');
                setFilters((f) => ({ ...f, q: '' }));
              }}
            >
              {t.endSearch}
            </button>
          ) : null}
        </div>
        {filters.q ? (
          <p class="muted" role="status">
            {t.searching(filters.q)}
          </p>
        ) : null}
      </form>
      <StatusTabs lang={ctx.lang} value={filters.status} onChange={tab} refresh={tabsKey} />
      <form class="card ad-filters" aria-label={t.filters} onSubmit={apply} hidden={filters.q !== ''} noValidate>
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
                const none: Filters = {
                  q: '',
                  status: '',
                  agentId: '',
                  productId: '',
                  from: '',
                  to: '',
                  lateRefundDue: '',
                };
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
      <ShipUpload
        lang={ctx.lang}
        onShipped={() => {
          paged.reload();
          ctx.refreshCounts();
          setTabsKey((k) => k + 1);
        }}
      />
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
            <th scope="col">{t.goods}</th>
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
                {o.number}
              </a>
            </th>
            <td data-label={t.goods}>
              <OrderThumb lang={ctx.lang} name={o.productName} thumbnail={o.thumbnail} lineCount={o.lineCount} />
            </td>
            <td data-label={t.kind}>{orderKind[ctx.lang][o.kind]}</td>
            <td data-label={t.status}>
              <span class={`badge ${tone(o.status)}`}>{orderStatus[ctx.lang][o.status]}</span>
            </td>
            <td data-label={t.agent}>
              <a href={routeHref('agents', o.agentId)}>{names.get(o.agentId) ?? '…'}</a>
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
