import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../../../components/Field';
import { formatFen, parseYuanToFen } from '../../../lib/money';
import { call } from '../http';
import type { Page } from '../types';
import type { BoardTeamRow } from './types';

const text = {
  zh: {
    title: '团队 PK（本月业绩）',
    rank: '名次',
    team: '团队（团队长）',
    sales: '业绩',
    target: '月目标',
    progress: '完成度',
    setTarget: '设定目标',
    targetOf: (name: string) => `${name}团队的月目标（元）`,
    save: '保存',
    badAmount: '请输入大于 0 的金额，如 5000 或 5000.50',
    none: '本月暂无团队业绩',
    more: '加载更多',
  },
  en: {
    title: 'Team PK (sales this month)',
    rank: 'Rank',
    team: 'Team (head)',
    sales: 'Sales',
    target: 'Target',
    progress: 'Progress',
    setTarget: 'Set target',
    targetOf: (name: string) => `Monthly target of ${name}’s team (CNY)`,
    save: 'Save',
    badAmount: 'Enter an amount above 0, such as 5000 or 5000.50',
    none: 'No team sales this month yet',
    more: 'Load more',
  },
};

function TargetForm({
  row,
  month,
  lang,
  onSaved,
}: {
  row: BoardTeamRow;
  month: string;
  lang: 'zh' | 'en';
  onSaved: () => void;
}) {
  const t = text[lang];
  const [value, setValue] = useState(row.targetFen ? String(row.targetFen / 100) : '');
  const [error, setError] = useState<string | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    const fen = parseYuanToFen(value);
    if (!fen) return setError(t.badAmount);
    const res = await call('/board/targets', { method: 'PUT', body: { month, teamId: row.teamId, salesFen: fen } });
    if (!res.ok) return setError(res.error.message);
    setError(null);
    onSaved();
  };
  return (
    <form class="db-target" onSubmit={save}>
      <input
        inputMode="decimal"
        aria-label={t.targetOf(row.name)}
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
      />
      <button type="submit" class="btn ad-btn">
        {t.save}
      </button>
      {error ? (
        <span class="error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}

/** The brand's team PK: every team ranked by net sales this month, with its target and progress. */
export function TeamBoard({ lang, month }: { lang: 'zh' | 'en'; month: string }) {
  const t = text[lang];
  const [items, setItems] = useState<BoardTeamRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  const load = async (after: string | null) => {
    const res = await call<Page<BoardTeamRow>>('/board/teams', {
      query: { month, metric: 'sales', limit: 20, cursor: after ?? undefined },
    });
    if (!res.ok) return setError(res.error.message);
    setItems((old) => (after ? [...old, ...res.data.items] : res.data.items));
    setCursor(res.data.nextCursor);
  };
  useEffect(() => {
    load(null);
  }, [month, version]);

  return (
    <section class="card" aria-labelledby="db-teams">
      <h3 id="db-teams">{t.title}</h3>
      <Alert message={error} />
      {items.length === 0 ? (
        <p class="muted">{t.none}</p>
      ) : (
        <table class="ad-table db-teams">
          <thead>
            <tr>
              <th scope="col">{t.rank}</th>
              <th scope="col">{t.team}</th>
              <th scope="col">{t.sales}</th>
              <th scope="col">{t.progress}</th>
              <th scope="col">{t.setTarget}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((row) => (
              <tr key={row.teamId}>
                <td>{row.rank}</td>
                <td>{row.name}</td>
                <td>{formatFen(row.value)}</td>
                <td>
                  {row.progressBp === null || row.targetFen === null ? (
                    '–'
                  ) : (
                    <>
                      <progress max={10_000} value={Math.min(10_000, row.progressBp)} aria-label={t.progress} />{' '}
                      {(row.progressBp / 100).toFixed(1)}% / {formatFen(row.targetFen)}
                    </>
                  )}
                </td>
                <td>
                  <TargetForm row={row} month={month} lang={lang} onSaved={() => setVersion((v) => v + 1)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor ? (
        <button type="button" class="btn secondary ad-btn" onClick={() => load(cursor)}>
          {t.more}
        </button>
      ) : null}
    </section>
  );
}
