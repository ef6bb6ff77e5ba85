import { useEffect, useState } from 'preact/hooks';
import { Segmented, SelectField } from '../../components/Field';
import { PictureInput } from '../../components/PictureInput';
import { formatFen } from '../../lib/money';
import { copyText } from './clipboard';
import type { ConsoleContext } from './context';
import { call } from './http';
import { Materials } from './Materials';
import { Toast, useNotice } from './notice';

type Kind = 'shop' | 'invite' | 'product';

/** GET /api/shops/{code}/products item. */
interface ShopProduct {
  id: string;
  name: string;
  image: string | null;
  retailFen: number;
}

const text = {
  zh: {
    title: '分享海报',
    lead: '生成带二维码的海报，保存后发给朋友或发朋友圈。扫码即进入您的店铺或招商页。',
    kind: '海报类型',
    kinds: { shop: '店铺海报', invite: '招商海报', product: '商品海报' } as Record<Kind, string>,
    headline: { shop: (brand: string) => `${brand}正品授权店`, invite: (brand: string) => `诚邀加入${brand}` },
    scan: { shop: '长按识别二维码，进店看看', invite: '长按识别二维码，了解加盟', product: '长按识别二维码，查看商品' },
    product: '商品',
    noProducts: '店铺暂无在售商品',
    price: (p: string) => `零售价 ${p}`,
    shopName: (name: string) => `${name}的小店`,
    recruit: (brand: string) => `${brand}招商`,
    badge: (brand: string, level: string) => `${brand}授权 ${level}`,
    make: '生成海报',
    drawing: '海报生成中…',
    alt: (kind: string) => `我的${kind}`,
    save: '保存图片（PNG）',
    longPress: '也可以长按图片保存或发送给朋友',
    failed: '海报生成失败，请稍后再试',
    copyLink: '复制链接',
    copied: '链接已复制',
    copyFailed: '复制失败，请长按链接复制',
    photo: '海报照片（选填，如本人或产品照片）',
    photoAlt: '我的海报照片',
    photoRemove: '移除照片',
  },
  en: {
    title: 'Share posters',
    lead: 'Make a poster with a QR code, save it and send it to friends or post it to Moments. Scanning opens your shop or invite page.',
    kind: 'Poster',
    kinds: { shop: 'Shop poster', invite: 'Recruiting poster', product: 'Product poster' } as Record<Kind, string>,
    headline: { shop: (brand: string) => `Authorized ${brand} shop`, invite: (brand: string) => `Join ${brand}` },
    scan: {
      shop: 'Scan the QR code to visit the shop',
      invite: 'Scan the QR code to learn about joining',
      product: 'Scan the QR code to see the product',
    },
    product: 'Product',
    noProducts: 'The shop has no products on sale',
    price: (p: string) => `Retail ${p}`,
    shopName: (name: string) => `${name}’s shop`,
    recruit: (brand: string) => `${brand} is recruiting`,
    badge: (brand: string, level: string) => `${brand} authorized ${level}`,
    make: 'Make the poster',
    drawing: 'Drawing the poster…',
    alt: (kind: string) => `My ${kind}`,
    save: 'Save the image (PNG)',
    longPress: 'Or long-press the image to save or send it',
    failed: 'Could not draw the poster; try again later',
    copyLink: 'Copy link',
    copied: 'Link copied',
    copyFailed: 'Could not copy; long-press the link',
    photo: 'Poster photo (optional: you or your products)',
    photoAlt: 'My poster photo',
    photoRemove: 'Remove the photo',
  },
};

type PosterState = { kind: 'none' } | { kind: 'drawing' } | { kind: 'done'; src: string } | { kind: 'failed' };

function Poster({ ctx, notify }: { ctx: ConsoleContext; notify: (m: string) => void }) {
  const t = text[ctx.lang];
  const [kind, setKind] = useState<Kind>('shop');
  const [state, setState] = useState<PosterState>({ kind: 'none' });
  const [photo, setPhoto] = useState<string | null>(null);
  const [photoError, setPhotoError] = useState<string | undefined>(undefined);
  const [products, setProducts] = useState<ShopProduct[] | null>(null);
  const [productId, setProductId] = useState('');
  const product = products?.find((p) => p.id === productId) ?? null;
  // A product poster opens the product in this agent's shop.
  const productUrl = product
    ? new URL(`/product?id=${encodeURIComponent(product.id)}&s=${ctx.me.code}`, ctx.me.shopUrl).href
    : ctx.me.shopUrl;
  const url = kind === 'shop' ? ctx.me.shopUrl : kind === 'invite' ? ctx.me.inviteUrl : productUrl;
  // Another kind of poster (or photo, or product) is another picture: the old one goes.
  useEffect(() => setState({ kind: 'none' }), [kind, photo, productId]);
  useEffect(() => {
    if (kind !== 'product' || products) return;
    void call<{ items: ShopProduct[] }>(`/shops/${ctx.me.code}/products`, { query: { limit: 50 } }).then((res) => {
      const items = res.ok ? res.data.items : [];
      setProducts(items);
      setProductId((id) => id || (items[0]?.id ?? ''));
    });
  }, [kind, products, ctx.me.code]);
  useEffect(() => {
    void call<{ photoUrl: string | null }>('/agents/me/photo').then((res) => res.ok && setPhoto(res.data.photoUrl));
  }, []);

  async function savePhoto(photoUrl: string | null) {
    setPhotoError(undefined);
    const res = await call<{ photoUrl: string | null }>('/agents/me/photo', { method: 'PUT', body: { photoUrl } });
    if (res.ok) setPhoto(res.data.photoUrl);
    else setPhotoError(res.error.message);
  }

  async function make() {
    setState({ kind: 'drawing' });
    try {
      // The poster and its QR encoder load only when someone asks for a poster.
      const { drawPoster } = await import('../share/poster');
      const src = await drawPoster({
        shopName: kind === 'invite' ? t.recruit(ctx.brandName) : t.shopName(ctx.me.name),
        agentName: ctx.me.name,
        badge: t.badge(ctx.brandName, ctx.me.levelName),
        headline:
          kind === 'product' && product
            ? product.name
            : t.headline[kind === 'invite' ? 'invite' : 'shop'](ctx.brandName),
        priceText: kind === 'product' && product ? t.price(formatFen(product.retailFen)) : undefined,
        // The product's own picture unless the agent chose a photo of its own.
        imageUrl: photo ?? (kind === 'product' ? product?.image : null),
        url,
        scanHint: t.scan[kind],
      });
      setState({ kind: 'done', src });
    } catch {
      setState({ kind: 'failed' });
    }
  }

  return (
    <section class="card" aria-labelledby="cx-poster">
      <h2 id="cx-poster">{t.title}</h2>
      <p class="muted">{t.lead}</p>
      <Segmented
        name="cx-poster-kind"
        legend={t.kind}
        value={kind}
        onChange={setKind}
        options={(['shop', 'invite', 'product'] as const).map((k) => ({ value: k, label: t.kinds[k] }))}
      />
      {kind === 'product' && products ? (
        products.length > 0 ? (
          <SelectField
            id="cx-poster-product"
            label={t.product}
            value={productId}
            onChange={(e) => setProductId(e.currentTarget.value)}
          >
            {products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · {formatFen(p.retailFen)}
              </option>
            ))}
          </SelectField>
        ) : (
          <p class="muted">{t.noProducts}</p>
        )
      ) : null}
      <p class="cx-copy">
        <span class="cx-url">{url}</span>
        <button
          class="btn secondary cx-btn"
          type="button"
          onClick={async () => notify((await copyText(url)) ? t.copied : t.copyFailed)}
        >
          {t.copyLink}
        </button>
      </p>
      {photo ? (
        <p class="cx-copy">
          <img class="picture-thumb" src={photo} alt={t.photoAlt} width={96} height={96} />
          <button class="btn secondary cx-btn" type="button" onClick={() => void savePhoto(null)}>
            {t.photoRemove}
          </button>
        </p>
      ) : null}
      <PictureInput
        id="cx-poster-photo"
        label={t.photo}
        lang={ctx.lang}
        error={photoError}
        onUploaded={(u) => void savePhoto(u)}
      />
      <button
        class="btn"
        type="button"
        onClick={make}
        disabled={state.kind === 'drawing' || (kind === 'product' && !product)}
      >
        {state.kind === 'drawing' ? t.drawing : t.make}
      </button>
      {state.kind === 'failed' ? (
        <p class="alert" role="alert">
          {t.failed}
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <figure class="cx-poster">
          <img src={state.src} alt={t.alt(t.kinds[kind])} width={750} height={1180} />
          <figcaption class="hint">{t.longPress}</figcaption>
          <a class="btn secondary" href={state.src} download={`${t.kinds[kind]}-${ctx.me.code}.png`}>
            {t.save}
          </a>
        </figure>
      ) : null}
    </section>
  );
}

/** 分享: shop, recruiting and product posters with the agent's QR, and the brand's 素材库 of copy and pictures. */
export function ShareTab({ ctx }: { ctx: ConsoleContext }) {
  const [notice, setNotice] = useNotice();
  return (
    <>
      <Poster ctx={ctx} notify={setNotice} />
      <Materials ctx={ctx} notify={setNotice} />
      <Toast message={notice} />
    </>
  );
}
