import { MAX_QTY } from './cart';

const text = {
  zh: { less: '减少数量', more: '增加数量' },
  en: { less: 'Fewer', more: 'More' },
};

/** − qty + with a typed-in number too; `label` names the product for screen readers. */
export function QtyStepper({
  id,
  label,
  qty,
  lang,
  onChange,
}: {
  id: string;
  label: string;
  qty: number;
  lang: 'zh' | 'en';
  onChange: (qty: number) => void;
}) {
  const t = text[lang];
  return (
    <div class="qty">
      <button type="button" aria-label={`${t.less}：${label}`} disabled={qty <= 1} onClick={() => onChange(qty - 1)}>
        −
      </button>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_QTY}
        value={qty}
        aria-label={label}
        onChange={(e) => {
          const n = Number(e.currentTarget.value);
          if (Number.isFinite(n) && n >= 1) onChange(n);
          else e.currentTarget.value = String(qty);
        }}
      />
      <button
        type="button"
        aria-label={`${t.more}：${label}`}
        disabled={qty >= MAX_QTY}
        onClick={() => onChange(qty + 1)}
      >
        +
      </button>
    </div>
  );
}
