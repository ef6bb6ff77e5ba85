import { useState } from 'preact/hooks';
import { Alert } from '../../components/Field';
import type { AdminContext } from './context';
import { ErrorLine } from './fields';
import { call, fieldText } from './http';
import type { Settings } from './types';
import { parseYuanToFen, yuanInput } from './yuan';

const MAX_LEVELS = 9;
const prefix = 'ad-lvl-';

const text = {
  zh: {
    title: '代理等级',
    lead: '第 1 级最高。首单金额是申请该等级时首次进货的金额。只能在末尾添加或删除等级；仍有代理持有或申请的等级不能删除。',
    rank: '等级',
    name: '名称',
    firstOrder: '首单金额（元）',
    nameOf: (rank: number) => `第 ${rank} 级名称`,
    amountOf: (rank: number) => `第 ${rank} 级首单金额（元）`,
    add: '添加等级',
    remove: '删除最后一级',
    save: '保存等级',
    busy: '保存中…',
    saved: '等级表已保存。',
    required: '请填写名称',
    amount: '请输入金额，如 3000 或 3000.50',
    max: `最多 ${MAX_LEVELS} 个等级`,
  },
  en: {
    title: 'Agent levels',
    lead: 'Level 1 is the highest. The first-order amount is what an applicant for the level first buys. Levels are added or removed at the end only; a level an agent holds or applies for cannot be removed.',
    rank: 'Level',
    name: 'Name',
    firstOrder: 'First order (yuan)',
    nameOf: (rank: number) => `Level ${rank} name`,
    amountOf: (rank: number) => `Level ${rank} first order (yuan)`,
    add: 'Add a level',
    remove: 'Remove the last level',
    save: 'Save levels',
    busy: 'Saving…',
    saved: 'Level table saved.',
    required: 'Enter a name',
    amount: 'Enter an amount such as 3000 or 3000.50',
    max: `At most ${MAX_LEVELS} levels`,
  },
};

interface Row {
  name: string;
  amount: string;
}
interface RowErrors {
  name?: string;
  amount?: string;
}

function rowsOf(settings: Settings): Row[] {
  return settings.levels.map((l) => ({ name: l.name, amount: yuanInput(l.firstOrderFen) }));
}

/** The level table: ranks 1..N with a name and a first-order amount; PUT replaces it whole. */
export function LevelsForm({ ctx, onSaved }: { ctx: AdminContext; onSaved: (message: string) => void }) {
  const t = text[ctx.lang];
  const [rows, setRows] = useState<Row[]>(() => rowsOf(ctx.settings));
  const [errors, setErrors] = useState<RowErrors[]>([]);
  const [top, setTop] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const edit = (i: number, key: keyof Row) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setRows((all) => all.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  };

  function focusRow(i: number, key: 'name' | 'amount') {
    document.getElementById(`${prefix}${key}-${i + 1}`)?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    setTop(null);
    const found: RowErrors[] = rows.map((r) => ({
      ...(r.name.trim() ? {} : { name: t.required }),
      ...(parseYuanToFen(r.amount) === null ? { amount: t.amount } : {}),
    }));
    const first = found.findIndex((e) => e.name || e.amount);
    setErrors(found);
    if (first >= 0) {
      focusRow(first, found[first]?.name ? 'name' : 'amount');
      return;
    }
    setBusy(true);
    const levels = rows.map((r, i) => ({
      rank: i + 1,
      name: r.name.trim(),
      firstOrderFen: parseYuanToFen(r.amount) ?? 0,
    }));
    const res = await call<Settings>('/brand/levels', { method: 'PUT', body: { levels } });
    setBusy(false);
    if (res.ok) {
      ctx.setSettings(res.data);
      setRows(rowsOf(res.data));
      setErrors([]);
      onSaved(t.saved);
      return;
    }
    // "levels.2.name": the third row's name; "levels" alone: the table as a whole.
    const match = /^levels\.(\d+)\.(name|firstOrderFen)$/.exec(res.error.field ?? '');
    if (match) {
      const i = Number(match[1]);
      const key = match[2] === 'name' ? 'name' : 'amount';
      setErrors(rows.map((_, j) => (j === i ? { [key]: fieldText(res.error) } : {})));
      focusRow(i, key);
    } else setTop(res.error.message);
  }

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="ad-levels" aria-busy={busy}>
      <h3 id="ad-levels">{t.title}</h3>
      <p class="muted">{t.lead}</p>
      <Alert message={top} />
      <table class="ad-levels">
        <thead>
          <tr>
            <th scope="col">{t.rank}</th>
            <th scope="col">{t.name}</th>
            <th scope="col">{t.firstOrder}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const rank = i + 1;
            const nameId = `${prefix}name-${rank}`;
            const amountId = `${prefix}amount-${rank}`;
            return (
              <tr key={rank}>
                <th scope="row">{rank}</th>
                <td>
                  <label class="visually-hidden" for={nameId}>
                    {t.nameOf(rank)}
                  </label>
                  <input
                    id={nameId}
                    value={row.name}
                    onInput={edit(i, 'name')}
                    maxLength={12}
                    aria-invalid={errors[i]?.name ? 'true' : undefined}
                    aria-describedby={`${nameId}-error`}
                  />
                  <ErrorLine id={`${nameId}-error`} message={errors[i]?.name} />
                </td>
                <td>
                  <label class="visually-hidden" for={amountId}>
                    {t.amountOf(rank)}
                  </label>
                  <input
                    id={amountId}
                    value={row.amount}
                    onInput={edit(i, 'amount')}
                    inputMode="decimal"
                    maxLength={16}
                    aria-invalid={errors[i]?.amount ? 'true' : undefined}
                    aria-describedby={`${amountId}-error`}
                  />
                  <ErrorLine id={`${amountId}-error`} message={errors[i]?.amount} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div class="ad-actions">
        <button
          class="btn secondary ad-btn"
          type="button"
          disabled={busy || rows.length >= MAX_LEVELS}
          title={rows.length >= MAX_LEVELS ? t.max : undefined}
          onClick={() => {
            setRows((all) => [...all, { name: '', amount: '0.00' }]);
            requestAnimationFrame(() => focusRow(rows.length, 'name'));
          }}
        >
          {t.add}
        </button>
        <button
          class="btn secondary ad-btn"
          type="button"
          disabled={busy || rows.length <= 1}
          onClick={() => {
            setRows((all) => all.slice(0, -1));
            setErrors((all) => all.slice(0, rows.length - 1));
          }}
        >
          {t.remove}
        </button>
        <button class="btn ad-btn" type="submit" disabled={busy}>
          {busy ? t.busy : t.save}
        </button>
      </div>
    </form>
  );
}
