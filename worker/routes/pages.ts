import { Hono } from 'hono';
import type { AppEnv } from '../env';

// Pages whose path carries a value: the Worker answers them with the static page, which reads the value from the path.
// /c/<certificate number> is a certificate; /v/<code> verifies an anti-counterfeit code (the URL printed in its QR).
export const pages = new Hono<AppEnv>()
  .get('/c/:number', (c) => c.env.ASSETS.fetch(new URL('/c', c.req.url)))
  .get('/v/:code', (c) => c.env.ASSETS.fetch(new URL('/v', c.req.url)));
