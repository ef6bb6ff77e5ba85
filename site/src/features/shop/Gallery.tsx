import { useRef, useState } from 'preact/hooks';

/** The product's pictures, large, swiped sideways (scroll snap); the dots say which one shows and jump to any. */
export function Gallery({ images, name, lang }: { images: string[]; name: string; lang: 'zh' | 'en' }) {
  const strip = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(0);
  if (images.length === 0) return <span class="product-img" aria-hidden="true" />;
  if (images.length === 1) return <img class="product-img" src={images[0]} alt={name} width={400} height={400} />;

  const onScroll = () => {
    const el = strip.current;
    if (el) setShown(Math.round(el.scrollLeft / Math.max(1, el.clientWidth)));
  };
  const go = (i: number) => {
    const el = strip.current;
    el?.scrollTo({ left: i * el.clientWidth, behavior: 'smooth' });
  };
  const label = (i: number) =>
    lang === 'en' ? `Picture ${i + 1} of ${images.length}` : `第 ${i + 1} 张，共 ${images.length} 张`;
  return (
    <div class="gallery">
      <div class="gallery-strip" ref={strip} onScroll={onScroll}>
        {images.map((src, i) => (
          <img
            key={src}
            class="product-img"
            src={src}
            alt={`${name}（${label(i)}）`}
            width={400}
            height={400}
            loading={i === 0 ? 'eager' : 'lazy'}
          />
        ))}
      </div>
      <div class="gallery-dots">
        {images.map((src, i) => (
          <button
            key={src}
            type="button"
            aria-label={label(i)}
            aria-current={i === shown ? 'true' : undefined}
            onClick={() => go(i)}
          />
        ))}
      </div>
    </div>
  );
}
