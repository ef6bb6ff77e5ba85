import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';

// What is not a page (API answers, SVG, the docs' own policy aside) may load nothing and be framed by no one.
export const API_CSP =
  "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; " +
  "form-action 'none'";
// A page that arrives without the build's policy (site/integrations/securityHeaders.mjs writes it into _headers and
// the assets answer with it) still gets one: its own scripts and styles, no inline script.
const PAGE_FALLBACK_CSP =
  "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; form-action 'self'; " +
  "frame-ancestors 'none'";

// Every answer the Worker gives, pages, API, 404s and assets fetched through it: no framing (the consoles approve,
// ship, refund and revoke; the shop has no reason to be framed either), no MIME sniffing, no full URL in Referer.
// An answer that sets a cookie is never stored by a shared cache.
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const headers = c.res.headers;
  if (!headers.has('Content-Security-Policy')) {
    const html = /^text\/html\b/i.test(headers.get('Content-Type') ?? '');
    c.header('Content-Security-Policy', html ? PAGE_FALLBACK_CSP : API_CSP);
  }
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
  if (headers.has('Set-Cookie')) c.header('Cache-Control', 'private, no-store');
};
