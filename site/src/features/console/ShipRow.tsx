import { useState } from 'preact/hooks';
import type { ConsoleContext } from './context';
import { OrderDetails, OrderHead, RefuseForm, useAgentNames } from './orderParts';
import { shipText } from './shipText';
import { needsParcel, type RowErrors, type Tracking } from './shipTracking';
import type { OrderSummary, OrderView } from './types';

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return (
    <p class="error" id={id} aria-live="polite">
      {message}
    </p>
  );
}

/** One order to ship: its tick box, the carrier and tracking fields (none for a cloud restock), ship and refuse. */
export function ShipRow({
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
  const t = shipText[ctx.lang];
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
