import { useState } from 'preact/hooks';
import { PagedList } from '../../components/PagedList';
import { formatDate } from '../../lib/dates';
import { usePaged } from '../../lib/paged';
import { copyText } from './clipboard';
import type { ConsoleContext } from './context';
import { call } from './http';
import { Toast, useNotice } from './notice';
import { OrderHead } from './orderParts';
import type { Customer, OrderSummary, Page } from './types';

const text = {
  zh: {
    title: '我的客户',
    lead: '通过您的店铺链接绑定的会员。点开客户查看 TA 在您这里的订单。',
    search: '手机号或姓名（开头几位）',
    searchBtn: '搜索',
    empty: '还没有客户。把店铺链接或海报分享出去，下单的顾客会绑定到您。',
    noMatch: '没有符合条件的客户。',
    orders: (n: number) => `已购 ${n} 单`,
    last: (d: string) => `最近下单 ${d}`,
    never: '尚未下单',
    bound: '绑定时间',
    call: '打电话',
    copy: '复制手机号',
    copied: '手机号已复制',
    copyFailed: '复制失败，请长按手机号复制',
    noOrders: 'TA 还没有在您这里下过单。',
    theirOrders: (name: string) => `${name} 的订单`,
  },
  en: {
    title: 'My customers',
    lead: 'Members bound to you through your shop link. Open one to see the orders they placed with you.',
    search: 'Phone or name (the first characters)',
    searchBtn: 'Search',
    empty: 'No customers yet. Share your shop link or poster; buyers are bound to you.',
    noMatch: 'No customers match.',
    orders: (n: number) => `${n} orders`,
    last: (d: string) => `last ordered ${d}`,
    never: 'no orders yet',
    bound: 'Bound',
    call: 'Call',
    copy: 'Copy phone',
    copied: 'Phone copied',
    copyFailed: 'Could not copy; press and hold the number',
    noOrders: 'No orders placed with you yet.',
    theirOrders: (name: string) => `${name}’s orders`,
  },
};

function CustomerOrders({ customer, ctx }: { customer: Customer; ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const paged = usePaged(
    (cursor) =>
      call<Page<OrderSummary>>(`/customers/${encodeURIComponent(customer.id)}/orders`, {
        query: { cursor, limit: 10 },
      }),
    customer.id,
  );
  return (
    <PagedList paged={paged} lang={ctx.lang} empty={t.noOrders}>
      {(items) => (
        <ul class="cx-list" aria-label={t.theirOrders(customer.name)}>
          {items.map((order) => (
            <li class="cx-item" key={order.id}>
              <OrderHead order={order} lang={ctx.lang} />
            </li>
          ))}
        </ul>
      )}
    </PagedList>
  );
}

function CustomerRow({
  customer,
  ctx,
  notify,
}: {
  customer: Customer;
  ctx: ConsoleContext;
  notify: (m: string) => void;
}) {
  const t = text[ctx.lang];
  const [open, setOpen] = useState(false);
  const detailId = `cx-customer-${customer.id}`;
  return (
    <li class="cx-item" data-testid={`customer-${customer.id}`}>
      <button
        class="cx-toggle"
        type="button"
        aria-expanded={open}
        aria-controls={detailId}
        onClick={() => setOpen(!open)}
      >
        <span>
          <strong>{customer.name}</strong> <span class="muted">{customer.phone}</span>
          <br />
          <span class="muted cx-meta">
            {t.orders(customer.orderCount)} ·{' '}
            {customer.lastOrderAt ? t.last(formatDate(customer.lastOrderAt)) : t.never}
          </span>
        </span>
      </button>
      {open ? (
        <div id={detailId}>
          <div class="cx-contact">
            <a class="btn secondary cx-btn" href={`tel:${customer.phone}`}>
              {t.call}
            </a>
            <button
              class="btn secondary cx-btn"
              type="button"
              onClick={async () => notify((await copyText(customer.phone)) ? t.copied : t.copyFailed)}
            >
              {t.copy}
            </button>
          </div>
          {customer.boundAt ? (
            <p class="muted cx-meta">
              {t.bound} {formatDate(customer.boundAt)}
            </p>
          ) : null}
          <CustomerOrders customer={customer} ctx={ctx} />
        </div>
      ) : null}
    </li>
  );
}

/** 客户: the members bound to me, searched by the start of a phone or name, each opening its orders with me. */
export function CustomersTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [notice, setNotice] = useNotice();
  const paged = usePaged(
    (cursor) => call<Page<Customer>>('/customers', { query: { q: q || undefined, cursor, limit: 20 } }),
    q,
  );
  return (
    <section class="card" aria-labelledby="cx-customers">
      <h2 id="cx-customers">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <form
        class="field"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(typed.trim());
        }}
      >
        <label for="cx-customer-q">{t.search}</label>
        <div class="cx-copy">
          <input
            id="cx-customer-q"
            type="search"
            value={typed}
            maxLength={40}
            enterKeyHint="search"
            autocomplete="off"
            onInput={(e) => {
              setTyped(e.currentTarget.value);
              if (!e.currentTarget.value) setQ('');
            }}
          />
          <button class="btn cx-btn" type="submit">
            {t.searchBtn}
          </button>
        </div>
      </form>
      <PagedList paged={paged} lang={ctx.lang} empty={q ? t.noMatch : t.empty}>
        {(items) => (
          <ul class="cx-list" aria-label={t.title}>
            {items.map((c) => (
              <CustomerRow key={c.id} customer={c} ctx={ctx} notify={setNotice} />
            ))}
          </ul>
        )}
      </PagedList>
      <Toast message={notice} />
    </section>
  );
}
