import { useEffect, useState } from 'preact/hooks';
import { Alert, Segmented } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { api } from '../../lib/api';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import type { ConsoleContext } from './context';
import { call } from './http';
import { levelLabel, paymentMethod } from './labels';
import { Toast, useNotice } from './notice';
import { OrderDetails, OrderHead } from './orderParts';
import type { OrderSummary, OrderView, Page, PaymentMethod, Product, StockItem, SupplyChain } from './types';

const MAX_QTY = 9999;

type Model = ConsoleContext['stockModel'];

const text = {
  zh: {
    stock: '我的云仓库存',
    noStock: '云仓暂无库存。',
    units: (n: number) => `${n} 件`,
    restock: '进货',
    supplier: (name: string) => `向上级${name ? ` ${name} ` : ''}进货，按您的等级价结算。`,
    brand: '向品牌方进货，按您的等级价结算。',
    myPrice: '我的进货价',
    retail: '零售价',
    unpriced: '暂未定价',
    qty: '进货数量',
    less: (name: string) => `减少 ${name}`,
    more: (name: string) => `增加 ${name}`,
    noProducts: '暂无在售商品。',
    pay: '付款方式',
    payHint: {
      cloud: {
        offline: '线下转账给供货方，对方确认收款后货品转入您的云仓。',
        online: '在线支付需在微信内完成付款，付款后货品转入您的云仓。',
      },
      direct: {
        offline: '线下转账给品牌方，品牌方确认收款后安排发货给您。',
        online: '在线支付需在微信内完成付款，付款后由品牌方发货给您。',
      },
    } as Record<Model, Record<PaymentMethod, string>>,
    direct: '厂家统一发货：进货款付给品牌方，由品牌方发货，按您的等级价结算。',
    total: '合计',
    submit: '提交进货单',
    busy: '提交中…',
    pickSome: '请至少填写一种商品的进货数量',
    badQty: `数量须为 1–${MAX_QTY} 的整数`,
    suspended: '您已被停货，暂不能进货。',
    placed: (amount: string, offline: boolean, model: Model) =>
      `进货单已提交，金额 ${amount}。${offline ? (model === 'direct' ? '请转账给品牌方，品牌方确认收款后发货。' : '请转账给供货方，对方确认收款后货品转入您的云仓。') : ''}`,
    orders: '我的进货单',
    noOrders: '还没有进货单。',
    cancel: '取消订单',
    cancelled: '订单已取消。',
    payee: { brand: '付款给品牌方', agent: '付款给上级' },
  },
  en: {
    stock: 'My cloud stock',
    noStock: 'No cloud stock yet.',
    units: (n: number) => `${n} units`,
    restock: 'Restock',
    supplier: (name: string) => `You restock from ${name || 'your supplier'}, at your level’s price.`,
    brand: 'You restock from the brand, at your level’s price.',
    myPrice: 'My price',
    retail: 'Retail',
    unpriced: 'Not priced yet',
    qty: 'Quantity',
    less: (name: string) => `Fewer ${name}`,
    more: (name: string) => `More ${name}`,
    noProducts: 'No products on sale.',
    pay: 'Payment',
    payHint: {
      cloud: {
        offline: 'Transfer to your supplier directly; once it confirms, the units move into your cloud stock.',
        online: 'Online payment is completed inside WeChat; the units then move into your cloud stock.',
      },
      direct: {
        offline: 'Transfer to the brand; once it confirms, the brand ships the goods to you.',
        online: 'Online payment is completed inside WeChat; the brand then ships the goods to you.',
      },
    } as Record<Model, Record<PaymentMethod, string>>,
    direct: 'The brand ships everything: you pay the brand, it ships to you, at your level’s price.',
    total: 'Total',
    submit: 'Place restock order',
    busy: 'Placing…',
    pickSome: 'Enter a quantity for at least one product',
    badQty: `A quantity is a whole number from 1 to ${MAX_QTY}`,
    suspended: 'Your supply is stopped; you cannot restock now.',
    placed: (amount: string, offline: boolean, model: Model) =>
      `Restock order placed: ${amount}.${offline ? (model === 'direct' ? ' Transfer it to the brand; it ships once it confirms.' : ' Transfer it to your supplier; the units move into your cloud stock once it confirms.') : ''}`,
    orders: 'My restock orders',
    noOrders: 'No restock orders yet.',
    cancel: 'Cancel order',
    cancelled: 'The order is cancelled.',
    payee: { brand: 'Paid to the brand', agent: 'Paid to your supplier' },
  },
};

function qtyOf(raw: string | undefined): number | null {
  if (!raw?.trim()) return 0;
  return /^\d{1,4}$/.test(raw.trim()) ? Number.parseInt(raw.trim(), 10) : null;
}

function RestockForm({ ctx, onPlaced }: { ctx: ConsoleContext; onPlaced: (order: OrderView) => void }) {
  const t = text[ctx.lang];
  const products = usePaged((cursor) => call<Page<Product>>('/products', { query: { cursor, limit: 50 } }), 'products');
  const [supplier, setSupplier] = useState<SupplyChain['links'][number] | null>(null);
  const [qty, setQty] = useState<Record<string, string>>({});
  const [method, setMethod] = useState<PaymentMethod>('offline');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const suspended = ctx.me.status !== 'active';

  const supplierId = ctx.me.supplierId;
  useEffect(() => {
    if (!supplierId) return;
    api<SupplyChain>('/agents/me/chain').then((res) => {
      setSupplier((res.ok && res.data.links.find((l) => l.id === supplierId)) || null);
    });
  }, [supplierId]);

  const priced = products.items.filter((p) => typeof p.myPriceFen === 'number');
  const parsed = priced.map((p) => ({ product: p, qty: qtyOf(qty[p.id]) }));
  const invalid = parsed.some((l) => l.qty === null || (l.qty ?? 0) > MAX_QTY);
  const totalFen = parsed.reduce((sum, l) => sum + (l.product.myPriceFen ?? 0) * (l.qty ?? 0), 0);

  function step(id: string, delta: number) {
    const now = qtyOf(qty[id]) ?? 0;
    setQty({ ...qty, [id]: String(Math.min(MAX_QTY, Math.max(0, now + delta)) || '') });
  }

  async function submit(event: Event) {
    event.preventDefault();
    const lines = parsed.flatMap((l) => (l.qty ? [{ productId: l.product.id, qty: l.qty }] : []));
    if (invalid) return setError(t.badQty);
    if (lines.length === 0) return setError(t.pickSome);
    setBusy(true);
    setError(null);
    const res = await api<OrderView>('/orders', {
      method: 'POST',
      body: { kind: 'restock', lines, paymentMethod: method },
    });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setQty({});
    onPlaced(res.data);
  }

  return (
    <form class="card" aria-labelledby="cx-restock" onSubmit={submit} noValidate aria-busy={busy}>
      <h2 id="cx-restock">{t.restock}</h2>
      <p class="muted">
        {ctx.stockModel === 'direct'
          ? t.direct
          : supplierId
            ? t.supplier(supplier ? `${supplier.name}（${levelLabel(ctx.levels, supplier.level, ctx.lang)}）` : '')
            : t.brand}
      </p>
      {suspended ? <Alert message={t.suspended} /> : null}
      <PagedList paged={products} lang={ctx.lang} empty={t.noProducts}>
        {(items) => (
          <ul class="cx-list" aria-label={t.restock}>
            {items.map((p) => {
              const id = `cx-qty-${p.id}`;
              const mine = p.myPriceFen;
              return (
                <li key={p.id} class="cx-item cx-product" data-testid={`product-${p.id}`}>
                  <div>
                    <strong>{p.name}</strong>
                    <p class="muted cx-meta">
                      {t.myPrice}{' '}
                      <strong class="cx-price">{typeof mine === 'number' ? formatFen(mine) : t.unpriced}</strong>
                      {' · '}
                      {t.retail} {formatFen(p.retailFen)}
                    </p>
                  </div>
                  {typeof mine === 'number' ? (
                    <div class="cx-stepper">
                      <label for={id}>
                        <span class="visually-hidden">{p.name} </span>
                        {t.qty}
                      </label>
                      <div>
                        <button type="button" aria-label={t.less(p.name)} onClick={() => step(p.id, -1)}>
                          −
                        </button>
                        <input
                          id={id}
                          inputMode="numeric"
                          pattern="[0-9]*"
                          maxLength={4}
                          autocomplete="off"
                          value={qty[p.id] ?? ''}
                          placeholder="0"
                          aria-invalid={qtyOf(qty[p.id]) === null ? 'true' : undefined}
                          onInput={(e) => setQty({ ...qty, [p.id]: e.currentTarget.value })}
                        />
                        <button type="button" aria-label={t.more(p.name)} onClick={() => step(p.id, 1)}>
                          +
                        </button>
                      </div>
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </PagedList>
      <Segmented
        name="cx-pay"
        legend={t.pay}
        value={method}
        onChange={setMethod}
        options={(['offline', 'online'] as const).map((m) => ({ value: m, label: paymentMethod[ctx.lang][m] }))}
      />
      <p class="hint cx-pay-hint">{t.payHint[ctx.stockModel][method]}</p>
      <p class="row cx-total">
        <span>{t.total}</span>
        <strong>{invalid ? '—' : formatFen(totalFen)}</strong>
      </p>
      {error ? (
        <p class="alert" role="alert">
          {error}
        </p>
      ) : null}
      <button class="btn" type="submit" disabled={busy || suspended}>
        {busy ? t.busy : t.submit}
      </button>
    </form>
  );
}

function RestockRow({
  order,
  ctx,
  onCancelled,
}: {
  order: OrderSummary;
  ctx: ConsoleContext;
  onCancelled: (order: OrderView) => void;
}) {
  const t = text[ctx.lang];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function cancel() {
    setBusy(true);
    setError(null);
    const res = await api<OrderView>(`/orders/${encodeURIComponent(order.id)}/cancel`, { method: 'POST' });
    setBusy(false);
    if (res.ok) onCancelled(res.data);
    else setError(res.error.message);
  }
  const payee = order.payeeId === 'brand' ? t.payee.brand : t.payee.agent;
  return (
    <li class="cx-item" data-testid={`order-${order.id}`}>
      <OrderHead order={order} lang={ctx.lang} who={order.kind === 'restock' ? payee : undefined} />
      <OrderDetails id={order.id} lang={ctx.lang} />
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {order.status === 'pending_payment' ? (
        <div class="cx-actions">
          <button class="btn secondary" type="button" onClick={cancel} disabled={busy}>
            {t.cancel}
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** 进货/库存: my cloud stock, a restock order at my level's price, and my restock orders. */
export function StockTab({ ctx }: { ctx: ConsoleContext }) {
  const t = text[ctx.lang];
  const [notice, setNotice] = useNotice();
  const stock = usePaged(
    (cursor) => call<Page<StockItem>>('/agents/me/stock', { query: { cursor, limit: 50 } }),
    'stock',
  );
  const orders = usePaged(
    (cursor) => call<Page<OrderSummary>>('/orders', { query: { role: 'bought', cursor, limit: 20 } }),
    'bought',
  );

  function changed(message: string) {
    setNotice(message);
    orders.reload();
    stock.reload();
    ctx.refreshCounts();
  }

  return (
    <>
      {/* In the direct model agents hold no stock: no cloud stock to show. */}
      {ctx.stockModel === 'cloud' ? (
        <section class="card" aria-labelledby="cx-stock">
          <h2 id="cx-stock">{t.stock}</h2>
          <PagedList paged={stock} lang={ctx.lang} empty={t.noStock}>
            {(items) => (
              <ul class="cx-list" aria-label={t.stock}>
                {items.map((s) => (
                  <li key={s.productId} class="cx-row cx-line">
                    <span>
                      {s.name} <span class="muted cx-id">{s.sku}</span>
                    </span>
                    <strong class="nowrap">{t.units(s.qty)}</strong>
                  </li>
                ))}
              </ul>
            )}
          </PagedList>
        </section>
      ) : null}
      <RestockForm
        ctx={ctx}
        onPlaced={(o) => changed(t.placed(formatFen(o.amountFen), o.paymentMethod === 'offline', ctx.stockModel))}
      />
      <Toast message={notice} />
      <section class="card" aria-labelledby="cx-bought">
        <h2 id="cx-bought">{t.orders}</h2>
        <PagedList paged={orders} lang={ctx.lang} empty={t.noOrders}>
          {(items) => (
            <ul class="cx-list" aria-label={t.orders}>
              {items.map((o) => (
                <RestockRow key={o.id} order={o} ctx={ctx} onCancelled={() => changed(t.cancelled)} />
              ))}
            </ul>
          )}
        </PagedList>
      </section>
    </>
  );
}
