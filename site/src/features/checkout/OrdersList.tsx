import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import { api } from '../../lib/api';
import { useLang } from '../../lib/hooks';
import { OrderFind } from './OrderFind';
import { OrderRow as Row } from './OrderRow';
import { orderTokenHeaders, type RememberedOrder, rememberedOrders } from './orders';
import { PhoneLookup } from './PhoneLookup';
import type { Order, OrderSummary } from './types';

const text = {
  zh: {
    loading: '加载中…',
    none: '还没有订单。',
    onPhone: '在本机下的订单',
    signIn: '会员登录查看全部订单',
    signUp: '注册会员',
    more: '加载更多',
    addresses: '收货地址',
  },
  en: {
    loading: 'Loading…',
    none: 'No orders yet.',
    onPhone: 'Orders placed on this phone',
    signIn: 'Sign in as a member to see all your orders',
    signUp: 'Become a member',
    more: 'More',
    addresses: 'Delivery addresses',
  },
};

interface Page {
  items: OrderSummary[];
  nextCursor: string | null;
}

type State =
  | { kind: 'loading' }
  | { kind: 'member'; items: OrderSummary[]; cursor: string | null }
  | { kind: 'guest'; remembered: RememberedOrder[] }
  | { kind: 'failed'; message: string };

/** /orders: a member's orders from the API; a guest's from this phone, and a lookup by number and phone. */
export function OrdersList() {
  const lang = useLang();
  const t = text[lang];
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [guestRows, setGuestRows] = useState<OrderSummary[]>([]);

  async function page(cursor: string | null, before: OrderSummary[]) {
    const res = await api<Page>('/orders', { query: { limit: 20, cursor: cursor ?? undefined } });
    if (res.ok) setState({ kind: 'member', items: [...before, ...res.data.items], cursor: res.data.nextCursor });
    else if (res.status === 401 || res.status === 403) setState({ kind: 'guest', remembered: rememberedOrders() });
    else setState({ kind: 'failed', message: res.error.message });
  }

  useEffect(() => {
    // Only a member's own orders belong here (an agent's are in its console).
    // /auth/session answers a guest 200, so a guest's browser logs no 401.
    api<{ role: string | null }>('/auth/session').then((me) => {
      if (me.ok && me.data.role === 'member') page(null, []);
      else setState({ kind: 'guest', remembered: rememberedOrders() });
    });
  }, []);

  // A guest's remembered orders, each read with its phone (a handful at most).
  useEffect(() => {
    if (state.kind !== 'guest') return;
    Promise.all(
      state.remembered.slice(0, 10).map((o) =>
        api<Order>(`/orders/${encodeURIComponent(o.id)}/track`, {
          query: { phone: o.phone },
          headers: orderTokenHeaders(o.id),
        }),
      ),
    ).then((results) =>
      setGuestRows(
        results.flatMap((r) =>
          r.ok
            ? [
                {
                  id: r.data.id,
                  number: r.data.number,
                  status: r.data.status,
                  paymentMethod: r.data.paymentMethod,
                  amountFen: r.data.amountFen,
                  refundedFen: r.data.refundedFen,
                  shipName: r.data.shipping?.name ?? null,
                  trackingNo: r.data.trackingNo,
                  createdAt: r.data.createdAt,
                },
              ]
            : [],
        ),
      ),
    );
  }, [state.kind]);

  if (state.kind === 'loading') return <p role="status">{t.loading}</p>;
  if (state.kind === 'failed') return <Alert message={state.message} />;
  if (state.kind === 'member') {
    return (
      <>
        <p>
          <a class="btn secondary" href="/addresses">
            {t.addresses}
          </a>
        </p>
        {state.items.length === 0 ? <p class="lead">{t.none}</p> : null}
        <div class="card">
          <ul class="olines">
            {state.items.map((o) => (
              <Row key={o.id} o={o} lang={lang} />
            ))}
          </ul>
        </div>
        {state.cursor ? (
          <button type="button" class="btn secondary" onClick={() => page(state.cursor, state.items)}>
            {t.more}
          </button>
        ) : null}
      </>
    );
  }

  return (
    <>
      <p>
        <a class="btn" href={`/login?role=member&next=${encodeURIComponent('/orders')}`}>
          {t.signIn}
        </a>
      </p>
      <p>
        <a href="/signup">{t.signUp}</a>
      </p>
      {guestRows.length > 0 ? (
        <section>
          <h2>{t.onPhone}</h2>
          <div class="card">
            <ul class="olines">
              {guestRows.map((o) => (
                <Row key={o.id} o={o} lang={lang} />
              ))}
            </ul>
          </div>
        </section>
      ) : null}
      <PhoneLookup />
      <OrderFind />
    </>
  );
}
