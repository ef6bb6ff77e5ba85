import { useEffect, useState } from 'preact/hooks';
import { PagedList } from '../../components/PagedList';
import { api } from '../../lib/api';
import { usePaged } from '../../lib/paged';
import type { ConsoleContext } from './context';
import { call } from './http';
import { OrderDetails, OrderHead, RefuseForm, useAgentNames } from './orderParts';
import type { OrderSummary, OrderView, Page, ShipResults } from './types';

interface Tracking {
  carrier: string;
  trackingNo: string;
}
interface RowErrors {
  carrier?: string;
  trackingNo?: string;
  top?: string;
}

const CARRIERS = [
  '顺丰速运',
  '中通快递',
  '圆通速递',
  '韵达快递',
  '申通快递',
  '京东物流',
  '极兔速递',
  'EMS',
  '邮政快递包裹',
];
const CARRIER_KEY = 'agentry.carrier';
const TRACKING_NO = /^[A-Za-z0-9-]{4,40}$/;

const text = {
  zh: {
    shipTitle: '待发货订单',
    shipLead: '填写快递公司和快递单号后发货；勾选多单可一键发货。云仓进货单无需快递，发货后货品直接转入对方云仓。',
    noShip: '暂无待发货订单。',
    selectAll: '全选',
    select: '选择此订单',
    selected: (n: number) => `已选 ${n} 单`,
    shipAll: '一键发货',
    carrier: '快递公司',
    trackingNo: '快递单号',
    cloud: '云仓进货：发货后货品直接转入对方云仓。',
    receiver: (name: string) => `收货人 ${name}`,
    ship: '发货',
    refuse: '拒绝',
    busy: '处理中…',
    needCarrier: '请填写快递公司',
    needTracking: '请填写快递单号',
    badTracking: '快递单号为 4–40 位字母、数字或减号',
    pickSome: '请先勾选要发货的订单',
    fixRows: '请先补全所选订单的快递信息',
    shipped: '已发货。',
    shippedMany: (ok: number, failed: number) =>
      `已发货 ${ok} 单${failed ? `，${failed} 单失败，请查看订单下的提示` : ''}。`,
    refused: '已拒绝该订单。',
    buyer: (name: string) => `买方 ${name}`,
    batchErrors: {
      INVALID_STATE: '订单状态已变化，请刷新后查看',
      FORBIDDEN: '无权发货',
      NOT_FOUND: '订单不存在',
      VALIDATION_FAILED: '快递信息有误',
    } as Record<string, string>,
  },
  en: {
    shipTitle: 'Orders to ship',
    shipLead:
      'Enter the carrier and tracking number, then ship; tick several to ship them at once. A cloud restock needs no carrier: shipping moves the units into the buyer’s cloud stock.',
    noShip: 'Nothing to ship.',
    selectAll: 'Select all',
    select: 'Select this order',
    selected: (n: number) => `${n} selected`,
    shipAll: 'Ship selected',
    carrier: 'Carrier',
    trackingNo: 'Tracking number',
    cloud: 'Cloud restock: shipping moves the units into the buyer’s cloud stock.',
    receiver: (name: string) => `To ${name}`,
    ship: 'Ship',
    refuse: 'Refuse',
    busy: 'Working…',
    needCarrier: 'Enter the carrier',
    needTracking: 'Enter the tracking number',
    badTracking: 'A tracking number has 4–40 letters, digits or dashes',
    pickSome: 'Tick the orders to ship first',
    fixRows: 'Complete the tracking of the ticked orders first',
    shipped: 'Shipped.',
    shippedMany: (ok: number, failed: number) =>
      `${ok} shipped${failed ? `, ${failed} failed: see the message under each` : ''}.`,
    refused: 'The order is refused.',
    buyer: (name: string) => `Buyer ${name}`,
    batchErrors: {
      INVALID_STATE: 'The order changed; reload to see it',
      FORBIDDEN: 'You may not ship it',
      NOT_FOUND: 'Order not found',
      VALIDATION_FAILED: 'Check the tracking',
    } as Record<string, string>,
  },
};

type T = (typeof text)['zh'];

function lastCarrier(): string {
  try {
    return localStorage.getItem(CARRIER_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberCarrier(carrier: string) {
  try {
    localStorage.setItem(CARRIER_KEY, carrier);
  } catch {
    // Private mode: nothing to remember.
  }
}

// A restock in my "to ship" list takes my cloud stock: shipping delivers it into the buyer's cloud stock, no parcel.
const needsParcel = (o: OrderSummary) => o.kind !== 'restock';

function checkTracking(tracking: Tracking, t: T): RowErrors {
  const errors: RowErrors = {};
  if (!tracking.carrier.trim()) errors.carrier = t.needCarrier;
  if (!tracking.trackingNo.trim()) errors.trackingNo = t.needTracking;
  else if (!TRACKING_NO.test(tracking.trackingNo.trim())) errors.trackingNo = t.badTracking;
  return errors;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return (
    <p class="error" id={id} aria-live="polite">
      {message}
    </p>
  );
}

function ShipRow({
  order,
  ctx,
  tracking,
  errors,
  selected,
  onSelect,
  onTracking,
  onShip,
  onRefused,
  busy,
}: {
  order: OrderSummary;
  ctx: ConsoleContext;
  tracking: Tracking;
  errors: RowErrors;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onTracking: (tracking: Tracking) => void;
  onShip: () => void;
  onRefused: (order: OrderView) => void;
  busy: boolean;
}) {
  const t = text[ctx.lang];
  const [refusing, setRefusing] = useState(false);
  const names = useAgentNames(order.kind === 'restock' ? [order.agentId] : []);
  const base = `cx-ship-${order.id}`;
  const buyer = order.kind === 'restock' ? names[order.agentId] : null;
  return (
    <li class="cx-item" data-testid={`order-${order.id}`}>
      <label class="cx-check">
        <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} />
        <span>{t.select}</span>
      </label>
      <OrderHead
        order={order}
        lang={ctx.lang}
        who={buyer ? t.buyer(buyer) : order.shipName ? t.receiver(order.shipName) : undefined}
      />
      <OrderDetails id={order.id} lang={ctx.lang} />
      {needsParcel(order) ? (
        <div class="cx-filters">
          <div class="field">
            <label for={`${base}-carrier`}>{t.carrier}</label>
            <input
              id={`${base}-carrier`}
              list="cx-carriers"
              value={tracking.carrier}
              maxLength={40}
              autocomplete="off"
              aria-invalid={errors.carrier ? 'true' : undefined}
              aria-describedby={`${base}-carrier-error`}
              onInput={(e) => onTracking({ ...tracking, carrier: e.currentTarget.value })}
            />
            <FieldError id={`${base}-carrier-error`} message={errors.carrier} />
          </div>
          <div class="field">
            <label for={`${base}-trackingNo`}>{t.trackingNo}</label>
            <input
              id={`${base}-trackingNo`}
              value={tracking.trackingNo}
              maxLength={40}
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              aria-invalid={errors.trackingNo ? 'true' : undefined}
              aria-describedby={`${base}-trackingNo-error`}
              onInput={(e) => onTracking({ ...tracking, trackingNo: e.currentTarget.value })}
            />
            <FieldError id={`${base}-trackingNo-error`} message={errors.trackingNo} />
          </div>
        </div>
      ) : (
        <p class="hint">{t.cloud}</p>
      )}
      {errors.top ? (
        <p class="error" role="alert">
          {errors.top}
        </p>
      ) : null}
      {refusing ? (
        <RefuseForm id={order.id} lang={ctx.lang} onDone={onRefused} onCancel={() => setRefusing(false)} />
      ) : (
        <div class="cx-actions">
          <button class="btn" type="button" onClick={onShip} disabled={busy}>
            {busy ? t.busy : t.ship}
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

/** 待发货: each order with its carrier and tracking number, shipped alone or ticked and shipped at once (一键发货). */
export function ShipView({
  ctx,
  notify,
  reloads,
}: {
  ctx: ConsoleContext;
  notify: (message: string) => void;
  reloads: number;
}) {
  const t = text[ctx.lang];
  const paged = usePaged(
    (cursor) => call<Page<OrderSummary>>('/orders', { query: { role: 'to_ship', status: 'paid', cursor, limit: 50 } }),
    `to_ship|${reloads}`,
  );
  const [tracking, setTracking] = useState<Record<string, Tracking>>({});
  const [errors, setErrors] = useState<Record<string, RowErrors>>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [carrier, setCarrier] = useState('');
  useEffect(() => setCarrier(lastCarrier()), []);

  const trackingOf = (id: string): Tracking => tracking[id] ?? { carrier, trackingNo: '' };
  const orders = paged.items;
  const allSelected = orders.length > 0 && orders.every((o) => selected.has(o.id));

  function done(ids: string[]) {
    paged.edit((items) => items.filter((o) => !ids.includes(o.id)));
    setSelected((s) => new Set([...s].filter((id) => !ids.includes(id))));
    ctx.refreshCounts();
  }

  function setBusyFor(ids: string[], on: boolean) {
    setBusy((b) => {
      const next = new Set(b);
      for (const id of ids) on ? next.add(id) : next.delete(id);
      return next;
    });
  }

  function validate(list: OrderSummary[]): boolean {
    const found: Record<string, RowErrors> = {};
    for (const o of list) if (needsParcel(o)) found[o.id] = checkTracking(trackingOf(o.id), t);
    setErrors((e) => ({ ...e, ...found }));
    const bad = list.find((o) => Object.keys(found[o.id] ?? {}).length > 0);
    if (bad) {
      const which = found[bad.id]?.carrier ? 'carrier' : 'trackingNo';
      document.getElementById(`cx-ship-${bad.id}-${which}`)?.focus();
    }
    return !bad;
  }

  async function shipOne(order: OrderSummary) {
    if (!validate([order])) return;
    const tr = trackingOf(order.id);
    setBusyFor([order.id], true);
    const res = await api<OrderView>(`/orders/${encodeURIComponent(order.id)}/ship`, {
      method: 'POST',
      body: needsParcel(order) ? { carrier: tr.carrier.trim(), trackingNo: tr.trackingNo.trim() } : {},
    });
    setBusyFor([order.id], false);
    if (res.ok) {
      if (needsParcel(order)) {
        rememberCarrier(tr.carrier.trim());
        setCarrier(tr.carrier.trim());
      }
      done([order.id]);
      notify(t.shipped);
      return;
    }
    const field = res.error.field === 'carrier' || res.error.field === 'trackingNo' ? res.error.field : 'top';
    setErrors((e) => ({ ...e, [order.id]: { [field]: res.error.message } }));
  }

  async function shipSelected() {
    const list = orders.filter((o) => selected.has(o.id));
    if (list.length === 0) return notify(t.pickSome);
    if (!validate(list)) return notify(t.fixRows);
    const ids = list.map((o) => o.id);
    setBusyFor(ids, true);
    // The batch schema wants a carrier and number for every item; a cloud restock ignores them.
    const items = list.map((o) => {
      const tr = trackingOf(o.id);
      return needsParcel(o)
        ? { orderId: o.id, carrier: tr.carrier.trim(), trackingNo: tr.trackingNo.trim() }
        : { orderId: o.id, carrier: '云仓', trackingNo: 'CLOUD' };
    });
    const res = await api<ShipResults>('/orders/ship', { method: 'POST', body: { items } });
    setBusyFor(ids, false);
    if (!res.ok) return notify(res.error.message);
    const ok = res.data.results.filter((r) => r.ok).map((r) => r.orderId);
    const failed = res.data.results.filter((r) => !r.ok);
    setErrors((e) => {
      const next = { ...e };
      for (const r of failed) next[r.orderId] = { top: t.batchErrors[r.error ?? ''] ?? r.error ?? '' };
      return next;
    });
    const parcel = list.find((o) => ok.includes(o.id) && needsParcel(o));
    if (parcel) {
      rememberCarrier(trackingOf(parcel.id).carrier.trim());
      setCarrier(trackingOf(parcel.id).carrier.trim());
    }
    done(ok);
    notify(t.shippedMany(ok.length, failed.length));
  }

  return (
    <section class="card" aria-labelledby="cx-ship">
      <h2 id="cx-ship">{t.shipTitle}</h2>
      <p class="muted">{t.shipLead}</p>
      <datalist id="cx-carriers">
        {CARRIERS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      {orders.length > 0 ? (
        <div class="cx-bar">
          <label class="cx-check">
            <input
              type="checkbox"
              checked={allSelected}
              onChange={(e) =>
                setSelected(e.currentTarget.checked ? new Set(orders.map((o) => o.id)) : new Set<string>())
              }
            />
            <span>{t.selectAll}</span>
          </label>
          <span class="muted">{t.selected(selected.size)}</span>
          <button class="btn cx-btn" type="button" onClick={shipSelected} disabled={busy.size > 0}>
            {t.shipAll}
          </button>
        </div>
      ) : null}
      <PagedList paged={paged} lang={ctx.lang} empty={t.noShip}>
        {(items) => (
          <ul class="cx-list" aria-label={t.shipTitle}>
            {items.map((o) => (
              <ShipRow
                key={o.id}
                order={o}
                ctx={ctx}
                tracking={trackingOf(o.id)}
                errors={errors[o.id] ?? {}}
                selected={selected.has(o.id)}
                busy={busy.has(o.id)}
                onSelect={(on) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    on ? next.add(o.id) : next.delete(o.id);
                    return next;
                  })
                }
                onTracking={(tr) => {
                  setTracking((all) => ({ ...all, [o.id]: tr }));
                  setErrors((e) => ({ ...e, [o.id]: {} }));
                }}
                onShip={() => shipOne(o)}
                onRefused={() => {
                  done([o.id]);
                  notify(t.refused);
                }}
              />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
