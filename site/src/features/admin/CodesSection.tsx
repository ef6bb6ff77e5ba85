import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert, SelectField, TextField } from '../../components/Field';
import { formatDateTime } from '../../lib/dates';
import { type AdminContext, routeHref } from './context';
import { call, fieldText, seg } from './http';
import { Toast, useNotice } from './notice';
import { PagedFooter, usePaged } from './paged';
import type { AgentView, Page, Product } from './types';

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

/** POST/GET /api/brand/code-bindings */
interface Binding {
  id: string;
  agentId: string;
  agentName: string;
  orderId: string | null;
  serialFrom: number | null;
  serialTo: number | null;
  count: number;
  createdAt: number;
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
    bind: '发货绑定',
    bindLead: '把一段序列号（含首尾）绑定给收货代理；一个防伪码只能绑定一次。',
    agentSearch: '代理（姓名或手机号）',
    find: '查找',
    finding: '查找中…',
    noAgent: '没有找到匹配的代理',
    chooseAgent: '收货代理',
    needAgent: '请先查找并选择代理',
    from: '起始序列号',
    to: '结束序列号',
    needSerial: '请输入序列号',
    order: '订单号（可选）',
    orderHint: '该代理的进货或提货订单，订单中须有这些防伪码的商品',
    bindSubmit: '绑定',
    binding: '绑定中…',
    bound: (n: number, name: string) => `已将 ${n.toLocaleString('zh-CN')} 个防伪码绑定给 ${name}。`,
    bindings: '绑定记录',
    emptyBindings: '还没有绑定记录。',
    listedCodes: '按防伪码绑定',
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
    bind: 'Bind to a shipment',
    bindLead: 'Bind a serial range (both ends included) to the agent receiving the goods; a code is bound once.',
    agentSearch: 'Agent (name or phone)',
    find: 'Find',
    finding: 'Finding…',
    noAgent: 'No matching agent',
    chooseAgent: 'Receiving agent',
    needAgent: 'Find and choose the agent first',
    from: 'First serial',
    to: 'Last serial',
    needSerial: 'Enter a serial',
    order: 'Order (optional)',
    orderHint: 'The agent’s restock or pickup order; it must include the codes’ product',
    bindSubmit: 'Bind',
    binding: 'Binding…',
    bound: (n: number, name: string) => `${n.toLocaleString('en')} codes bound to ${name}.`,
    bindings: 'Bindings',
    emptyBindings: 'No bindings yet.',
    listedCodes: 'Listed codes',
  },
};

type T = (typeof text)['zh'];

const serialLabel = (serial: number) => String(serial).padStart(10, '0');

/** A serial typed as printed (0000012345) or plain; null unless a whole number from 1. */
function parseSerial(value: string): number | null {
  const digits = value.trim();
  if (!/^\d{1,15}$/.test(digits)) return null;
  const n = Number(digits);
  return n >= 1 ? n : null;
}

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
            <dt>{t.note}</dt>
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

type BindField = 'agentId' | 'from' | 'to' | 'orderId';

function BindForm({ t, onBound }: { t: T; onBound: (binding: Binding) => void }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<AgentView[] | null>(null);
  const [finding, setFinding] = useState(false);
  const [agentId, setAgentId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [orderId, setOrderId] = useState('');
  const [errors, setErrors] = useState<Partial<Record<BindField | 'query' | 'top', string>>>({});
  const [busy, setBusy] = useState(false);

  async function find() {
    if (!query.trim()) return;
    setFinding(true);
    const res = await call<Page<AgentView>>('/agents', { query: { q: query.trim(), limit: 10 } });
    setFinding(false);
    if (!res.ok) {
      setErrors({ query: fieldText(res.error) });
      return;
    }
    setFound(res.data.items);
    setErrors({ query: res.data.items.length === 0 ? t.noAgent : undefined });
    setAgentId(res.data.items.length === 1 ? (res.data.items[0]?.id ?? '') : '');
  }

  async function submit(event: Event) {
    event.preventDefault();
    const first = parseSerial(from);
    const last = parseSerial(to);
    const next: typeof errors = {};
    if (!agentId) next.query = t.needAgent;
    if (first === null) next.from = t.needSerial;
    if (last === null) next.to = t.needSerial;
    setErrors(next);
    const focus = next.query ? 'ad-bind-query' : next.from ? 'ad-bind-from' : next.to ? 'ad-bind-to' : null;
    if (focus) {
      document.getElementById(focus)?.focus();
      return;
    }
    setBusy(true);
    const res = await call<Binding>('/brand/code-bindings', {
      method: 'POST',
      body: { agentId, ranges: [{ from: first, to: last }], ...(orderId.trim() ? { orderId: orderId.trim() } : {}) },
    });
    setBusy(false);
    if (res.ok) {
      setFrom('');
      setTo('');
      setOrderId('');
      onBound(res.data);
      return;
    }
    // Range problems (missing, already bound, too many) are shown under the last serial.
    const field: BindField | null =
      res.error.field === 'agentId' || res.error.field === 'orderId'
        ? res.error.field
        : res.error.field?.startsWith('ranges')
          ? 'to'
          : null;
    if (!field) {
      setErrors({ top: res.error.message });
      return;
    }
    setErrors({ [field === 'agentId' ? 'query' : field]: fieldText(res.error) });
    document.getElementById(field === 'agentId' ? 'ad-bind-query' : `ad-bind-${field}`)?.focus();
  }

  return (
    <form class="card" noValidate onSubmit={submit} aria-busy={busy} aria-labelledby="ad-bind">
      <h3 id="ad-bind">{t.bind}</h3>
      <p class="muted">{t.bindLead}</p>
      <Alert message={errors.top} />
      <div class="ad-grid">
        <div>
          <TextField
            id="ad-bind-query"
            label={t.agentSearch}
            value={query}
            error={errors.query}
            maxLength={40}
            onInput={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                find();
              }
            }}
          />
          <button class="btn secondary ad-btn" type="button" onClick={find} disabled={finding}>
            {finding ? t.finding : t.find}
          </button>
        </div>
        {found && found.length > 0 ? (
          <SelectField
            id="ad-bind-agentId"
            label={t.chooseAgent}
            value={agentId}
            onChange={(e) => setAgentId(e.currentTarget.value)}
          >
            <option value="">{t.needAgent}</option>
            {found.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} · {a.phone} · {a.region}
              </option>
            ))}
          </SelectField>
        ) : null}
        <TextField
          id="ad-bind-from"
          label={t.from}
          value={from}
          error={errors.from}
          inputMode="numeric"
          maxLength={15}
          placeholder="0000000001"
          onInput={(e) => setFrom(e.currentTarget.value)}
        />
        <TextField
          id="ad-bind-to"
          label={t.to}
          value={to}
          error={errors.to}
          inputMode="numeric"
          maxLength={15}
          placeholder="0000001000"
          onInput={(e) => setTo(e.currentTarget.value)}
        />
        <TextField
          id="ad-bind-orderId"
          label={t.order}
          hint={t.orderHint}
          value={orderId}
          error={errors.orderId}
          maxLength={40}
          onInput={(e) => setOrderId(e.currentTarget.value)}
        />
      </div>
      <button class="btn ad-btn" type="submit" disabled={busy}>
        {busy ? t.binding : t.bindSubmit}
      </button>
    </form>
  );
}

function BindingRow({ t, item }: { t: T; item: Binding }) {
  return (
    <li class="ad-item" data-testid={`binding-${item.id}`}>
      <div class="row">
        <strong>
          <a href={routeHref('agents', item.agentId)}>{item.agentName}</a> · {t.codes(item.count)}
        </strong>
        <span class="muted">{formatDateTime(item.createdAt)}</span>
      </div>
      <p class="muted ad-meta">
        {item.serialFrom !== null && item.serialTo !== null
          ? `${t.serials} ${serialLabel(item.serialFrom)} – ${serialLabel(item.serialTo)}`
          : t.listedCodes}
        {item.orderId ? (
          <>
            {' · '}
            <a href={routeHref('orders', item.orderId)}>{item.orderId}</a>
          </>
        ) : null}
      </p>
    </li>
  );
}

/** 防伪码: batches generated chunk by chunk with their progress, the printer's CSV, and bindings to agents. */
export function CodesSection({ ctx }: { ctx: AdminContext }) {
  const t = text[ctx.lang];
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
    setNotice(t.bound(binding.count, binding.agentName));
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
        <ul class="ad-list" aria-label={t.batches}>
          {batches.items.map((b) => (
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
        <PagedFooter paged={batches} lang={ctx.lang} empty={t.emptyBatches} />
      </div>
      <BindForm t={t} onBound={bound} />
      <h3 class="ad-title">{t.bindings}</h3>
      <div class="card">
        <ul class="ad-list" aria-label={t.bindings}>
          {bindings.items.map((item) => (
            <BindingRow key={item.id} t={t} item={item} />
          ))}
        </ul>
        <PagedFooter paged={bindings} lang={ctx.lang} empty={t.emptyBindings} />
      </div>
    </section>
  );
}
