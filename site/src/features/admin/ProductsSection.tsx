import { useState } from 'preact/hooks';
import { formatFen } from '../../lib/money';
import { usePaged } from '../../lib/paged';
import type { AdminContext } from './context';
import { call } from './http';
import { MissingPrices } from './MissingPrices';
import { Toast, useNotice } from './notice';
import { PagedTable } from './PagedTable';
import { ProductForm } from './ProductForm';
import type { Page, Product } from './types';

const text = {
  zh: {
    title: '商品',
    lead: '零售价对所有人可见；代理只看到本级及以下等级的拿货价。下架的商品不在店铺中显示，也不能再下单。',
    create: '新建商品',
    list: '商品列表',
    product: '商品',
    retail: '零售价',
    status: '状态',
    actions: '操作',
    onSale: '在售',
    offSale: '已下架',
    edit: '编辑',
    putOn: '上架',
    takeOff: '下架',
    busy: '处理中…',
    empty: '还没有商品，点击「新建商品」添加。',
    created: (name: string) => `已创建商品「${name}」。`,
    saved: (name: string) => `已保存商品「${name}」。`,
    nowOn: (name: string) => `「${name}」已上架。`,
    nowOff: (name: string) => `「${name}」已下架。`,
    unpriced: '未定价',
  },
  en: {
    title: 'Products',
    lead: 'Everyone sees the retail price; an agent sees only its own and lower levels’ prices. A product off sale leaves the shops and cannot be ordered.',
    create: 'New product',
    list: 'Products',
    product: 'Product',
    retail: 'Retail',
    status: 'Status',
    actions: 'Actions',
    onSale: 'On sale',
    offSale: 'Off sale',
    edit: 'Edit',
    putOn: 'Put on sale',
    takeOff: 'Take off sale',
    busy: 'Working…',
    empty: 'No products yet; add one with “New product”.',
    created: (name: string) => `Product “${name}” created.`,
    saved: (name: string) => `Product “${name}” saved.`,
    nowOn: (name: string) => `“${name}” is on sale.`,
    nowOff: (name: string) => `“${name}” is off sale.`,
    unpriced: 'Not priced',
  },
};

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; product: Product };

/** 商品: every product (also off sale) with all level prices; create, edit and put on or off sale. */
export function ProductsSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const levels = ctx.settings.levels;
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [busy, setBusy] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const [notice, setNotice] = useNotice();
  // Bumped after every save, so the missing-prices warning reads the list again.
  const [version, setVersion] = useState(0);
  const paged = usePaged((cursor) => call<Page<Product>>('/products', { query: { cursor, limit: 50 } }), 'all');

  function open(next: Editing) {
    setEditing(next);
    setNotice(null);
    requestAnimationFrame(() => {
      const heading = document.getElementById('ad-product-form');
      heading?.scrollIntoView({ block: 'start' });
      heading?.focus({ preventScroll: true });
    });
  }

  function saved(product: Product, message: string | null) {
    const isNew = editing.kind === 'new';
    paged.edit((items) => (isNew ? [...items, product] : items.map((p) => (p.id === product.id ? product : p))));
    setEditing({ kind: 'none' });
    setVersion((v) => v + 1);
    setNotice(message ?? (isNew ? t.created(product.name) : t.saved(product.name)));
    requestAnimationFrame(() => document.getElementById(`ad-prd-row-${product.id}`)?.focus());
  }

  async function toggle(product: Product) {
    setBusy(product.id);
    setRowError(null);
    const res = await call<Product>(`/products/${encodeURIComponent(product.id)}`, {
      method: 'PATCH',
      body: { onSale: !product.onSale },
    });
    setBusy(null);
    if (!res.ok) {
      setRowError({ id: product.id, message: res.error.message });
      return;
    }
    paged.edit((items) => items.map((p) => (p.id === product.id ? res.data : p)));
    setNotice(res.data.onSale ? t.nowOn(product.name) : t.nowOff(product.name));
  }

  return (
    <section aria-labelledby="ad-products">
      <div class="ad-head">
        <h2 id="ad-products" class="ad-title">
          {t.title}
        </h2>
        {editing.kind === 'none' ? (
          <button class="btn ad-btn" type="button" onClick={() => open({ kind: 'new' })}>
            {t.create}
          </button>
        ) : null}
      </div>
      <p class="muted">{t.lead}</p>
      <Toast message={notice} />
      <MissingPrices
        lang={ctx.lang}
        levels={levels}
        version={version}
        onEdit={(product) => open({ kind: 'edit', product })}
      />
      {editing.kind !== 'none' ? (
        <ProductForm
          key={editing.kind === 'edit' ? editing.product.id : 'new'}
          ctx={ctx}
          product={editing.kind === 'edit' ? editing.product : null}
          onSaved={saved}
          onCancel={() => setEditing({ kind: 'none' })}
        />
      ) : null}
      <PagedTable
        paged={paged}
        lang={ctx.lang}
        empty={t.empty}
        caption={t.list}
        head={
          <>
            <th scope="col">{t.product}</th>
            <th scope="col" class="ad-num">
              {t.retail}
            </th>
            {levels.map((l) => (
              <th scope="col" class="ad-num" key={l.rank}>
                {l.name}
              </th>
            ))}
            <th scope="col">{t.status}</th>
            <th scope="col">{t.actions}</th>
          </>
        }
      >
        {(p) => (
          <tr key={p.id} data-testid={`product-${p.id}`} id={`ad-prd-row-${p.id}`} tabIndex={-1}>
            <th scope="row" data-label={t.product}>
              <strong>{p.name}</strong>
              <span class="ad-id">{p.sku}</span>
            </th>
            <td class="ad-num" data-label={t.retail}>
              {formatFen(p.retailFen)}
            </td>
            {levels.map((l) => {
              const fen = p.prices?.[String(l.rank)];
              return (
                <td class="ad-num" data-label={l.name} key={l.rank}>
                  {fen === undefined ? <span class="ad-warn">{t.unpriced}</span> : formatFen(fen)}
                </td>
              );
            })}
            <td data-label={t.status}>
              <span class={`badge ${p.onSale ? 'valid' : 'expired'}`}>{p.onSale ? t.onSale : t.offSale}</span>
            </td>
            <td data-label={t.actions}>
              <div class="ad-row-actions">
                <button class="ad-link" type="button" onClick={() => open({ kind: 'edit', product: p })}>
                  {t.edit}
                </button>
                <button class="ad-link" type="button" onClick={() => toggle(p)} disabled={busy === p.id}>
                  {busy === p.id ? t.busy : p.onSale ? t.takeOff : t.putOn}
                </button>
              </div>
              {rowError?.id === p.id ? (
                <p class="error" role="alert">
                  {rowError.message}
                </p>
              ) : null}
            </td>
          </tr>
        )}
      </PagedTable>
    </section>
  );
}
