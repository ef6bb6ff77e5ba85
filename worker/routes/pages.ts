import { Hono } from 'hono';
import { brandInfo } from '../../db/brandInfo';
import type { AppEnv } from '../env';
import { wearBrand } from '../lib/brandFace';
import { oauthDetour } from './wechatOauth';

// Consumer pages are static, but they wear the brand: the Worker takes each from the assets and writes the brand's
// name, logo and theme in with HTMLRewriter (brandInfo is a per-isolate copy, so this costs no D1 read most times).
// Pages whose path carries a value answer with their static page, which reads the value from the path:
// /c/<certificate number> is a certificate; /v/<code> verifies an anti-counterfeit code (the URL printed in its QR).
// Every path here is listed in wrangler.toml's run_worker_first.
export const CONSUMER_PAGES = [
  '/product',
  '/cart',
  '/checkout',
  '/order',
  '/orders',
  '/addresses',
  '/signup',
  '/verify',
  '/report',
];

async function branded(c: { env: AppEnv['Bindings']; var: AppEnv['Variables']; req: { url: string } }, path: string) {
  const [asset, info] = await Promise.all([c.env.ASSETS.fetch(new URL(path, c.req.url)), brandInfo(c.var.db)]);
  if (!asset.ok || !/^text\/html\b/i.test(asset.headers.get('content-type') ?? '')) return asset;
  const headers = new Headers(asset.headers);
  // The body changes, so the asset's validators and length no longer describe it.
  for (const name of ['etag', 'content-length', 'last-modified']) headers.delete(name);
  const page = wearBrand(new HTMLRewriter(), info).transform(asset);
  return new Response(page.body, { status: asset.status, headers });
}

export const pages = new Hono<AppEnv>()
  .get('/c/:number', (c) => branded(c, '/c'))
  .get('/v/:code', (c) => branded(c, '/v'))
  .get('/c', (c) => branded(c, '/c'))
  .get('/v', (c) => branded(c, '/v'));
for (const path of CONSUMER_PAGES) {
  // Checkout in WeChat needs the payer's openid: one silent OAuth round first (see wechatOauth.ts).
  pages.get(path, (c) => (path === '/checkout' && oauthDetour(c)) || branded(c, path));
}
