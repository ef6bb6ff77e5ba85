import { useEffect, useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { formatClock, formatDateTime } from '../../lib/dates';
import { queryParam, useLang } from '../../lib/hooks';
import { formatFen } from '../../lib/money';
import { PHONE_MAX_TYPED, phoneDigits } from '../../lib/phone';
import { addLine, type CartLine } from '../shop/cart';
import { saveCart } from '../shop/cartStore';
import { checkoutUrl, knownShop, type ShopData, shopUrl } from '../shop/types';
import { BuyAgain } from './BuyAgain';
import { BuyerActions } from './BuyerActions';
import { OnlinePay } from './OnlinePay';
import { orderTokenHeaders, rememberedOrder, rememberOrder } from './orders';
import { OrderNumber, PayeeCard } from './PayeeCard';
import { RefundStatus } from './RefundStatus';
import { type Order, type OrderStatus, PHONE, type ServedBy, statusText } from './types';

const text = {
  zh: {
    loading: '正在查询订单…',
    placed: '下单成功！请保存订单号，凭下单手机号随时查询。',
    payBy: (time: string) => `请在 ${time} 前付款，超时订单将自动取消`,
    missing: '链接缺少订单号。',
    phoneLead: '请输入下单时填写的手机号查看订单。',
    phone: '手机号',
    phoneError: '请输入 11 位手机号',
    wrongPhone: '手机号与该订单不符，请输入下单时填写的收货手机号',
    find: '查看订单',
    number: '订单号',
    created: '下单时间',
    method: '付款方式',
    online: '在线支付',
    offline: '线下付款',
    items: '商品',
    total: '实付金额',
    refunded: '已退款',
    shipTo: '收货信息',
    carrier: '快递',
    tracking: '运单号',
    track: '查看物流',
    paid: '支付成功，等待发货。',
    payOffline: '请联系您的代理付款，付款后由代理确认',
    payOfflineBrand: '请联系您的代理付款，付款后由品牌方确认收款',
    agent: (a: ServedBy) => `为您服务的代理：${a.name}（${a.levelName}）`,
    note: '买家备注',
    servedBy: '服务代理',
    cert: '查看授权书',
    unavailable: '在线支付暂不可用，请在微信中打开此链接。',
    reorder: '改用线下付款重新下单',
    refresh: '刷新订单状态',
    shop: '返回小店',
    orders: '我的订单',
    steps: ['下单', '付款', '发货', '完成'],
  },
  en: {
    loading: 'Looking up the order…',
    placed: 'Order placed. Keep the order number: with your phone number you can look it up any time.',
    payBy: (time: string) => `Please pay before ${time}; an unpaid order is then cancelled`,
    missing: 'The link has no order number.',
    phoneLead: 'Enter the phone number you ordered with to see the order.',
    phone: 'Mobile phone',
    phoneError: 'Enter an 11-digit mobile number',
    wrongPhone: 'This phone does not match the order; enter the phone the order was placed with',
    find: 'See the order',
    number: 'Order number',
    created: 'Placed',
    method: 'Payment',
    online: 'Online',
    offline: 'Offline',
    items: 'Items',
    total: 'Amount',
    refunded: 'Refunded',
    shipTo: 'Delivery',
    carrier: 'Carrier',
    tracking: 'Tracking number',
    track: 'Track the parcel',
    paid: 'Paid. The order will be shipped soon.',
    payOffline: 'Please pay your agent directly; the agent confirms the payment.',
    payOfflineBrand: 'Please pay your agent directly; the brand confirms the payment.',
    agent: (a: ServedBy) => `Served by: ${a.name} (${a.levelName})`,
    note: 'Your note',
    servedBy: 'Agent',
    cert: 'Certificate',
    unavailable: 'Online payment is not available here (open the page in WeChat).',
    reorder: 'Order again, paying offline',
    refresh: 'Refresh the status',
    shop: 'Back to the shop',
    orders: 'My orders',
    steps: ['Placed', 'Paid', 'Shipped', 'Done'],
  },
};

type State =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'ask'; error: string | null }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; order: Order };

const reached: Record<OrderStatus, number> = {
  pending_payment: 1,
  paid: 2,
  shipped: 3,
  completed: 4,
  cancelled: 1,
  refused: 1,
  refunded: 2,
};

// A guest's order with its token (this browser placed it) is followed with the phone it gave; otherwise the order is
// read as the signed-in member's, or as a guest's whose phone was proved by SMS code (the tracking cookie).
async function fetchOrder(id: string, phone: string | null) {
  const path = `/orders/${encodeURIComponent(id)}`;
  const headers = orderTokenHeaders(id);
  return phone && 'X-Order-Token' in headers
    ? api<Order>(`${path}/track`, { query: { phone }, headers })
    : api<Order>(path, { headers });
}

/** /order?id=: the order, its progress and tracking, and paying it while it awaits payment. */
export function OrderDetail() {
  const lang = useLang();
  const t = text[lang];
  const [id, setId] = useState<string | null>(null);
  const [phone, setPhone] = useState<string | null>(null);
  const [shop, setShop] = useState<ShopData | null>(null);
  const [shopCode, setShopCode] = useState<string | null>(null);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [paidNow, setPaidNow] = useState(false);
  const [typed, setTyped] = useState('');
  const [placed, setPlaced] = useState(false);

  async function load(orderId: string, withPhone: string | null) {
    const res = await fetchOrder(orderId, withPhone);
    if (res.ok) setState({ kind: 'ready', order: res.data });
    else if (res.status === 401 || res.status === 404) {
      // The answer cannot say which was wrong; what the buyer typed here is the phone.
      setState({ kind: 'ask', error: withPhone ? (res.status === 404 ? t.wrongPhone : res.error.message) : null });
    } else setState({ kind: 'failed', message: res.error.message });
    return res.ok ? res.data : null;
  }

  useEffect(() => {
    const orderId = queryParam('id')?.trim() ?? '';
    if (!orderId) {
      setState({ kind: 'missing' });
      return;
    }
    setPlaced(queryParam('placed') === '1');
    const known = rememberedOrder(orderId);
    setId(orderId);
    setPhone(known?.phone ?? null);
    setShopCode(known?.shop ?? null);
    setShop(knownShop(known?.shop ?? null));
    load(orderId, known?.phone ?? null);
  }, []);

  if (state.kind === 'loading') return <p role="status">{t.loading}</p>;
  if (state.kind === 'missing') return <Alert message={t.missing} />;
  if (state.kind === 'failed') return <Alert message={state.message} />;
  if (state.kind === 'ask') {
    const submit = (event: Event) => {
      event.preventDefault();
      if (!id) return;
      if (!PHONE.test(phoneDigits(typed))) {
        setState({ kind: 'ask', error: t.phoneError });
        return;
      }
      const p = typed.trim();
      setPhone(p);
      load(id, p).then((order) => {
        if (order) rememberOrder({ id: order.id, phone: p, shop: null, at: order.createdAt });
      });
    };
    return (
      <form class="card" onSubmit={submit} noValidate>
        <p>{t.phoneLead}</p>
        <TextField
          id="order-phone"
          label={t.phone}
          type="tel"
          inputMode="numeric"
          autocomplete="tel-national"
          maxLength={PHONE_MAX_TYPED}
          value={typed}
          error={state.error ?? undefined}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
        <button class="btn" type="submit">
          {t.find}
        </button>
      </form>
    );
  }

  const order = state.order;
  const orderId = order.id;

  function reorderOffline() {
    if (!shopCode) return;
    const lines: CartLine[] = order.lines.reduce<CartLine[]>((cart, l) => {
      const image = shop?.products.find((p) => p.id === l.productId)?.image ?? null;
      return addLine(cart, { id: l.productId, name: l.name, image, retailFen: l.unitFen }, l.qty);
    }, []);
    saveCart(shopCode, lines);
    location.assign(`${checkoutUrl(shopCode)}&method=offline`);
  }

  const step = reached[order.status];
  const offlineText = order.payeeId === 'brand' ? t.payOfflineBrand : t.payOffline;
  // The order's own agent, from the order (never the shop this browser last opened: a bound phone's order is another's).
  const served = order.servedBy;
  const agentLine = served ? (
    <p data-testid="served-by">
      {t.agent(served)}{' '}
      {served.certNumber ? <a href={`/c/${encodeURIComponent(served.certNumber)}`}>{t.cert}</a> : null}
    </p>
  ) : null;

  return (
    <>
      {placed && order.status === 'pending_payment' ? (
        <p class="notice" role="status">
          {t.placed}
        </p>
      ) : null}
      {order.status === 'pending_payment' && order.expiresAt ? (
        <p class="notice" role="status">
          {t.payBy(formatClock(order.expiresAt))}
        </p>
      ) : null}
      <div class="row">
        <span class={`badge st-${order.status}`}>{statusText[lang][order.status]}</span>
        <span class="muted nowrap">{formatDateTime(order.createdAt)}</span>
      </div>
      {['cancelled', 'refused'].includes(order.status) ? null : (
        <ol class="steps">
          {t.steps.map((label, i) => (
            <li key={label} class={i < step ? 'done' : undefined} aria-current={i === step - 1 ? 'step' : undefined}>
              {label}
            </li>
          ))}
        </ol>
      )}

      {order.status === 'pending_payment' && order.paymentMethod === 'offline' ? (
        <section class="card" aria-live="polite">
          {agentLine}
          {order.payee ? (
            <PayeeCard order={order} lang={lang} />
          ) : (
            <p>
              <strong>{offlineText}</strong>
            </p>
          )}
          <button type="button" class="btn secondary" onClick={() => id && load(id, phone)}>
            {t.refresh}
          </button>
        </section>
      ) : null}

      {order.status === 'pending_payment' && order.paymentMethod === 'online' ? (
        <section class="card stack" aria-live="polite">
          <OnlinePay
            order={order}
            lang={lang}
            reload={() => load(orderId, phone)}
            onPaid={(paid) => {
              setState({ kind: 'ready', order: { ...paid, payee: order.payee, servedBy: order.servedBy } });
              setPaidNow(true);
            }}
            unavailable={(message) => (
              <>
                <Alert message={message || t.unavailable} />
                <p>
                  <strong>{offlineText}</strong>
                </p>
                {agentLine}
                {shopCode ? (
                  <button type="button" class="btn secondary" onClick={reorderOffline}>
                    {t.reorder}
                  </button>
                ) : null}
              </>
            )}
          />
        </section>
      ) : null}
      {paidNow && order.status === 'paid' ? (
        <p class="notice" role="status">
          {t.paid}
        </p>
      ) : null}

      <section class="card">
        <h2>{t.items}</h2>
        <ul class="olines">
          {order.lines.map((l) => (
            <li key={l.productId}>
              <span>{l.name}</span>
              <span class="muted nowrap">
                {formatFen(l.unitFen)} × {l.qty}
              </span>
            </li>
          ))}
        </ul>
        <p class="total">
          <span>{t.total}</span>
          <strong>{formatFen(order.amountFen)}</strong>
        </p>
        {order.refundedFen > 0 ? (
          <p class="muted">
            {t.refunded} {formatFen(order.refundedFen)}
          </p>
        ) : null}
        <dl class="facts">
          <dt>{t.number}</dt>
          <dd>
            <OrderNumber number={order.number} lang={lang} />
          </dd>
          <dt>{t.method}</dt>
          <dd>{order.paymentMethod === 'online' ? t.online : t.offline}</dd>
          {served && order.status !== 'pending_payment' ? (
            <>
              <dt>{t.servedBy}</dt>
              <dd>
                {served.name}（{served.levelName}）
              </dd>
            </>
          ) : null}
          {order.note ? (
            <>
              <dt>{t.note}</dt>
              <dd data-testid="order-note">{order.note}</dd>
            </>
          ) : null}
          {order.shipping ? (
            <>
              <dt>{t.shipTo}</dt>
              <dd>
                {order.shipping.name} {order.shipping.phone}
                <br />
                {order.shipping.address}
              </dd>
            </>
          ) : null}
          {order.carrier ? (
            <>
              <dt>{t.carrier}</dt>
              <dd>{order.carrier}</dd>
            </>
          ) : null}
          {order.trackingNo ? (
            <>
              <dt>{t.tracking}</dt>
              <dd>
                {order.trackingNo}{' '}
                {order.trackingUrl ? (
                  <a href={order.trackingUrl} target="_blank" rel="noopener noreferrer">
                    {t.track}
                  </a>
                ) : null}
              </dd>
            </>
          ) : null}
          {order.shippedAt ? (
            <>
              <dt>{statusText[lang].shipped}</dt>
              <dd>{formatDateTime(order.shippedAt)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      {order.paymentMethod === 'online' && order.refundedFen > 0 ? (
        <RefundStatus orderId={order.id} headers={orderTokenHeaders(order.id)} lang={lang} />
      ) : null}
      <BuyerActions
        order={order}
        lang={lang}
        // An action's answer carries no payee or agent (read answers only): keep those the page has.
        onChange={(o) => setState({ kind: 'ready', order: { ...o, payee: order.payee, servedBy: order.servedBy } })}
      />
      <BuyAgain order={order} shopCode={shopCode} shop={shop} lang={lang} />
      <p class="shop-links">
        {shopCode ? <a href={shopUrl(shopCode)}>{t.shop}</a> : null}
        <a href="/orders">{t.orders}</a>
      </p>
    </>
  );
}
