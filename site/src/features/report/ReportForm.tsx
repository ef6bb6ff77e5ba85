import { useEffect, useState } from 'preact/hooks';
import { Alert, SelectField, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { type FormErrors, focusFirst, noErrors, placeError } from '../../lib/formErrors';
import { queryParam, useFormValues, useHydrated, useLang } from '../../lib/hooks';
import { formatFen, parseYuanToFen } from '../../lib/money';
import { forField } from '../checkout/orders';
import { currentShopCode, shopUrl } from '../shop/types';
import { NoteField } from './NoteField';

// Named as the API names them, so its `error.field` lands under the right input.
const fields = ['agent', 'productId', 'priceSeenFen', 'note', 'contact'] as const;
type Field = (typeof fields)[number];
const prefix = 'report-';
const NOTE_MAX = 500;

const text = {
  zh: {
    labels: {
      agent: '代理编号或小店链接',
      productId: '涉及商品（选填）',
      priceSeenFen: '看到的售价（元）',
      note: '举报说明',
      contact: '联系方式（选填）',
    } as Record<Field, string>,
    hints: {
      agent: '粘贴代理分享的小店链接，或填写 8 位代理编号',
      priceSeenFen: '如 199 或 199.90',
      note: `在哪里看到、如何售卖（如朋友圈、微信群），最多 ${NOTE_MAX} 字`,
      contact: '手机号或微信号，方便品牌方向您核实；可不填',
    } as Partial<Record<Field, string>>,
    anyProduct: '不确定 / 未列出',
    retail: (price: string) => `官方零售价 ${price}`,
    required: '此项必填',
    price: '请输入价格，如 199 或 199.90',
    tooLong: `最多 ${NOTE_MAX} 字`,
    submit: '提交举报',
    busy: '提交中…',
    done: '举报已提交',
    thanks: '品牌方会核实处理。感谢您维护价格秩序！',
    number: (id: string) => `受理编号：${id}`,
    verify: '防伪查询',
    home: '返回小店',
  },
  en: {
    labels: {
      agent: 'Agent code or shop link',
      productId: 'Product (optional)',
      priceSeenFen: 'Price seen (yuan)',
      note: 'What you saw',
      contact: 'Contact (optional)',
    } as Record<Field, string>,
    hints: {
      agent: 'Paste the shop link the agent shared, or its 8-character code',
      priceSeenFen: 'e.g. 199 or 199.90',
      note: `Where and how it was offered (Moments, a WeChat group…), at most ${NOTE_MAX} characters`,
      contact: 'A phone or WeChat ID so the brand can check with you; optional',
    } as Partial<Record<Field, string>>,
    anyProduct: 'Not sure / not listed',
    retail: (price: string) => `Official retail price ${price}`,
    required: 'Required',
    price: 'Enter a price, e.g. 199 or 199.90',
    tooLong: `At most ${NOTE_MAX} characters`,
    submit: 'Send the report',
    busy: 'Sending…',
    done: 'Report received',
    thanks: 'The brand will look into it. Thank you for keeping prices fair!',
    number: (id: string) => `Reference: ${id}`,
    verify: 'Verify a product',
    home: 'Back to the shop',
  },
};

interface ProductOption {
  id: string;
  name: string;
  retailFen: number;
}

/** 乱价举报: anyone reports an agent selling below the official price; ?agent= and ?product= fill what is known. */
export function ReportForm() {
  const lang = useLang();
  const ready = useHydrated();
  const t = text[lang];
  const [values, setValues] = useFormValues<Field>(prefix, {
    agent: '',
    productId: '',
    priceSeenFen: '',
    note: '',
    contact: '',
  });
  const [products, setProducts] = useState<ProductOption[]>([]);
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [busy, setBusy] = useState(false);
  const [received, setReceived] = useState<string | null>(null);

  useEffect(() => {
    const agent = queryParam('agent')?.trim() ?? '';
    const product = queryParam('product')?.trim() ?? '';
    setValues((v) => ({ ...v, agent: v.agent || agent, productId: v.productId || product }));
    api<{ items: ProductOption[] }>('/products', { query: { limit: 100 } }).then(async (res) => {
      const listed = res.ok ? res.data.items : [];
      const extra =
        product && !listed.some((p) => p.id === product)
          ? await api<ProductOption>(`/products/${encodeURIComponent(product)}`)
          : null;
      setProducts(extra?.ok ? [extra.data, ...listed] : listed);
    });
  }, []);

  if (received) {
    return (
      <div class="card done" role="status">
        <h2>{t.done}</h2>
        <p>{t.thanks}</p>
        <p class="muted">{t.number(received)}</p>
        <a class="btn secondary" href="/v">
          {t.verify}
        </a>
        {/* A consumer's home is the shop they came from, never the platform's page. */}
        {currentShopCode(null) ? (
          <a class="btn secondary" href={shopUrl(currentShopCode(null) ?? '')}>
            {t.home}
          </a>
        ) : null}
      </div>
    );
  }

  const set = (field: Field) => (event: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.currentTarget.value }));

  async function submit(event: Event) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!values.agent.trim()) found.agent = t.required;
    const priceFen = parseYuanToFen(values.priceSeenFen);
    if (priceFen === null) found.priceSeenFen = values.priceSeenFen.trim() ? t.price : t.required;
    if (!values.note.trim()) found.note = t.required;
    else if (values.note.trim().length > NOTE_MAX) found.note = t.tooLong;
    if (Object.keys(found).length > 0 || priceFen === null) {
      setErrors({ fields: found, top: null });
      focusFirst(fields, found, prefix);
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    const contact = values.contact.trim();
    const res = await api<{ id: string; createdAt: number }>('/reports', {
      method: 'POST',
      body: {
        agent: values.agent.trim(),
        ...(values.productId ? { productId: values.productId } : {}),
        priceSeenFen: priceFen,
        note: values.note.trim(),
        ...(contact ? { contact } : {}),
      },
    });
    setBusy(false);
    if (res.ok) setReceived(res.data.id);
    else setErrors(placeError(forField(res.error), fields, prefix));
  }

  const field = (f: Field) => ({
    id: `${prefix}${f}`,
    label: t.labels[f],
    hint: t.hints[f],
    error: errors.fields[f],
    value: values[f],
    onInput: set(f),
  });
  const chosen = products.find((p) => p.id === values.productId);

  return (
    <form onSubmit={submit} noValidate aria-busy={busy}>
      <Alert message={errors.top} />
      <div class="card">
        <TextField
          {...field('agent')}
          required
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          maxLength={300}
        />
        <SelectField
          {...field('productId')}
          onChange={set('productId')}
          hint={chosen ? t.retail(formatFen(chosen.retailFen)) : undefined}
        >
          <option value="">{t.anyProduct}</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <TextField {...field('priceSeenFen')} required inputMode="decimal" autocomplete="off" maxLength={16} />
        <NoteField {...field('note')} required maxLength={NOTE_MAX} rows={4} />
        <TextField {...field('contact')} autocomplete="off" maxLength={50} />
        <button class="btn" type="submit" disabled={!ready || busy}>
          {busy ? t.busy : t.submit}
        </button>
      </div>
    </form>
  );
}
