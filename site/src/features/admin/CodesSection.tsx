import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert, SelectField, TextField } from '../../components/Field';
import { PagedList } from '../../components/PagedList';
import { formatDateTime } from '../../lib/dates';
import { usePaged } from '../../lib/paged';
import { BindForm, type Binding, BindingRow, bindText, serialLabel } from './CodeBindings';
import type { AdminContext } from './context';
import { call, fieldText, seg } from './http';
import { Toast, useNotice } from './notice';
import type { Page, Product } from './types';

/** POST/GET /api/brand/code-batches */
interface Batch {
  id: string;
  productId: string;
  productName: string;
  size: number;
  generated: number;
  serialStart: number;
  serialEnd: number;
  status: 'generating' | 'ready';
  note: string | null;
  createdAt: number;
  completedAt: number | null;
}

const MAX_CODES = 100_000;

const text = {
  zh: {
    title: '防伪码',
    lead: '为商品生成防伪码批次（每批最多 100,000 个），导出 CSV 交印刷厂；发货时把序列号区间绑定给收货代理。消费者扫码验证时可看到商品、代理和验证次数；在代理授权区域以外验证会生成串货稽查记录。',
    newBatch: '新建批次',
    product: '商品',
    chooseProduct: '请选择商品',
    size: '数量',
    sizeHint: '1 至 100,000 个',
    note: '备注（可选）',
    noteLabel: '备注',
    create: '生成',
    creating: '生成中…',
    needProduct: '请选择商品',
    needSize: '请输入 1 至 100,000 之间的整数',
    batches: '批次',
    emptyBatches: '还没有防伪码批次。',
    serials: '序列号',
    created: '创建时间',
    progressOf: (name: string) => `${name} 生成进度`,
    progress: (done: number, size: number) =>
      `已生成 ${done.toLocaleString('zh-CN')} / ${size.toLocaleString('zh-CN')}`,
    ready: '已完成',
    generating: '生成中',
    paused: '未完成',
    resume: '继续生成',
    download: '下载 CSV',
    downloadOf: (name: string) => `下载 ${name} 批次的 CSV`,
    batchReady: (name: string, size: number) => `「${name}」的 ${size.toLocaleString('zh-CN')} 个防伪码已生成。`,
    codes: (n: number) => `${n.toLocaleString('zh-CN')} 个`,
  },
  en: {
    title: 'Anti-counterfeit codes',
    lead: 'Generate batches of codes for a product (up to 100,000 each) and export the CSV for the printer; when goods ship, bind their serial range to the receiving agent. A consumer who verifies a code sees the product, the agent and how often it was verified; a verification outside the agent’s region opens a cross-selling case.',
    newBatch: 'New batch',
    product: 'Product',
    chooseProduct: 'Choose a product',
    size: 'Codes',
    sizeHint: '1 to 100,000',
    note: 'Note (optional)',
    noteLabel: 'Note',
    create: 'Generate',
    creating: 'Generating…',
    needProduct: 'Choose a product',
    needSize: 'Enter a whole number from 1 to 100,000',
    batches: 'Batches',
    emptyBatches: 'No code batches yet.',
    serials: 'Serials',
    created: 'Created',
    progressOf: (name: string) => `${name} generation progress`,
    progress: (done: number, size: number) => `${done.toLocaleString('en')} of ${size.toLocaleString('en')} generated`,
    ready: 'Ready',
    generating: 'Generating',
    paused: 'Unfinished',
    resume: 'Resume',
    download: 'Download CSV',
    downloadOf: (name: string) => `Download the CSV of the ${name} batch`,
    batchReady: (name: string, size: number) => `${size.toLocaleString('en')} codes for “${name}” are ready.`,
    codes: (n: number) => `${n.toLocaleString('en')}`,
  },
};

type T = (typeof text)['zh'];

async function allProducts(): Promise<{ items: Product[]; error?: string }> {
  const items: Product[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const res = await call<Page<Product>>('/products', { query: { cursor, limit: 100 } });
    if (!res.ok) return { items, error: res.error.message };
    items.push(...res.data.items);
    if (!res.data.nextCursor) break;
    cursor = res.data.nextCursor;
  }
  return { items };
}

function NewBatchForm({ t, onCreated }: { t: T; onCreated: (batch: Batch) => void }) {
  const [products, setProducts] = useState<Product[] | null>(null);
  const [productId, setProductId] = useState('');
  const [size, setSize] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ productId?: string; size?: string; note?: string; top?: string }>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    allProducts().then((res) => {
      setProducts(res.items);
      if (res.error) setErrors({ top: res.error });
    });
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const n = /^\d+$/.test(size.trim()) ? Number(size.trim()) : Number.NaN;
    const found: typeof errors = {};
    if (!productId) found.productId = t.needProduct;
    if (!(n >= 1 && n <= MAX_CODES)) found.size = t.needSize;
    setErrors(found);
    if (found.productId || found.size) {
      document.getElementById(found.productId ? 'ad-cb-productId' : 'ad-cb-size')?.focus();
      return;
    }
    setBusy(true);
    const res = await call<Batch>('/brand/code-batches', {
      method: 'POST',
      body: { productId, size: n, ...(note.trim() ? { note: note.trim() } : {}) },
    });
    setBusy(false);
    if (!res.ok) {
      const field = res.error.field;
      if (field === 'productId' || field === 'size' || field === 'note') {
        setErrors({ [field]: fieldText(res.error) });
        document.getElementById(`ad-cb-${field}`)?.focus();
      } else setErrors({ top: res.error.message });
      return;
    }
    setSize('');
    setNote('');
    onCreated(res.data);
  }

  return (
    <form class="card" noValidate onSubmit={submit} aria-busy={busy} aria-labelledby="ad-cb-new">
      <h3 id="ad-cb-new">{t.newBatch}</h3>
      <Alert message={errors.top} />
      <div class="ad-grid">
        <SelectField
          id="ad-cb-productId"
          label={t.product}
          value={productId}
          error={errors.productId}
          onChange={(e) => setProductId(e.currentTarget.value)}
        >
          <option value="">{t.chooseProduct}</option>
          {(products ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}（{p.sku}）
            </option>
          ))}
        </SelectField>
        <TextField
          id="ad-cb-size"
          label={t.size}
          hint={t.sizeHint}
          value={size}
          error={errors.size}
          inputMode="numeric"
          maxLength={6}
          onInput={(e) => setSize(e.currentTarget.value)}
        />
        <TextField
          id="ad-cb-note"
          label={t.note}
          value={note}
          error={errors.note}
          maxLength={200}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
      </div>
      <button class="btn ad-btn" type="submit" disabled={busy}>
        {busy ? t.creating : t.create}
      </button>
    </form>
  );
}

function BatchRow({
  t,
  batch,
  running,
  error,
  onResume,
}: {
  t: T;
  batch: Batch;
  running: boolean;
  error: string | undefined;
  onResume: () => void;
}) {
  const ready = batch.status === 'ready';
  const progressId = `ad-cb-progress-${batch.id}`;
  return (
    <li class="ad-item" data-testid={`batch-${batch.id}`}>
      <div class="row">
        <strong>
          {batch.productName} · {t.codes(batch.size)}
        </strong>
        <span class={`badge ${ready ? 'valid' : 'pending'}`}>
          {ready ? t.ready : running ? t.generating : t.paused}
        </span>
      </div>
      <dl class="facts ad-facts">
        <dt>{t.serials}</dt>
        <dd>
          {serialLabel(batch.serialStart)} – {serialLabel(batch.serialEnd)}
        </dd>
        <dt>{t.created}</dt>
        <dd>{formatDateTime(batch.createdAt)}</dd>
        {batch.note ? (
          <>
            <dt>{t.noteLabel}</dt>
            <dd>{batch.note}</dd>
          </>
        ) : null}
      </dl>
      {ready ? null : (
        <div>
          <progress
            id={progressId}
            max={batch.size}
            value={batch.generated}
            aria-label={t.progressOf(batch.productName)}
            style={{ width: '100%' }}
          />
          <p class="muted ad-meta" aria-live="polite">
            {t.progress(batch.generated, batch.size)}
          </p>
        </div>
      )}
      <Alert message={error} />
      <div class="ad-row-actions">
        {ready ? (
          <a
            class="btn secondary ad-btn"
            href={`/api/brand/code-batches/${seg(batch.id)}/codes.csv`}
            download
            aria-label={t.downloadOf(batch.productName)}
          >
            {t.download}
          </a>
        ) : running ? null : (
          <button class="btn ad-btn" type="button" onClick={onResume}>
            {t.resume}
          </button>
        )}
      </div>
    </li>
  );
}

/** 防伪码: batches generated chunk by chunk with their progress, the printer's CSV, and bindings to agents. */
export function CodesSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
  const b = bindText(ctx.lang);
  const [notice, setNotice] = useNotice();
  const batches = usePaged<Batch>(
    (cursor) => call<Page<Batch>>('/brand/code-batches', { query: { cursor, limit: 20 } }),
    'batches',
  );
  const bindings = usePaged<Binding>(
    (cursor) => call<Page<Binding>>('/brand/code-bindings', { query: { cursor, limit: 20 } }),
    'bindings',
  );
  const running = useRef(new Set<string>());
  const [, setRunningVersion] = useState(0);
  const [runErrors, setRunErrors] = useState<Record<string, string>>({});
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  const { edit: editBatches } = batches;

  function setRunning(id: string, on: boolean) {
    if (on) running.current.add(id);
    else running.current.delete(id);
    setRunningVersion((v) => v + 1);
  }

  // One chunk per request, so the bar moves and an interruption loses at most the chunk in flight.
  async function drive(batch: Batch) {
    if (running.current.has(batch.id)) return;
    setRunning(batch.id, true);
    setRunErrors(({ [batch.id]: _, ...rest }) => rest);
    let current = batch;
    while (alive.current && current.status === 'generating') {
      const res = await call<Batch>(`/brand/code-batches/${seg(current.id)}/generate`, { method: 'POST' });
      if (!res.ok) {
        setRunErrors((e) => ({ ...e, [batch.id]: res.error.message }));
        break;
      }
      current = res.data;
      const next = current;
      editBatches((items) => items.map((b) => (b.id === next.id ? next : b)));
    }
    setRunning(batch.id, false);
    if (alive.current && current.status === 'ready') setNotice(t.batchReady(current.productName, current.size));
  }

  function created(batch: Batch) {
    editBatches((items) => [batch, ...items.filter((b) => b.id !== batch.id)]);
    if (batch.status === 'ready') setNotice(t.batchReady(batch.productName, batch.size));
    else drive(batch);
  }

  function bound(binding: Binding) {
    bindings.edit((items) => [binding, ...items]);
    setNotice(b.bound(binding.count, binding.agentName));
  }

  return (
    <section aria-labelledby="ad-codes">
      <h2 id="ad-codes" class="ad-title">
        {t.title}
      </h2>
      <p class="muted">{t.lead}</p>
      <Toast message={notice} />
      <NewBatchForm t={t} onCreated={created} />
      <h3 class="ad-title">{t.batches}</h3>
      <div class="card">
        <PagedList paged={batches} lang={ctx.lang} empty={t.emptyBatches} tally>
          {(items) => (
            <ul class="ad-list" aria-label={t.batches}>
              {items.map((b) => (
                <BatchRow
                  key={b.id}
                  t={t}
                  batch={b}
                  running={running.current.has(b.id)}
                  error={runErrors[b.id]}
                  onResume={() => drive(b)}
                />
              ))}
            </ul>
          )}
        </PagedList>
      </div>
      <BindForm t={b} onBound={bound} />
      <h3 class="ad-title">{b.bindings}</h3>
      <div class="card">
        <PagedList paged={bindings} lang={ctx.lang} empty={b.emptyBindings} tally>
          {(items) => (
            <ul class="ad-list" aria-label={b.bindings}>
              {items.map((item) => (
                <BindingRow key={item.id} t={b} item={item} />
              ))}
            </ul>
          )}
        </PagedList>
      </div>
    </section>
  );
}
