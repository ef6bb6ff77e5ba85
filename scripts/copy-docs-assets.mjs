#!/usr/bin/env node
// Copies Swagger UI's stylesheet and bundle from node_modules/swagger-ui-dist into site/public/docs-assets/,
// where the site build picks them up, so /api/docs works without a CDN. Run by `npm run build:site`.
// The folder is build output (gitignored).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/wrangler.mjs';

const from = path.join(ROOT, 'node_modules', 'swagger-ui-dist');
const to = path.join(ROOT, 'site', 'public', 'docs-assets');
const files = ['swagger-ui.css', 'swagger-ui-bundle.js'];

if (!existsSync(from)) {
  console.error(`copy-docs-assets: ${path.relative(ROOT, from)} is missing; run npm install first`);
  process.exit(1);
}
mkdirSync(to, { recursive: true });
for (const file of files) copyFileSync(path.join(from, file), path.join(to, file));
console.log(`copy-docs-assets: ${files.join(', ')} → ${path.relative(ROOT, to)}/`);
