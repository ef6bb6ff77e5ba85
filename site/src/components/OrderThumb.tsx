import type { Lang } from '../lib/i18n';

const text = {
  zh: { more: (n: number) => `等 ${n} 种商品`, none: '无商品' },
  en: { more: (n: number) => `+${n - 1} more`, none: 'No products' },
};

/** An order in a list shown by its first product: the picture (or a blank tile) and the name. */
export function OrderThumb({
  lang,
  name,
  thumbnail,
  lineCount,
}: {
  lang: Lang;
  name: string | null;
  thumbnail: string | null;
  lineCount: number;
}) {
  const t = text[lang];
  return (
    <span class="order-thumb">
      {thumbnail ? (
        <img src={thumbnail} alt="" width={40} height={40} loading="lazy" decoding="async" />
      ) : (
        <span class="order-thumb-blank" aria-hidden="true" />
      )}
      <span class="order-thumb-name">
        {name ?? t.none}
        {lineCount > 1 ? <small class="muted"> {t.more(lineCount)}</small> : null}
      </span>
    </span>
  );
}
