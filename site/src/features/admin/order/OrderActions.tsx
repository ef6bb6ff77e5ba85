import { useState } from 'preact/hooks';
import { useConfirm } from '../../../components/ConfirmDialog';
import { Alert, TextField } from '../../../components/Field';
import type { Lang } from '../../../lib/i18n';
import { CARRIERS, needsParcel, TRACKING_NO } from '../BatchShip';
import type { AdminContext } from '../context';
import { call, fieldText, seg } from '../http';
import { LatePayment } from '../LatePayment';
import { RefundForm } from '../RefundForm';
import type { OrderView } from '../types';
import { type T, text } from './wording';

type Done = (order: OrderView, message: string) => void;

function ShipForm({ order, t, lang, onDone }: { order: OrderView; t: T; lang: Lang; onDone: Done }) {
  const parcel = needsParcel(order.kind);
  const { ask, dialog } = useConfirm(lang);
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
    // Delivering a cloud restock moves the units into the buyer's cloud stock at once: confirmed first.
    if (!parcel && order.stockModel === 'cloud' && !(await ask(t.confirmCloudShip(order.number), t.ship))) return;
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
        <p class="muted">{order.stockModel === 'cloud' ? t.cloudShip : t.directShip}</p>
      )}
      <button class="btn ad-btn" type="submit" disabled={busy}>
        {busy ? t.busy : t.ship}
      </button>
      {dialog}
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
  onDone: Done;
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

/** What the brand can do to an order at its status: confirm an offline payment, ship, complete, refund. */
export function OrderActions({ ctx, order, onDone: done }: { ctx: AdminContext; order: OrderView; onDone: Done }) {
  const t = text[ctx.lang];
  const toConfirm = order.status === 'pending_payment' && order.paymentMethod === 'offline';
  const refundable = ['paid', 'shipped', 'completed'].includes(order.status);
  return (
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
      {order.status === 'paid' ? <ShipForm order={order} t={t} lang={ctx.lang} onDone={done} /> : null}
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
  );
}
