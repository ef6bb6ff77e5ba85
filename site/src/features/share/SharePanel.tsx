import { useState } from 'preact/hooks';
import type { Lang } from '../../lib/i18n';
import type { PosterInput } from './poster';

const text = {
  zh: {
    share: '分享',
    close: '收起分享',
    poster: '生成海报',
    drawing: '海报生成中…',
    posterAlt: (name: string) => `${name}的分享海报`,
    save: '保存图片',
    longPress: '长按图片可保存或发送给朋友',
    copy: '复制链接',
    copied: '链接已复制',
    copyFailed: '无法自动复制，请长按上面的链接手动复制',
    system: '发送给朋友',
    wechat: '在微信中：点右上角「···」发送给朋友或分享到朋友圈',
    failed: '海报生成失败，请稍后再试',
    link: '链接',
    scan: '长按识别二维码，进店看看',
  },
  en: {
    share: 'Share',
    close: 'Hide sharing',
    poster: 'Make a poster',
    drawing: 'Drawing the poster…',
    posterAlt: (name: string) => `Poster of ${name}`,
    save: 'Save the image',
    longPress: 'Long-press the image to save it or send it to a friend',
    copy: 'Copy link',
    copied: 'Link copied',
    copyFailed: 'Could not copy; long-press the link above to copy it',
    system: 'Send to a friend',
    wechat: 'In WeChat: tap “···” at the top right to send or post to Moments',
    failed: 'Could not draw the poster; try again later',
    link: 'Link',
    scan: 'Scan the QR code to visit the shop',
  },
};

export interface ShareProps {
  lang: Lang;
  /** Path of the shared page, e.g. /s/abcd1234 */
  path: string;
  title: string;
  /** The message sent with the link. It never promises a reward for sharing (WeChat's rules on 诱导分享). */
  message: string;
  poster: Omit<PosterInput, 'url' | 'scanHint'>;
  /** File name of the saved poster, without extension. */
  fileName: string;
}

type PosterState = { kind: 'none' } | { kind: 'drawing' } | { kind: 'done'; src: string } | { kind: 'failed' };

const inWechat = () => /MicroMessenger/i.test(navigator.userAgent);

/** Share a shop or a product: a poster made on the phone, the link to copy, and the system share sheet where there is one. */
export function SharePanel({ lang, path, title, message, poster, fileName }: ShareProps) {
  const t = text[lang];
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<PosterState>({ kind: 'none' });
  const [copyNote, setCopyNote] = useState<string | null>(null);
  const url = typeof location === 'undefined' ? path : `${location.origin}${path}`;
  const id = `share-${fileName}`;

  async function makePoster() {
    setState({ kind: 'drawing' });
    try {
      const { drawPoster } = await import('./poster');
      setState({ kind: 'done', src: await drawPoster({ ...poster, url, scanHint: t.scan }) });
    } catch {
      setState({ kind: 'failed' });
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopyNote(t.copied);
    } catch {
      const input = document.getElementById(`${id}-url`) as HTMLInputElement | null;
      input?.select();
      setCopyNote(document.execCommand?.('copy') ? t.copied : t.copyFailed);
    }
  }

  async function systemShare() {
    try {
      await navigator.share({ title, text: message, url });
    } catch {
      // dismissed by the user
    }
  }

  return (
    <div class="share">
      <button
        type="button"
        class="btn secondary"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen(!open)}
      >
        {open ? t.close : t.share}
      </button>
      {open ? (
        <div class="card share-panel" id={`${id}-panel`}>
          <label for={`${id}-url`}>{t.link}</label>
          <input id={`${id}-url`} readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          <div class="share-actions">
            <button type="button" class="btn secondary" onClick={copy}>
              {t.copy}
            </button>
            <button type="button" class="btn" onClick={makePoster} disabled={state.kind === 'drawing'}>
              {state.kind === 'drawing' ? t.drawing : t.poster}
            </button>
            {'share' in navigator ? (
              <button type="button" class="btn secondary" onClick={systemShare}>
                {t.system}
              </button>
            ) : null}
          </div>
          <p class="hint" role="status">
            {copyNote}
          </p>
          {inWechat() ? <p class="hint">{t.wechat}</p> : null}
          {state.kind === 'failed' ? (
            <p class="alert" role="alert">
              {t.failed}
            </p>
          ) : null}
          {state.kind === 'done' ? (
            <figure class="poster">
              <img src={state.src} alt={t.posterAlt(poster.shopName)} width={750} height={1180} />
              <figcaption class="hint">{t.longPress}</figcaption>
              <a class="btn secondary" href={state.src} download={`${fileName}.png`}>
                {t.save}
              </a>
            </figure>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
