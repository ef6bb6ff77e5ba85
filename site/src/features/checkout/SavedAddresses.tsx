import { useEffect, useState } from 'preact/hooks';
import { SelectField } from '../../components/Field';
import { api } from '../../lib/api';

/** GET /api/members/me/addresses */
export interface SavedAddress {
  id: string;
  name: string;
  phone: string;
  address: string;
  isDefault: boolean;
}

const text = {
  zh: { label: '常用地址', none: '填写新地址', save: '保存为常用地址', defaultMark: '（默认）' },
  en: { label: 'Saved addresses', none: 'A new address', save: 'Save as a saved address', defaultMark: ' (default)' },
};

/**
 * A member's saved addresses at checkout: the default fills the form at once, another can be picked, and a new one
 * can be saved once the order is placed (`save` says whether to).
 */
export function SavedAddresses(props: {
  lang: 'zh' | 'en';
  onPick: (a: SavedAddress) => void;
  save: boolean;
  onSave: (save: boolean) => void;
}) {
  const t = text[props.lang];
  const [items, setItems] = useState<SavedAddress[]>([]);
  const [picked, setPicked] = useState('');

  useEffect(() => {
    api<{ items: SavedAddress[] }>('/members/me/addresses').then((res) => {
      if (!res.ok) return;
      setItems(res.data.items);
      const first = res.data.items.find((a) => a.isDefault);
      if (first) {
        setPicked(first.id);
        props.onPick(first);
      }
    });
  }, []);

  return (
    <>
      {items.length > 0 ? (
        <SelectField
          id="co-saved"
          label={t.label}
          value={picked}
          onChange={(e) => {
            const id = e.currentTarget.value;
            setPicked(id);
            const found = items.find((a) => a.id === id);
            if (found) props.onPick(found);
          }}
        >
          <option value="">{t.none}</option>
          {items.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} {a.address}
              {a.isDefault ? t.defaultMark : ''}
            </option>
          ))}
        </SelectField>
      ) : null}
      {picked === '' ? (
        <label class="check">
          <input type="checkbox" checked={props.save} onChange={(e) => props.onSave(e.currentTarget.checked)} />{' '}
          {t.save}
        </label>
      ) : null}
    </>
  );
}

/** After an order is placed: the address it went to, saved for next time (a failure changes nothing of the order). */
export function saveAddress(body: { name: string; phone: string; address: string }): Promise<unknown> {
  return api('/members/me/addresses', { method: 'POST', body });
}
