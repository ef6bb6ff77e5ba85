import { PictureInput } from './PictureInput';

/** What a form calls its pictures (product pictures, a 素材's pictures). */
export interface PictureListText {
  images: string;
  addImage: string;
  imageAlt: (n: number) => string;
  removeImage: (n: number) => string;
  remove: string;
  /** The mark on the first picture, when the first one is special (a product's cover). */
  first?: string;
}

/** A form's pictures: the uploaded ones with a remove button each, and an upload for one more (at most `max`). */
export function PictureList({
  id,
  images,
  onChange,
  text: t,
  lang,
  error,
  max = 9,
}: {
  id: string;
  images: readonly string[];
  onChange: (change: (images: string[]) => string[]) => void;
  text: PictureListText;
  lang: 'zh' | 'en';
  error?: string | undefined;
  max?: number;
}) {
  return (
    <fieldset class="ad-prices">
      <legend>{t.images}</legend>
      {images.length > 0 ? (
        <ul class="picture-list">
          {images.map((url, i) => (
            <li key={url}>
              <img src={url} alt={t.imageAlt(i + 1)} width={96} height={96} loading="lazy" />
              {i === 0 && t.first ? <span class="picture-first">{t.first}</span> : null}
              <button
                type="button"
                class="btn secondary inline"
                aria-label={t.removeImage(i + 1)}
                onClick={() => onChange((list) => list.filter((_, j) => j !== i))}
              >
                {t.remove}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <PictureInput
        id={id}
        label={t.addImage}
        lang={lang}
        error={error}
        disabled={images.length >= max}
        onUploaded={(url) => onChange((list) => (list.includes(url) ? list : [...list, url]))}
      />
    </fieldset>
  );
}
