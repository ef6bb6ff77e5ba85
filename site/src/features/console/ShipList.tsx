import { useEffect, useState } from 'preact/hooks';
import { useConfirm } from '../../components/ConfirmDialog';
import { PagedList } from '../../components/PagedList';
import { api } from '../../lib/api';
import { usePaged } from '../../lib/paged';
import type { ConsoleContext } from './context';
import { call } from './http';
import { ShipRow } from './ShipRow';
import { shipText } from './shipText';
import {
  CARRIERS,
  checkTracking,
  lastCarrier,
  needsParcel,
  type RowErrors,
  rememberCarrier,
  type Tracking,
} from './shipTracking';
import type { OrderSummary, OrderView, Page, ShipResults } from './types';

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
  const t = shipText[ctx.lang];
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
  const { ask, dialog } = useConfirm(ctx.lang);

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
    // Delivering a cloud restock moves units out of my cloud stock at once and cannot be taken back.
    if (!needsParcel(order) && !(await ask(t.confirmCloud(order.number, order.productName ?? ''), t.ship))) return;
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
    const cloud = list.filter((o) => !needsParcel(o)).length;
    if (cloud > 0 && !(await ask(t.confirmCloudMany(cloud), t.shipAll))) return;
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
      {dialog}
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
