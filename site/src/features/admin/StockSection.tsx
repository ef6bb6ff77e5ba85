import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import type { AdminContext } from './context';
import { ErrorLine } from './fields';
import { call, fieldText } from './http';
import { stockModel } from './labels';
import { Toast, useNotice } from './notice';
import type { Page, Product, StockItem } from './types';
import { parseWhole } from './yuan';

const text = {
  zh: {
    title: '仓库',
    lead: (model: string) =>
      `品牌仓库每个商品的库存（当前模式：${model}）。入库增加、出库减少库存，库存不会低于 0；每次调整都记入操作记录。`,
    list: '仓库库存',
    product: '商品',
    status: '状态',
    onSale: '在售',
    offSale: '已下架',
    qty: '库存',
    adjust: '调整库存',
    units: (n: number) => `${n} 件`,
    amountOf: (name: string) => `${name} 调整数量`,
    reasonOf: (name: string) => `${name} 调整原因`,
    amount: '数量',
    reason: '原因',
    add: '入库',
    remove: '出库',
    busy: '处理中…',
    needQty: '请输入大于 0 的整数',
    needReason: '请填写调整原因',
    done: (name: string, qty: number) => `「${name}」库存已调整为 ${qty} 件。`,
    empty: '还没有商品。',
    loading: '加载中…',
  },
  en: {
    title: 'Warehouse',
    lead: (model: string) =>
      `The brand warehouse’s stock of each product (stock model: ${model}). Add or remove units; stock never goes below 0, and every change is logged.`,
    list: 'Warehouse stock',
    product: 'Product',
    status: 'Status',
    onSale: 'On sale',
    offSale: 'Off sale',
    qty: 'In stock',
    adjust: 'Adjust',
    units: (n: number) => `${n}`,
    amountOf: (name: string) => `${name} units`,
    reasonOf: (name: string) => `${name} reason`,
    amount: 'Units',
    reason: 'Reason',
    add: 'Add',
    remove: 'Remove',
    busy: 'Working…',
    needQty: 'Enter a whole number above 0',
    needReason: 'Enter a reason',
    done: (name: string, qty: number) => `“${name}” now has ${qty} in stock.`,
    empty: 'No products yet.',
    loading: 'Loading…',
  },
};

interface Row {
  product: Product;
  qty: number;
}

// Every page of a small, brand-sized list (products, or the warehouse's stock rows).
async function all<T>(path: string, query: Record<string, string> = {}): Promise<{ items: T[]; error?: string }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const res = await call<Page<T>>(path, { query: { ...query, cursor, limit: 100 } });
    if (!res.ok) return { items, error: res.error.message };
    items.push(...res.data.items);
    if (!res.data.nextCursor) break;
    cursor = res.data.nextCursor;
  }
  return { items };
}

function AdjustRow({ row, ctx, onAdjusted }: { row: Row; ctx: AdminContext; onAdjusted: (item: StockItem) => void }) {
  const t = text[ctx.lang];
  const { product } = row;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; reason?: string; top?: string }>({});
  const [busy, setBusy] = useState(false);
  const amountId = `ad-stock-qty-${product.id}`;
  const reasonId = `ad-stock-reason-${product.id}`;

  async function adjust(sign: 1 | -1) {
    const n = parseWhole(amount);
    const found: typeof errors = {};
    if (n === null || n === 0) found.amount = t.needQty;
    if (!reason.trim()) found.reason = t.needReason;
    setErrors(found);
    if (found.amount || found.reason) {
      document.getElementById(found.amount ? amountId : reasonId)?.focus();
      return;
    }
    setBusy(true);
    const res = await call<StockItem>('/stock/adjust', {
      method: 'POST',
      body: { productId: product.id, delta: sign * (n ?? 0), reason: reason.trim() },
    });
    setBusy(false);
    if (res.ok) {
      setAmount('');
      setReason('');
      onAdjusted(res.data);
      return;
    }
    if (res.error.field === 'delta') setErrors({ amount: fieldText(res.error) });
    else if (res.error.field === 'reason') setErrors({ reason: fieldText(res.error) });
    else setErrors({ top: res.error.message });
  }

  return (
    <tr data-testid={`stock-${product.id}`}>
      <th scope="row" data-label={t.product}>
        <strong>{product.name}</strong>
        <span class="ad-id">{product.sku}</span>
      </th>
      <td data-label={t.status}>
        <span class={`badge ${product.onSale ? 'valid' : 'expired'}`}>{product.onSale ? t.onSale : t.offSale}</span>
      </td>
      <td class="ad-num" data-label={t.qty}>
        <strong class={row.qty === 0 ? 'ad-neg' : undefined}>{t.units(row.qty)}</strong>
      </td>
      <td data-label={t.adjust}>
        <form
          class="ad-adjust"
          noValidate
          aria-busy={busy}
          onSubmit={(e) => {
            e.preventDefault();
            adjust(1);
          }}
        >
          <label class="visually-hidden" for={amountId}>
            {t.amountOf(product.name)}
          </label>
          <input
            id={amountId}
            value={amount}
            placeholder={t.amount}
            onInput={(e) => setAmount(e.currentTarget.value)}
            inputMode="numeric"
            maxLength={7}
            aria-invalid={errors.amount ? 'true' : undefined}
            aria-describedby={`${amountId}-error`}
          />
          <label class="visually-hidden" for={reasonId}>
            {t.reasonOf(product.name)}
          </label>
          <input
            id={reasonId}
            value={reason}
            placeholder={t.reason}
            onInput={(e) => setReason(e.currentTarget.value)}
            maxLength={200}
            aria-invalid={errors.reason ? 'true' : undefined}
            aria-describedby={`${reasonId}-error`}
          />
          <div class="ad-adjust-buttons">
            <button class="btn ad-btn" type="submit" disabled={busy}>
              {t.add}
            </button>
            <button class="btn secondary ad-btn" type="button" disabled={busy} onClick={() => adjust(-1)}>
              {t.remove}
            </button>
          </div>
          <ErrorLine id={`${amountId}-error`} message={errors.amount} />
          <ErrorLine id={`${reasonId}-error`} message={errors.reason} />
          {errors.top ? (
            <p class="error" role="alert">
              {errors.top}
            </p>
          ) : null}
        </form>
      </td>
    </tr>
  );
}

/** 仓库: the warehouse stock of every product (none stocked reads 0), adjusted up or down with a reason. */
export function StockSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useNotice();

  useEffect(() => {
    Promise.all([all<Product>('/products'), all<StockItem>('/stock')]).then(([products, stock]) => {
      const qty = new Map(stock.items.map((s) => [s.productId, s.qty]));
      setRows(products.items.map((p) => ({ product: p, qty: qty.get(p.id) ?? 0 })));
      setError(products.error ?? stock.error ?? null);
    });
  }, []);

  function adjusted(item: StockItem) {
    setRows((all) => all?.map((r) => (r.product.id === item.productId ? { ...r, qty: item.qty } : r)) ?? null);
    setNotice(t.done(item.name, item.qty));
  }

  return (
    <section aria-labelledby="ad-stock">
      <h2 id="ad-stock" class="ad-title">
        {t.title}
      </h2>
      <p class="muted">{t.lead(stockModel[ctx.lang][ctx.settings.stockModel])}</p>
      <Toast message={notice} />
      <Alert message={error} />
      <div class="card ad-table-card">
        {rows === null ? (
          <p class="muted" role="status">
            {t.loading}
          </p>
        ) : rows.length === 0 ? (
          <p class="muted">{t.empty}</p>
        ) : (
          <table class="ad-table ad-stock">
            <caption class="visually-hidden">{t.list}</caption>
            <thead>
              <tr>
                <th scope="col">{t.product}</th>
                <th scope="col">{t.status}</th>
                <th scope="col" class="ad-num">
                  {t.qty}
                </th>
                <th scope="col">{t.adjust}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <AdjustRow key={row.product.id} row={row} ctx={ctx} onAdjusted={adjusted} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
