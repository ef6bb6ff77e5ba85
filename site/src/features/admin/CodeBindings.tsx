import { useState } from 'preact/hooks';
import { Alert, SelectField, TextField } from '../../components/Field';
import { formatDateTime } from '../../lib/dates';
import type { Lang } from '../../lib/i18n';
import { routeHref } from './context';
import { call, fieldText } from './http';
import type { AgentView, Page } from './types';

/** POST/GET /api/brand/code-bindings */
export interface Binding {
  id: string;
  agentId: string;
  agentName: string;
  orderId: string | null;
  serialFrom: number | null;
  serialTo: number | null;
  count: number;
  createdAt: number;
}

const text = {
  zh: {
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
    serials: '序列号',
    codes: (n: number) => `${n.toLocaleString('zh-CN')} 个`,
  },
  en: {
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
    serials: 'Serials',
    codes: (n: number) => `${n.toLocaleString('en')}`,
  },
};

type T = (typeof text)['zh'];

export const bindText = (lang: Lang): T => text[lang];

export const serialLabel = (serial: number) => String(serial).padStart(10, '0');

/** A serial typed as printed (0000012345) or plain; null unless a whole number from 1. */
function parseSerial(value: string): number | null {
  const digits = value.trim();
  if (!/^\d{1,15}$/.test(digits)) return null;
  const n = Number(digits);
  return n >= 1 ? n : null;
}

type BindField = 'agentId' | 'from' | 'to' | 'orderId';

export function BindForm({ t, onBound }: { t: T; onBound: (binding: Binding) => void }) {
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

export function BindingRow({ t, item }: { t: T; item: Binding }) {
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
