import { useEffect, useState } from 'preact/hooks';
import { Alert, SelectField, TextField } from '../../components/Field';
import { PictureInput } from '../../components/PictureInput';
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
      agent: '代理微信号、手机号或小店链接',
      productId: '涉及商品（选填）',
      priceSeenFen: '看到的售价（元）',
      note: '举报说明',
      contact: '联系方式（选填）',
    } as Record<Field, string>,
    hints: {
      agent: '填写代理的微信号或手机号，也可粘贴小店链接或 8 位代理编号',
      priceSeenFen: '如 199 或 199.90',
      note: `在哪里看到、如何售卖（如朋友圈、微信群），最多 ${NOTE_MAX} 字`,
      contact: '手机号或微信号，方便品牌方向您核实；可不填',
    } as Partial<Record<Field, string>>,
    anyProduct: '不确定 / 未列出',
    evidence: '上传证据截图（选填，最多 3 张）',
    evidenceAlt: (n: number) => `证据图片 ${n}`,
    removeEvidence: (n: number) => `移除证据图片 ${n}`,
    remove: '移除',
    aboveRetail: (price: string) => `举报价格不能高于官方零售价 ${price}`,
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
      agent: 'Agent’s WeChat ID, phone or shop link',
      productId: 'Product (optional)',
      priceSeenFen: 'Price seen (yuan)',
      note: 'What you saw',
      contact: 'Contact (optional)',
    } as Record<Field, string>,
    hints: {
      agent: 'The agent’s WeChat ID or phone, or paste its shop link or 8-character code',
      priceSeenFen: 'e.g. 199 or 199.90',
      note: `Where and how it was offered (Moments, a WeChat group…), at most ${NOTE_MAX} characters`,
      contact: 'A phone or WeChat ID so the brand can check with you; optional',
    } as Partial<Record<Field, string>>,
    anyProduct: 'Not sure / not listed',
    evidence: 'Upload screenshots as evidence (optional, up to 3)',
    evidenceAlt: (n: number) => `Evidence picture ${n}`,
    removeEvidence: (n: number) => `Remove evidence picture ${n}`,
    remove: 'Remove',
    aboveRetail: (price: string) => `The price cannot be above the official retail price ${price}`,
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
  const [evidence, setEvidence] = useState<string[]>([]);
  const [evidenceError, setEvidenceError] = useState<string | undefined>(undefined);

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
    const product = products.find((p) => p.id === values.productId);
    if (priceFen !== null && product && priceFen > product.retailFen) {
      found.priceSeenFen = t.aboveRetail(formatFen(product.retailFen));
    }
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
        ...(evidence.length ? { evidence } : {}),
      },
    });
    setBusy(false);
    if (res.ok) setReceived(res.data.id);
    else if (res.error.field?.startsWith('evidence')) setEvidenceError(res.error.message);
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
        {evidence.length > 0 ? (
          <ul class="picture-list" aria-label={t.evidence}>
            {evidence.map((url, i) => (
              <li key={url}>
                <img src={url} alt={t.evidenceAlt(i + 1)} width={96} height={96} />
                <button
                  type="button"
                  class="btn secondary inline"
                  aria-label={t.removeEvidence(i + 1)}
                  onClick={() => setEvidence((list) => list.filter((_, j) => j !== i))}
                >
                  {t.remove}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <PictureInput
          id={`${prefix}evidence`}
          label={t.evidence}
          lang={lang}
          endpoint="/reports/evidence"
          error={evidenceError}
          disabled={!ready || evidence.length >= 3}
          onUploaded={(url) => {
            setEvidenceError(undefined);
            setEvidence((list) => (list.includes(url) ? list : [...list, url]));
          }}
        />
        <TextField {...field('contact')} autocomplete="off" maxLength={50} />
        <button class="btn" type="submit" disabled={!ready || busy}>
          {busy ? t.busy : t.submit}
        </button>
      </div>
    </form>
  );
}
