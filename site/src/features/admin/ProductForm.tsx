import { useState } from 'preact/hooks';
import { Alert, TextField } from '../../components/Field';
import { PictureList } from '../../components/PictureList';
import type { AdminContext } from './context';
import { TextAreaField } from './fields';
import { call, fieldText } from './http';
import type { Product } from './types';
import { parseYuanToFen, yuanInput } from './yuan';

const prefix = 'ad-prd-';

const text = {
  zh: {
    create: '新建商品',
    edit: (name: string) => `编辑商品：${name}`,
    sku: '商品编码',
    skuHint: '字母、数字、- 或 _，最多 40 位，创建后不能修改',
    name: '商品名称',
    description: '商品描述',
    images: '商品图片',
    addImage: '上传商品图片',
    imageAlt: (n: number) => `商品图片 ${n}`,
    removeImage: (n: number) => `移除图片 ${n}`,
    remove: '移除',
    first: '首图',
    retail: '零售价（元）',
    prices: '各等级拿货价（元）',
    pricesHint: '级别越高价格越低：第 1 级 ≤ 第 2 级 ≤ … ≤ 零售价',
    priceOf: (level: string) => `${level}拿货价（元）`,
    onSale: '上架销售',
    submitCreate: '创建商品',
    submitEdit: '保存商品',
    cancel: '取消',
    busy: '保存中…',
    required: '此项必填',
    badSku: '商品编码为 1–40 位字母、数字、- 或 _',
    amount: '请输入金额，如 299 或 299.00',
    tooManyImages: '最多 9 张图片',
    unchanged: '没有需要保存的更改。',
  },
  en: {
    create: 'New product',
    edit: (name: string) => `Edit product: ${name}`,
    sku: 'SKU',
    skuHint: 'Letters, digits, - or _, up to 40; cannot change later',
    name: 'Product name',
    description: 'Description',
    images: 'Product pictures',
    addImage: 'Upload a product picture',
    imageAlt: (n: number) => `Product picture ${n}`,
    removeImage: (n: number) => `Remove picture ${n}`,
    remove: 'Remove',
    first: 'Cover',
    retail: 'Retail price (yuan)',
    prices: 'Price per level (yuan)',
    pricesHint: 'Higher levels pay less: level 1 ≤ level 2 ≤ … ≤ retail',
    priceOf: (level: string) => `${level} price (yuan)`,
    onSale: 'On sale',
    submitCreate: 'Create product',
    submitEdit: 'Save product',
    cancel: 'Cancel',
    busy: 'Saving…',
    required: 'Required',
    badSku: 'A SKU has 1–40 letters, digits, - or _',
    amount: 'Enter an amount such as 299 or 299.00',
    tooManyImages: 'At most 9 images',
    unchanged: 'Nothing to save.',
  },
};

interface Values {
  sku: string;
  name: string;
  description: string;
  images: string[];
  retailFen: string;
  prices: Record<string, string>;
  onSale: boolean;
}

type Errors = Record<string, string | undefined>;

function valuesOf(product: Product | null, ranks: number[]): Values {
  return {
    sku: product?.sku ?? '',
    name: product?.name ?? '',
    description: product?.description ?? '',
    images: product?.images ?? [],
    retailFen: product ? yuanInput(product.retailFen) : '',
    prices: Object.fromEntries(
      ranks.map((r) => {
        const fen = product?.prices?.[String(r)];
        return [String(r), fen === undefined ? '' : yuanInput(fen)];
      }),
    ),
    onSale: product?.onSale ?? true,
  };
}

/** Creates a product or edits one: retail price and one price per level typed in yuan, sent as integer fen. */
export function ProductForm({
  ctx,
  product,
  onSaved,
  onCancel,
}: {
  ctx: AdminContext;
  product: Product | null;
  onSaved: (product: Product, message: string | null) => void;
  onCancel: () => void;
}) {
  const t = text[ctx.lang];
  const levels = ctx.settings.levels;
  const [values, setValues] = useState<Values>(() =>
    valuesOf(
      product,
      levels.map((l) => l.rank),
    ),
  );
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (key: 'sku' | 'name' | 'description' | 'retailFen') => (event: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: event.currentTarget.value }));

  function focus(field: string) {
    document.getElementById(`${prefix}${field}`)?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    setTop(null);
    const found: Errors = {};
    if (!product && !/^[A-Za-z0-9_-]{1,40}$/.test(values.sku.trim()))
      found.sku = values.sku.trim() ? t.badSku : t.required;
    if (!values.name.trim()) found.name = t.required;
    const images = values.images;
    if (images.length > 9) found.images = t.tooManyImages;
    const retailFen = parseYuanToFen(values.retailFen);
    if (retailFen === null) found.retailFen = values.retailFen.trim() ? t.amount : t.required;
    const prices: Record<string, number> = {};
    for (const l of levels) {
      const raw = values.prices[String(l.rank)] ?? '';
      const fen = parseYuanToFen(raw);
      if (fen === null) found[`prices.${l.rank}`] = raw.trim() ? t.amount : t.required;
      else prices[String(l.rank)] = fen;
    }
    const order = ['sku', 'name', 'description', 'images', 'retailFen', ...levels.map((l) => `prices.${l.rank}`)];
    const first = order.find((f) => found[f]);
    setErrors(found);
    if (first) {
      focus(first);
      return;
    }

    const fields = {
      name: values.name.trim(),
      description: values.description.trim(),
      images,
      retailFen: retailFen ?? 0,
      onSale: values.onSale,
    };
    let body: Record<string, unknown>;
    if (product) {
      body = {};
      if (fields.name !== product.name) body.name = fields.name;
      if (fields.description !== product.description) body.description = fields.description;
      if (images.join('\n') !== product.images.join('\n')) body.images = images;
      if (fields.retailFen !== product.retailFen) body.retailFen = fields.retailFen;
      if (fields.onSale !== product.onSale) body.onSale = fields.onSale;
      const old = product.prices ?? {};
      const changed =
        Object.keys(old).length !== Object.keys(prices).length ||
        Object.entries(prices).some(([rank, fen]) => old[rank] !== fen);
      // A new price table replaces the old one whole.
      if (changed) body.prices = prices;
      if (Object.keys(body).length === 0) {
        onSaved(product, t.unchanged);
        return;
      }
    } else body = { sku: values.sku.trim(), ...fields, prices };

    setBusy(true);
    const res = product
      ? await call<Product>(`/products/${encodeURIComponent(product.id)}`, { method: 'PATCH', body })
      : await call<Product>('/products', { method: 'POST', body });
    setBusy(false);
    if (res.ok) {
      onSaved(res.data, null);
      return;
    }
    // The API names a price as "prices.<rank>" (the inputs' ids), the retail price as "retailFen", an image as
    // "images.<i>".
    const named = res.error.field?.startsWith('images') ? 'images' : res.error.field;
    if (named && order.includes(named)) {
      setErrors({ [named]: fieldText(res.error) });
      focus(named);
    } else setTop(res.error.message);
  }

  const title = product ? t.edit(product.name) : t.create;
  return (
    <form class="card ad-form" onSubmit={submit} noValidate aria-labelledby="ad-product-form" aria-busy={busy}>
      <h3 id="ad-product-form" tabIndex={-1}>
        {title}
      </h3>
      <Alert message={top} />
      <div class="ad-cols">
        {product ? null : (
          <TextField
            id={`${prefix}sku`}
            label={t.sku}
            hint={t.skuHint}
            error={errors.sku}
            value={values.sku}
            onInput={set('sku')}
            maxLength={40}
            autocapitalize="none"
            spellcheck={false}
          />
        )}
        <TextField
          id={`${prefix}name`}
          label={t.name}
          error={errors.name}
          value={values.name}
          onInput={set('name')}
          maxLength={60}
        />
      </div>
      <TextAreaField
        id={`${prefix}description`}
        label={t.description}
        error={errors.description}
        value={values.description}
        onInput={set('description')}
        maxLength={2000}
        rows={3}
      />
      <PictureList
        id={`${prefix}images`}
        images={values.images}
        onChange={(change) => setValues((v) => ({ ...v, images: change(v.images) }))}
        text={t}
        lang={ctx.lang}
        error={errors.images}
      />
      <div class="ad-cols">
        <TextField
          id={`${prefix}retailFen`}
          label={t.retail}
          error={errors.retailFen}
          value={values.retailFen}
          onInput={set('retailFen')}
          inputMode="decimal"
          maxLength={16}
        />
      </div>
      <fieldset class="ad-prices">
        <legend>{t.prices}</legend>
        <p class="hint">{t.pricesHint}</p>
        <div class="ad-cols">
          {levels.map((l) => (
            <TextField
              key={l.rank}
              id={`${prefix}prices.${l.rank}`}
              label={t.priceOf(l.name)}
              error={errors[`prices.${l.rank}`]}
              value={values.prices[String(l.rank)] ?? ''}
              onInput={(e) => {
                const value = e.currentTarget.value;
                setValues((v) => ({ ...v, prices: { ...v.prices, [String(l.rank)]: value } }));
              }}
              inputMode="decimal"
              maxLength={16}
            />
          ))}
        </div>
      </fieldset>
      <label class="ad-check">
        <input
          type="checkbox"
          checked={values.onSale}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            setValues((v) => ({ ...v, onSale: on }));
          }}
        />
        {t.onSale}
      </label>
      <div class="ad-actions">
        <button class="btn ad-btn" type="submit" disabled={busy}>
          {busy ? t.busy : product ? t.submitEdit : t.submitCreate}
        </button>
        <button class="btn secondary ad-btn" type="button" onClick={onCancel} disabled={busy}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
