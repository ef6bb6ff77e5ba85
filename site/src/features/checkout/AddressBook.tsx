import { useEffect, useState } from 'preact/hooks';
import { useConfirm } from '../../components/ConfirmDialog';
import { Alert, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { type FormErrors, focusFirst, noErrors, placeError } from '../../lib/formErrors';
import { useLang } from '../../lib/hooks';
import { PHONE_MAX_TYPED, phoneDigits } from '../../lib/phone';
import { loadRegions, RegionPicker } from './RegionPicker';
import { noRegion, type Region, regionText, splitAddress } from './regionText';
import type { SavedAddress } from './SavedAddresses';
import { PHONE } from './types';

const fields = ['name', 'phone', 'address'] as const;
type Field = (typeof fields)[number];
const prefix = 'ad-';

const text = {
  zh: {
    loading: '加载中…',
    signIn: '登录会员后管理收货地址',
    login: '会员登录',
    none: '还没有收货地址，新增一个，下单时自动填好。',
    add: '新增收货地址',
    edit: '编辑',
    remove: '删除',
    makeDefault: '设为默认',
    defaultMark: '默认',
    more: '加载更多',
    newTitle: '新增收货地址',
    editTitle: '编辑收货地址',
    labels: { name: '收货人', phone: '手机号', address: '详细地址' } as Record<Field, string>,
    addressHint: '街道、门牌号；未选择省市区时，请写完整地址',
    asDefault: '设为默认地址',
    save: '保存',
    busy: '保存中…',
    cancel: '取消',
    required: '此项必填',
    phone: '请输入 11 位手机号',
    address: '请填写详细地址（未选省市区时至少 5 个字）',
    confirmRemove: (a: SavedAddress) => `删除收货地址「${a.name} ${a.address}」？`,
    saved: '已保存',
    removed: '已删除',
  },
  en: {
    loading: 'Loading…',
    signIn: 'Sign in as a member to keep delivery addresses',
    login: 'Member sign-in',
    none: 'No saved addresses yet; add one and checkout fills it in.',
    add: 'Add an address',
    edit: 'Edit',
    remove: 'Delete',
    makeDefault: 'Make default',
    defaultMark: 'Default',
    more: 'More',
    newTitle: 'New address',
    editTitle: 'Edit address',
    labels: { name: 'Recipient', phone: 'Mobile phone', address: 'Street address' } as Record<Field, string>,
    addressHint: 'Street and number; without a province, city and district chosen, the full address',
    asDefault: 'Make it the default',
    save: 'Save',
    busy: 'Saving…',
    cancel: 'Cancel',
    required: 'Required',
    phone: 'Enter an 11-digit mobile number',
    address: 'Enter the full address (at least 5 characters)',
    confirmRemove: (a: SavedAddress) => `Delete the address "${a.name} ${a.address}"?`,
    saved: 'Saved',
    removed: 'Deleted',
  },
};

type T = (typeof text)['zh'];
type State =
  | { kind: 'loading' }
  | { kind: 'guest' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; items: SavedAddress[]; cursor: string | null };

/** What the form edits: a new address (no id) or a saved one. */
interface Draft {
  id: string | null;
  values: Record<Field, string>;
  region: Region;
  isDefault: boolean;
}

interface Page {
  items: SavedAddress[];
  nextCursor: string | null;
}

/** /addresses (我的 → 收货地址): a member's saved addresses, added with the 省市区 picker, edited, deleted. */
export function AddressBook() {
  const lang = useLang();
  const t = text[lang];
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { ask, dialog } = useConfirm(lang);

  async function load() {
    const res = await api<Page>('/members/me/addresses', { query: { limit: 20 } });
    if (res.ok) setState({ kind: 'ready', items: res.data.items, cursor: res.data.nextCursor });
    else
      setState(
        res.status === 401 || res.status === 403 ? { kind: 'guest' } : { kind: 'failed', message: res.error.message },
      );
  }

  useEffect(() => {
    // A guest's browser should log no 401: ask who is signed in first.
    api<{ role: string | null }>('/auth/session').then((me) => {
      if (me.ok && me.data.role === 'member') void load();
      else setState({ kind: 'guest' });
    });
  }, []);

  if (state.kind === 'loading') return <p role="status">{t.loading}</p>;
  if (state.kind === 'failed') return <Alert message={state.message} />;
  if (state.kind === 'guest') {
    return (
      <div class="card">
        <p>{t.signIn}</p>
        <a class="btn" href={`/login?role=member&next=${encodeURIComponent('/addresses')}`}>
          {t.login}
        </a>
      </div>
    );
  }

  async function more(cursor: string, before: SavedAddress[]) {
    const res = await api<Page>('/members/me/addresses', { query: { limit: 20, cursor } });
    if (res.ok) setState({ kind: 'ready', items: [...before, ...res.data.items], cursor: res.data.nextCursor });
    else setError(res.error.message);
  }

  async function edit(a: SavedAddress) {
    setNote('');
    const regions = await loadRegions();
    const { region, rest } = regions ? splitAddress(regions, a.address) : { region: noRegion, rest: a.address };
    setDraft({ id: a.id, values: { name: a.name, phone: a.phone, address: rest }, region, isDefault: a.isDefault });
  }

  async function makeDefault(a: SavedAddress) {
    const res = await api<{ items: SavedAddress[] }>(`/members/me/addresses/${a.id}/default`, { method: 'PUT' });
    if (!res.ok) return setError(res.error.message);
    setError(null);
    await load();
  }

  async function remove(a: SavedAddress) {
    if (!(await ask(t.confirmRemove(a), t.remove, true))) return;
    const res = await api(`/members/me/addresses/${a.id}`, { method: 'DELETE' });
    if (!res.ok) return setError(res.error.message);
    setError(null);
    setNote(t.removed);
    await load();
  }

  return (
    <>
      {dialog}
      <Alert message={error} />
      <p class="hint" role="status">
        {note}
      </p>
      {draft ? (
        <AddressForm
          t={t}
          lang={lang}
          draft={draft}
          onCancel={() => setDraft(null)}
          onSaved={async () => {
            setDraft(null);
            setNote(t.saved);
            await load();
          }}
        />
      ) : (
        <>
          {state.items.length === 0 ? <p class="lead">{t.none}</p> : null}
          <ul class="address-list">
            {state.items.map((a) => (
              <li key={a.id} class="card address-item">
                <p class="address-who">
                  <strong>{a.name}</strong> <span>{a.phone}</span>
                  {a.isDefault ? <span class="badge level">{t.defaultMark}</span> : null}
                </p>
                <p class="address-text">{a.address}</p>
                <div class="address-actions">
                  <button
                    type="button"
                    class="btn secondary"
                    onClick={() => edit(a)}
                    aria-label={`${t.edit} ${a.name}`}
                  >
                    {t.edit}
                  </button>
                  {a.isDefault ? null : (
                    <button type="button" class="btn secondary" onClick={() => makeDefault(a)}>
                      {t.makeDefault}
                    </button>
                  )}
                  <button
                    type="button"
                    class="btn secondary"
                    onClick={() => remove(a)}
                    aria-label={`${t.remove} ${a.name}`}
                  >
                    {t.remove}
                  </button>
                </div>
              </li>
            ))}
          </ul>
          {state.cursor ? (
            <button type="button" class="btn secondary" onClick={() => state.cursor && more(state.cursor, state.items)}>
              {t.more}
            </button>
          ) : null}
          <button
            type="button"
            class="btn"
            onClick={() => {
              setNote('');
              setDraft({
                id: null,
                values: { name: '', phone: '', address: '' },
                region: noRegion,
                isDefault: state.items.length === 0,
              });
            }}
          >
            {t.add}
          </button>
        </>
      )}
    </>
  );
}

function check(values: Record<Field, string>, t: T, regionChosen: boolean): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (!values.name.trim()) errors.name = t.required;
  if (!PHONE.test(phoneDigits(values.phone))) errors.phone = t.phone;
  const typed = values.address.trim();
  if (regionChosen ? typed.length < 2 : typed.length < 5) errors.address = t.address;
  return errors;
}

function AddressForm(props: { t: T; lang: 'zh' | 'en'; draft: Draft; onCancel: () => void; onSaved: () => void }) {
  const { t, lang, draft } = props;
  const [values, setValues] = useState(draft.values);
  const [region, setRegion] = useState(draft.region);
  const [isDefault, setIsDefault] = useState(draft.isDefault);
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const picked = regionText(region);
    const found = check(values, t, picked !== '');
    if (Object.keys(found).length > 0) {
      setErrors({ fields: found, top: null });
      focusFirst(fields, found, prefix);
      return;
    }
    const typed = values.address.trim();
    const body = {
      name: values.name.trim(),
      phone: phoneDigits(values.phone),
      address: picked && !typed.startsWith(picked) ? `${picked} ${typed}` : typed,
      ...(isDefault ? { isDefault: true } : {}),
    };
    setBusy(true);
    const res = draft.id
      ? await api(`/members/me/addresses/${draft.id}`, { method: 'PUT', body })
      : await api('/members/me/addresses', { method: 'POST', body });
    setBusy(false);
    if (res.ok) props.onSaved();
    else setErrors(placeError(res.error, fields, prefix));
  }

  const field = (f: Field) => ({
    id: `${prefix}${f}`,
    label: t.labels[f],
    error: errors.fields[f],
    value: values[f],
    onInput: (e: { currentTarget: { value: string } }) => setValues((v) => ({ ...v, [f]: e.currentTarget.value })),
  });

  return (
    <form class="card stack" onSubmit={submit} noValidate aria-busy={busy} aria-labelledby="ad-title">
      <h2 id="ad-title">{draft.id ? t.editTitle : t.newTitle}</h2>
      <Alert message={errors.top} />
      <TextField {...field('name')} autocomplete="name" maxLength={40} required />
      <TextField
        {...field('phone')}
        type="tel"
        inputMode="numeric"
        autocomplete="tel-national"
        maxLength={PHONE_MAX_TYPED}
        required
      />
      <RegionPicker value={region} onChange={setRegion} lang={lang} idPrefix={prefix} />
      <TextField {...field('address')} hint={t.addressHint} autocomplete="street-address" maxLength={200} required />
      {draft.isDefault && draft.id ? null : (
        <label class="check">
          <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.currentTarget.checked)} />{' '}
          {t.asDefault}
        </label>
      )}
      <div class="address-actions">
        <button type="button" class="btn secondary" onClick={props.onCancel}>
          {t.cancel}
        </button>
        <button type="submit" class="btn" disabled={busy}>
          {busy ? t.busy : t.save}
        </button>
      </div>
    </form>
  );
}
