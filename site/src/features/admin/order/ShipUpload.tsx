import { useState } from 'preact/hooks';
import { parseCsv } from '../../../lib/csv';
import type { Lang } from '../../../lib/i18n';
import { call } from '../http';

const MAX_ROWS = 500;
// The API ships at most 50 rows a request.
const CHUNK = 50;

const text = {
  zh: {
    title: '表格批量发货',
    lead: '上传 CSV 表格，三列：订单号、快递公司、快递单号（可在导出的订单 CSV 中填好快递公司和快递单号后直接上传）。每次最多 500 行，每行单独发货，失败的行会列出原因。',
    file: '选择表格文件（CSV）',
    busy: (done: number, all: number) => `发货中… ${done}/${all}`,
    tooMany: `一次最多上传 ${MAX_ROWS} 行，请拆分表格`,
    empty: '表格里没有找到订单行',
    unreadable: '无法读取该文件，请上传 CSV 格式的表格',
    summary: (ok: number, failed: number) => `已发货 ${ok} 单${failed ? `，${failed} 行失败：` : '。'}`,
    failedList: '发货失败的行',
    row: (n: number) => `第 ${n} 行`,
    network: '网络错误，请重试',
  },
  en: {
    title: 'Ship from a spreadsheet',
    lead: 'Upload a CSV with three columns: order number, carrier, tracking number (the exported orders CSV works once its carrier and tracking columns are filled in). Up to 500 rows; each row ships on its own and failed rows are listed with the reason.',
    file: 'Choose a spreadsheet (CSV)',
    busy: (done: number, all: number) => `Shipping… ${done}/${all}`,
    tooMany: `At most ${MAX_ROWS} rows per upload; split the file`,
    empty: 'No order rows found in the file',
    unreadable: 'Could not read the file; upload a CSV',
    summary: (ok: number, failed: number) => `${ok} shipped${failed ? `, ${failed} rows failed:` : '.'}`,
    failedList: 'Rows that failed',
    row: (n: number) => `Row ${n}`,
    network: 'Network error, try again',
  },
};

interface Row {
  row: number;
  order: string;
  carrier: string;
  trackingNo: string;
}
interface Result {
  row: number;
  orderId: string;
  ok: boolean;
  message?: string;
}

const heads = {
  order: ['订单号', 'order', 'order no.', 'order number'],
  carrier: ['快递公司', 'carrier'],
  trackingNo: ['快递单号', 'tracking no.', 'tracking number', 'tracking'],
};

/** The rows to ship: columns found by their heading (as the orders CSV names them), else the first three. */
function shipRows(table: string[][]): Row[] {
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const at = (names: string[]) => header.findIndex((h) => names.includes(h));
  const found = { order: at(heads.order), carrier: at(heads.carrier), trackingNo: at(heads.trackingNo) };
  const hasHeader = found.order >= 0;
  const col = hasHeader ? found : { order: 0, carrier: 1, trackingNo: 2 };
  const seen = new Set<string>();
  const rows: Row[] = [];
  table.forEach((cells, i) => {
    if (hasHeader && i === 0) return;
    const row = {
      row: i + 1,
      order: (cells[col.order] ?? '').trim().slice(0, 200),
      carrier: (cells[col.carrier] ?? '').trim().slice(0, 200),
      trackingNo: (cells[col.trackingNo] ?? '').trim().slice(0, 200),
    };
    // The orders CSV has a row per product: the same parcel on a second line is the same shipment.
    const key = `${row.order.toLowerCase()}|${row.carrier}|${row.trackingNo}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push(row);
  });
  return rows;
}

/** 表格批量发货: a CSV of order number, carrier and tracking number, shipped row by row with each failure's reason. */
export function ShipUpload({ lang, onShipped }: { lang: Lang; onShipped: () => void }) {
  const t = text[lang];
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [results, setResults] = useState<Result[] | null>(null);

  async function upload(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    setResults(null);
    let rows: Row[];
    try {
      rows = shipRows(parseCsv(await file.text()));
    } catch {
      setError(t.unreadable);
      return;
    } finally {
      input.value = '';
    }
    if (rows.length === 0) return setError(t.empty);
    if (rows.length > MAX_ROWS) return setError(t.tooMany);
    const done: Result[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      setBusy(t.busy(i, rows.length));
      const res = await call<{ results: Result[] }>('/orders/ship-rows', {
        method: 'POST',
        body: { rows: rows.slice(i, i + CHUNK) },
      });
      if (!res.ok) {
        setError(res.error.message || t.network);
        break;
      }
      done.push(...res.data.results);
    }
    setBusy(null);
    setResults(done);
    if (done.some((r) => r.ok)) onShipped();
  }

  const failed = results?.filter((r) => !r.ok) ?? [];
  return (
    <section class="card" aria-labelledby="ad-ship-upload">
      <h3 id="ad-ship-upload">{t.title}</h3>
      <p class="muted">{t.lead}</p>
      <div class="field">
        <label for="ad-ship-file">{t.file}</label>
        <input id="ad-ship-file" type="file" accept=".csv,text/csv" onChange={upload} disabled={busy !== null} />
      </div>
      {busy ? <p role="status">{busy}</p> : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {results ? (
        <div role="status" data-testid="ship-upload-result">
          <p>{t.summary(results.filter((r) => r.ok).length, failed.length)}</p>
          {failed.length > 0 ? (
            <ul class="ad-ship-fails" aria-label={t.failedList}>
              {failed.map((r) => (
                <li key={r.row} data-testid={`ship-row-${r.row}`}>
                  <strong>{t.row(r.row)}</strong> · <span class="ad-id">{r.orderId || '—'}</span> · {r.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
