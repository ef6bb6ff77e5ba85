import { Hono } from 'hono';
import type { AppEnv } from '../env';

// Swagger UI from the site's own assets (copied from swagger-ui-dist at build), so the docs work offline too.
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Agentry API</title><link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs-assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });</script></body></html>`;

export const docs = new Hono<AppEnv>().get('/docs', (c) => c.html(page));
