import { useState } from 'preact/hooks';
import { TextField } from '../../components/Field';
import { CARRIERS } from '../../lib/carriers';
import type { AdminContext } from './context';
import { ErrorLine } from './fields';
import { call, seg } from './http';
import type { OrderStatus, OrderSummary, OrderView, ShipResults } from './types';

export { CARRIERS };
export const TRACKING_NO = /^[A-Za-z0-9-]{4,40}$/;
const BATCH = 50;

const text = {
  zh: {
    title: (n: number) => `一键发货（已选 ${n} 单）`,
    lead: '填写快递公司和每单的快递单号。进货单没有收货地址，无需快递单号。',
    carrier: '快递公司',
    carrierHint: '所选订单共用',
    trackingOf: (who: string) => `${who} 的快递单号`,
    cloud: '进货单：无需快递单号',
    ship: '一键发货',
    clear: '取消选择',
    busy: '发货中…',
    needCarrier: '请填写快递公司',
    needTracking: '请填写快递单号',
    badTracking: '快递单号为 4–40 位字母、数字或减号',
    failed: '发货失败',
    codes: {
      INVALID_STATE: '订单状态已变化，请刷新后查看',
      FORBIDDEN: '无权发货',
      NOT_FOUND: '订单不存在',
      VALIDATION_FAILED: '快递信息有误',
    } as Record<string, string>,
  },
  en: {
    title: (n: number) => `Ship selected (${n})`,
    lead: 'Enter the carrier and each order’s tracking number. A restock has no address and needs none.',
    carrier: 'Carrier',
    carrierHint: 'For every selected order',
    trackingOf: (who: string) => `Tracking number for ${who}`,
    cloud: 'Restock: no tracking number',
    ship: 'Ship selected',
    clear: 'Clear selection',
    busy: 'Shipping…',
    needCarrier: 'Enter the carrier',
    needTracking: 'Enter the tracking number',
    badTracking: 'A tracking number has 4–40 letters, digits or dashes',
    failed: 'Not shipped',
    codes: {
      INVALID_STATE: 'The order changed; reload to see it',
      FORBIDDEN: 'Not allowed',
      NOT_FOUND: 'Order not found',
      VALIDATION_FAILED: 'Check the tracking',
    } as Record<string, string>,
  },
};

/** A parcel as a person knows it: its consignee and product, not the order's internal id. */
// People know an order by its number, its consignee and what is in it; never by its internal id.
function parcelName(o: OrderSummary): string {
  return [o.number, o.shipName, o.productName].filter(Boolean).join(' · ');
}

/** Restock orders have no address: a cloud one moves into cloud stock, a direct one is handed over; neither asks for a tracking number. */
export function needsParcel(kind: OrderSummary['kind']): boolean {
  return kind !== 'restock';
}

/** 一键发货: one carrier and a tracking number per selected order; each order succeeds or fails on its own. */
export function BatchShip({
  ctx,
  orders,
  onShipped,
  onClear,
}: {
  ctx: AdminContext;
  orders: OrderSummary[];
  onShipped: (shipped: { id: string; status: OrderStatus }[], failed: number) => void;
  onClear: () => void;
}) {
  const t = text[ctx.lang];
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const parcel = (o: OrderSummary) => needsParcel(o.kind);

  async function submit(event: Event) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const parcels = orders.filter(parcel);
    if (parcels.length > 0 && !carrier.trim()) found.carrier = t.needCarrier;
    for (const o of parcels) {
      const no = (tracking[o.id] ?? '').trim();
      if (!no) found[o.id] = t.needTracking;
      else if (!TRACKING_NO.test(no)) found[o.id] = t.badTracking;
    }
    setErrors(found);
    const first = found.carrier ? 'ad-batch-carrier' : parcels.find((o) => found[o.id])?.id;
    if (first) {
      document.getElementById(first === 'ad-batch-carrier' ? first : `ad-batch-${first}`)?.focus();
      return;
    }
    setBusy(true);
    const shipped: { id: string; status: OrderStatus }[] = [];
    const failures: Record<string, string> = {};
    for (let i = 0; i < parcels.length; i += BATCH) {
      const items = parcels
        .slice(i, i + BATCH)
        .map((o) => ({ orderId: o.id, carrier: carrier.trim(), trackingNo: (tracking[o.id] ?? '').trim() }));
      const res = await call<ShipResults>('/orders/ship', { method: 'POST', body: { items } });
      if (!res.ok) {
        for (const item of items) failures[item.orderId] = res.error.message;
        continue;
      }
      for (const r of res.data.results) {
        if (r.ok) shipped.push({ id: r.orderId, status: (r.status ?? 'shipped') as OrderStatus });
        else failures[r.orderId] = t.codes[r.error ?? ''] ?? `${t.failed}（${r.error}）`;
      }
    }
    // Cloud restocks carry no tracking, which the batch route requires: each is delivered on its own.
    await Promise.all(
      orders
        .filter((o) => !parcel(o))
        .map(async (o) => {
          const res = await call<OrderView>(`/orders/${seg(o.id)}/ship`, { method: 'POST', body: {} });
          if (res.ok) shipped.push({ id: o.id, status: res.data.status });
          else failures[o.id] = res.error.message;
        }),
    );
    setBusy(false);
    setErrors(failures);
    if (shipped.length > 0)
      setTracking((all) => Object.fromEntries(Object.entries(all).filter(([id]) => failures[id])));
    onShipped(shipped, Object.keys(failures).length);
  }

  return (
    <form class="card ad-batch" onSubmit={submit} noValidate aria-labelledby="ad-batch-title" aria-busy={busy}>
      <h3 id="ad-batch-title">{t.title(orders.length)}</h3>
      <p class="muted">{t.lead}</p>
      <div class="ad-cols">
        <TextField
          id="ad-batch-carrier"
          label={t.carrier}
          hint={t.carrierHint}
          error={errors.carrier}
          value={carrier}
          onInput={(e) => setCarrier(e.currentTarget.value)}
          list="ad-carriers"
          maxLength={40}
        />
      </div>
      <datalist id="ad-carriers">
        {CARRIERS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <ul class="ad-batch-list">
        {orders.map((o) => {
          const id = `ad-batch-${o.id}`;
          return (
            <li key={o.id}>
              {parcel(o) ? (
                <>
                  <label for={id}>{t.trackingOf(parcelName(o))}</label>
                  <input
                    id={id}
                    value={tracking[o.id] ?? ''}
                    onInput={(e) => {
                      const value = e.currentTarget.value;
                      setTracking((all) => ({ ...all, [o.id]: value }));
                      setErrors(({ [o.id]: _, ...rest }) => rest);
                    }}
                    maxLength={40}
                    autocapitalize="characters"
                    spellcheck={false}
                    aria-invalid={errors[o.id] ? 'true' : undefined}
                    aria-describedby={`${id}-error`}
                  />
                </>
              ) : (
                <p>
                  {parcelName(o)} · {t.cloud}
                </p>
              )}
              <ErrorLine id={`${id}-error`} message={errors[o.id]} />
            </li>
          );
        })}
      </ul>
      <div class="ad-actions">
        <button class="btn ad-btn" type="submit" disabled={busy}>
          {busy ? t.busy : t.ship}
        </button>
        <button class="btn secondary ad-btn" type="button" onClick={onClear} disabled={busy}>
          {t.clear}
        </button>
      </div>
    </form>
  );
}
