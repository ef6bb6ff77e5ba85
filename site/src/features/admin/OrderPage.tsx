import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { formatDateTime } from '../../lib/dates';
import { formatFen } from '../../lib/money';
import { useAgentNames } from './agentNames';
import { CARRIERS, needsParcel, TRACKING_NO } from './BatchShip';
import { type AdminContext, listHref, routeHref } from './context';
import { call, fieldText, seg } from './http';
import { LatePayment } from './LatePayment';
import { orderKind, orderStatus, paymentMethod, stockModel, tone } from './labels';
import { Toast, useNotice } from './notice';
import { RefundForm } from './RefundForm';
import type { OrderView } from './types';

const text = {
  zh: {
    back: '返回订单列表',
    loading: '加载中…',
    order: '订单',
    facts: '订单信息',
    kind: '类型',
    status: '状态',
    model: '库存模式',
    agent: '代理',
    payee: '收款方',
    brand: '品牌方',
    member: '会员',
    payment: '支付方式',
    amount: '订单金额',
    refunded: '已退款',
    created: '下单时间',
    paidAt: '付款时间',
    shippedAt: '发货时间',
    completedAt: '完成时间',
    closedAt: '关闭时间',
    receiver: '收货人',
    address: '收货地址',
    carrier: '快递公司',
    trackingNo: '快递单号',
    note: '备注',
    lines: '商品明细',
    product: '商品',
    unit: '单价',
    qty: '数量',
    subtotal: '小计',
    refundedQty: '已退数量',
    actions: '处理订单',
    noActions: '该订单当前没有可执行的操作。',
    confirmTitle: '确认线下收款',
    confirmLead: '买方线下转账给品牌。核实到账后确认收款，订单进入待发货。',
    confirm: '确认收款',
    agentPayee: '该订单由供货上级代理直接收款，需由其在代理后台确认。',
    shipTitle: '发货',
    cloudShip: '云仓进货：发货后货品直接转入买方云仓，订单随即完成，无需快递。',
    ship: '发货',
    completeTitle: '完成订单',
    completeLead: '买方确认收货前，品牌可代为完成订单；完成后收益开始冻结期。',
    complete: '完成订单',
    busy: '处理中…',
    needCarrier: '请填写快递公司',
    needTracking: '请填写快递单号',
    badTracking: '快递单号为 4–40 位字母、数字或减号',
    confirmed: '已确认收款。',
    shipped: '已发货。',
    delivered: '已交付到买方云仓。',
    completed: '订单已完成。',
  },
  en: {
    back: 'Back to orders',
    loading: 'Loading…',
    order: 'Order',
    facts: 'Order',
    kind: 'Kind',
    status: 'Status',
    model: 'Stock model',
    agent: 'Agent',
    payee: 'Payee',
    brand: 'Brand',
    member: 'Member',
    payment: 'Payment',
    amount: 'Amount',
    refunded: 'Refunded',
    created: 'Created',
    paidAt: 'Paid',
    shippedAt: 'Shipped',
    completedAt: 'Completed',
    closedAt: 'Closed',
    receiver: 'Receiver',
    address: 'Address',
    carrier: 'Carrier',
    trackingNo: 'Tracking number',
    note: 'Note',
    lines: 'Items',
    product: 'Product',
    unit: 'Unit price',
    qty: 'Qty',
    subtotal: 'Subtotal',
    refundedQty: 'Refunded',
    actions: 'Handle the order',
    noActions: 'Nothing to do on this order now.',
    confirmTitle: 'Confirm an offline payment',
    confirmLead: 'The buyer paid the brand directly. Confirm once the money has arrived; the order is then to ship.',
    confirm: 'Confirm payment',
    agentPayee: 'The buyer pays the supplying agent directly; that agent confirms it in its console.',
    shipTitle: 'Ship',
    cloudShip: 'Cloud restock: shipping moves the units into the buyer’s cloud stock and completes the order.',
    ship: 'Ship',
    completeTitle: 'Complete',
    completeLead:
      'The brand may complete an order before the buyer confirms receipt; earnings then start their freeze.',
    complete: 'Complete order',
    busy: 'Working…',
    needCarrier: 'Enter the carrier',
    needTracking: 'Enter the tracking number',
    badTracking: 'A tracking number has 4–40 letters, digits or dashes',
    confirmed: 'Payment confirmed.',
    shipped: 'Shipped.',
    delivered: 'Delivered into the buyer’s cloud stock.',
    completed: 'The order is completed.',
  },
};

type T = (typeof text)['zh'];

function ShipForm({ order, t, onDone }: { order: OrderView; t: T; onDone: (o: OrderView, m: string) => void }) {
  const parcel = needsParcel(order.kind, order.stockModel);
  const [carrier, setCarrier] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  const [errors, setErrors] = useState<{ carrier?: string; trackingNo?: string; top?: string }>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const found: typeof errors = {};
    if (parcel) {
      if (!carrier.trim()) found.carrier = t.needCarrier;
      if (!trackingNo.trim()) found.trackingNo = t.needTracking;
      else if (!TRACKING_NO.test(trackingNo.trim())) found.trackingNo = t.badTracking;
    }
    setErrors(found);
    if (found.carrier || found.trackingNo) {
      document.getElementById(found.carrier ? 'ad-ship-carrier' : 'ad-ship-trackingNo')?.focus();
      return;
    }
    setBusy(true);
    const res = await call<OrderView>(`/orders/${seg(order.id)}/ship`, {
      method: 'POST',
      body: parcel ? { carrier: carrier.trim(), trackingNo: trackingNo.trim() } : {},
    });
    setBusy(false);
    if (res.ok) onDone(res.data, parcel ? t.shipped : t.delivered);
    else if (res.error.field === 'carrier' || res.error.field === 'trackingNo')
      setErrors({ [res.error.field]: fieldText(res.error) });
    else setErrors({ top: res.error.message });
  }

  return (
    <form class="ad-subform" onSubmit={submit} noValidate aria-labelledby="ad-ship-title">
      <h4 id="ad-ship-title">{t.shipTitle}</h4>
      <Alert message={errors.top} />
      {parcel ? (
        <div class="ad-cols">
          <TextField
            id="ad-ship-carrier"
            label={t.carrier}
            error={errors.carrier}
            value={carrier}
            onInput={(e) => setCarrier(e.currentTarget.value)}
            list="ad-ship-carriers"
            maxLength={40}
          />
          <datalist id="ad-ship-carriers">
            {CARRIERS.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <TextField
            id="ad-ship-trackingNo"
            label={t.trackingNo}
            error={errors.trackingNo}
            value={trackingNo}
            onInput={(e) => setTrackingNo(e.currentTarget.value)}
            maxLength={40}
            spellcheck={false}
          />
        </div>
      ) : (
        <p class="muted">{t.cloudShip}</p>
      )}
      <button class="btn ad-btn" type="submit" disabled={busy}>
        {busy ? t.busy : t.ship}
      </button>
    </form>
  );
}

function OneClick({
  order,
  t,
  path,
  title,
  lead,
  label,
  done,
  onDone,
}: {
  order: OrderView;
  t: T;
  path: string;
  title: string;
  lead: string;
  label: string;
  done: string;
  onDone: (o: OrderView, m: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `ad-${path}-title`;
  return (
    <section class="ad-subform" aria-labelledby={id}>
      <h4 id={id}>{title}</h4>
      <p class="muted">{lead}</p>
      <Alert message={error} />
      <button
        class="btn ad-btn"
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const res = await call<OrderView>(`/orders/${seg(order.id)}/${path}`, { method: 'POST' });
          setBusy(false);
          if (res.ok) onDone(res.data, done);
          else setError(res.error.message);
        }}
      >
        {busy ? t.busy : label}
      </button>
    </section>
  );
}

/** One order: its facts and lines, and what the brand can do at its status (confirm, ship, complete, refund). */
export function OrderPage({ ctx, id }: { ctx: AdminContext; id: string }) {
  const t = text[ctx.lang];
  const lang = ctx.lang;
  const [order, setOrder] = useState<OrderView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useNotice();
  const names = useAgentNames(order ? [order.agentId, order.payeeId] : []);

  useEffect(() => {
    call<OrderView>(`/orders/${seg(id)}`).then((res) => (res.ok ? setOrder(res.data) : setError(res.error.message)));
  }, [id]);

  function done(next: OrderView, message: string) {
    setOrder(next);
    setNotice(message);
    ctx.refreshCounts();
  }

  const back = (
    <p class="ad-back">
      <a href={listHref('orders')}>← {t.back}</a>
    </p>
  );
  if (error || !order)
    return (
      <section>
        {back}
        {error ? <Alert message={error} /> : <p role="status">{t.loading}</p>}
      </section>
    );

  const agentLink = (agentId: string) =>
    agentId === 'brand' ? t.brand : <a href={routeHref('agents', agentId)}>{names.get(agentId) ?? agentId}</a>;
  const toConfirm = order.status === 'pending_payment' && order.paymentMethod === 'offline';
  const refundable = ['paid', 'shipped', 'completed'].includes(order.status);
  const times: [string, number | null][] = [
    [t.created, order.createdAt],
    [t.paidAt, order.paidAt],
    [t.shippedAt, order.shippedAt],
    [t.completedAt, order.completedAt],
    [t.closedAt, order.closedAt],
  ];

  return (
    <section aria-labelledby="ad-order-title">
      {back}
      <Toast message={notice} />
      <div class="ad-head">
        <h2 id="ad-order-title" class="ad-title">
          {t.order} <span class="ad-code">{order.id}</span>
        </h2>
        <span class={`badge ${tone(order.status)}`}>{orderStatus[lang][order.status]}</span>
      </div>
      <div class="ad-grid ad-grid-wide">
        <div>
          <section class="card" aria-labelledby="ad-order-facts">
            <h3 id="ad-order-facts">{t.facts}</h3>
            <dl class="facts ad-facts">
              <dt>{t.kind}</dt>
              <dd>{orderKind[lang][order.kind]}</dd>
              <dt>{t.model}</dt>
              <dd>{stockModel[lang][order.stockModel]}</dd>
              <dt>{t.agent}</dt>
              <dd>{agentLink(order.agentId)}</dd>
              <dt>{t.payee}</dt>
              <dd>{agentLink(order.payeeId)}</dd>
              {order.memberId ? (
                <>
                  <dt>{t.member}</dt>
                  <dd class="ad-id">{order.memberId}</dd>
                </>
              ) : null}
              <dt>{t.payment}</dt>
              <dd>{paymentMethod[lang][order.paymentMethod]}</dd>
              <dt>{t.amount}</dt>
              <dd>
                <strong>{formatFen(order.amountFen)}</strong>
              </dd>
              {order.refundedFen > 0 ? (
                <>
                  <dt>{t.refunded}</dt>
                  <dd class="ad-neg">{formatFen(order.refundedFen)}</dd>
                </>
              ) : null}
              {times.map(([label, at]) =>
                at ? (
                  <Fragment key={label}>
                    <dt>{label}</dt>
                    <dd>{formatDateTime(at)}</dd>
                  </Fragment>
                ) : null,
              )}
              {order.shipping ? (
                <>
                  <dt>{t.receiver}</dt>
                  <dd>
                    {order.shipping.name} {order.shipping.phone}
                  </dd>
                  <dt>{t.address}</dt>
                  <dd>{order.shipping.address}</dd>
                </>
              ) : null}
              {order.carrier ? (
                <>
                  <dt>{t.carrier}</dt>
                  <dd>{order.carrier}</dd>
                  <dt>{t.trackingNo}</dt>
                  <dd>{order.trackingNo}</dd>
                </>
              ) : null}
              {order.note ? (
                <>
                  <dt>{t.note}</dt>
                  <dd>{order.note}</dd>
                </>
              ) : null}
            </dl>
          </section>
          <section class="card ad-table-card" aria-labelledby="ad-order-lines">
            <h3 id="ad-order-lines">{t.lines}</h3>
            <table class="ad-table">
              <thead>
                <tr>
                  <th scope="col">{t.product}</th>
                  <th scope="col" class="ad-num">
                    {t.unit}
                  </th>
                  <th scope="col" class="ad-num">
                    {t.qty}
                  </th>
                  <th scope="col" class="ad-num">
                    {t.refundedQty}
                  </th>
                  <th scope="col" class="ad-num">
                    {t.subtotal}
                  </th>
                </tr>
              </thead>
              <tbody>
                {order.lines.map((l) => (
                  <tr key={l.productId}>
                    <th scope="row" data-label={t.product}>
                      {l.name}
                    </th>
                    <td class="ad-num" data-label={t.unit}>
                      {formatFen(l.unitFen)}
                    </td>
                    <td class="ad-num" data-label={t.qty}>
                      {l.qty}
                    </td>
                    <td class="ad-num" data-label={t.refundedQty}>
                      {l.refundedQty}
                    </td>
                    <td class="ad-num" data-label={t.subtotal}>
                      {formatFen(l.unitFen * l.qty)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
        <section class="card" aria-labelledby="ad-order-actions">
          <h3 id="ad-order-actions">{t.actions}</h3>
          {toConfirm && order.payeeId === 'brand' ? (
            <OneClick
              order={order}
              t={t}
              path="confirm-payment"
              title={t.confirmTitle}
              lead={t.confirmLead}
              label={t.confirm}
              done={t.confirmed}
              onDone={done}
            />
          ) : null}
          {toConfirm && order.payeeId !== 'brand' ? <p class="muted">{t.agentPayee}</p> : null}
          {order.status === 'paid' ? <ShipForm order={order} t={t} onDone={done} /> : null}
          {order.status === 'shipped' ? (
            <OneClick
              order={order}
              t={t}
              path="complete"
              title={t.completeTitle}
              lead={t.completeLead}
              label={t.complete}
              done={t.completed}
              onDone={done}
            />
          ) : null}
          {refundable ? <RefundForm key={order.refundedFen} ctx={ctx} order={order} onDone={done} /> : null}
          <LatePayment ctx={ctx} order={order} onDone={done} />
          {!toConfirm && !refundable && order.status !== 'paid' && !order.latePayment ? (
            <p class="muted">{t.noActions}</p>
          ) : null}
        </section>
      </div>
    </section>
  );
}
