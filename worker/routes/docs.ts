import { Hono } from 'hono';
import type { AppEnv } from '../env';

const init = "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });";

// Swagger UI from the site's own assets (copied from swagger-ui-dist at build), so the docs work offline too.
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Agentry API</title><link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs-assets/swagger-ui-bundle.js"></script>
<script>${init}</script></body></html>`;

let policy: string | undefined;
// Its one inline script by hash; Swagger UI sets inline styles. Kept as a string: a promise must not outlive a request.
async function docsPolicy(): Promise<string> {
  if (policy) return policy;
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(init)));
  policy =
    `default-src 'self'; script-src 'self' 'sha256-${btoa(String.fromCharCode(...hash))}'; ` +
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  return policy;
}

export const docs = new Hono<AppEnv>().get('/docs', async (c) => {
  c.header('Content-Security-Policy', await docsPolicy());
  return c.html(page);
});
