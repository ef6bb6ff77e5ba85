import { PagedList } from '../../components/PagedList';
import { usePaged } from '../../lib/paged';
import { copyText } from './clipboard';
import type { ConsoleContext } from './context';
import { call } from './http';
import type { Page } from './types';

/** GET /api/materials item. */
interface Material {
  id: string;
  title: string;
  body: string;
  images: string[];
  pinned: boolean;
  createdAt: number;
}

const text = {
  zh: {
    title: '素材库',
    lead: '品牌方准备的朋友圈文案和图片：复制文案，长按或点「保存」存下图片，再发朋友圈。',
    empty: '品牌方还没有发布素材。',
    pinned: '置顶',
    copy: '复制文案',
    copied: '文案已复制，去朋友圈粘贴吧',
    copyFailed: '复制失败，请长按文案复制',
    save: (n: number) => `保存图片 ${n}`,
    image: (title: string, n: number) => `${title}的图片 ${n}`,
  },
  en: {
    title: 'Material library',
    lead: 'Moments copy and pictures from the brand: copy the text, long-press or tap Save for the pictures, then post.',
    empty: 'The brand has not posted any material yet.',
    pinned: 'Pinned',
    copy: 'Copy text',
    copied: 'Copied; paste it into Moments',
    copyFailed: 'Could not copy; long-press the text',
    save: (n: number) => `Save picture ${n}`,
    image: (title: string, n: number) => `${title}, picture ${n}`,
  },
};

/** 素材库: the brand's copy with one-tap copy, and its pictures to save. */
export function Materials({ ctx, notify }: { ctx: ConsoleContext; notify: (m: string) => void }) {
  const t = text[ctx.lang];
  const paged = usePaged((cursor) => call<Page<Material>>('/materials', { query: { cursor, limit: 10 } }), 'materials');
  return (
    <section class="card" aria-labelledby="cx-materials">
      <h2 id="cx-materials">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <PagedList paged={paged} lang={ctx.lang} empty={t.empty}>
        {(items) => (
          <ul class="cx-list" aria-label={t.title}>
            {items.map((m) => (
              <li key={m.id} class="cx-item" data-testid={`material-${m.id}`}>
                <strong>{m.title}</strong>
                {m.pinned ? <span class="badge cx-info cx-pinned">{t.pinned}</span> : null}
                <p class="cx-material-body">{m.body}</p>
                {m.images.length > 0 ? (
                  <ul class="cx-material-images">
                    {m.images.map((src, i) => (
                      <li key={src}>
                        <img src={src} alt={t.image(m.title, i + 1)} loading="lazy" decoding="async" />
                        <a href={src} download target="_blank" rel="noopener">
                          {t.save(i + 1)}
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : null}
                <button
                  class="btn secondary cx-btn"
                  type="button"
                  onClick={async () => notify((await copyText(m.body)) ? t.copied : t.copyFailed)}
                >
                  {t.copy}
                </button>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
