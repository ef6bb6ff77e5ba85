// Security headers for every page of the static build, written into dist/_headers (Workers Static Assets applies it
// to the assets it serves, with or without the Worker). The CSP allows the pages' inline scripts and styles by their
// SHA-256 (Astro's island loader, the language switch, the inlined stylesheet), so no 'unsafe-inline' script and no
// 'unsafe-eval'; res.wx.qq.com is the WeChat JS-SDK the shop loads for its share card.
import { createHash } from 'node:crypto';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const inlineScript = /<script\b([^>]*)>([\s\S]*?)<\/script>/g;
const inlineStyle = /<style\b[^>]*>([\s\S]*?)<\/style>/g;
// Data islands are not run, so they need no hash.
const dataType = /\btype="application\/(?:ld\+)?json"/;

/** @param {string} text */
const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page policy for a set of inline script and style hashes. @param {string[]} scripts @param {string[]} styles */
export function pagePolicy(scripts, styles) {
  return [
    "default-src 'self'",
    `script-src 'self' ${scripts.join(' ')} https://res.wx.qq.com`.replace(/ +/g, ' '),
    `style-src 'self' ${styles.join(' ')}`.trim(),
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** @returns {import('astro').AstroIntegration} */
export function securityHeaders() {
  return {
    name: 'agentry:security-headers',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        const pages = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.html'));
        const scripts = new Set();
        const styles = new Set();
        for (const page of pages) {
          const html = await readFile(path.join(dist, page), 'utf8');
          for (const [, attrs, body] of html.matchAll(inlineScript)) {
            if (!/\bsrc=/.test(attrs ?? '') && !dataType.test(attrs ?? '')) scripts.add(sha256(body ?? ''));
          }
          for (const [, body] of html.matchAll(inlineStyle)) styles.add(sha256(body ?? ''));
          if (/<[^>]+\sstyle="/.test(html)) throw new Error(`${page}: a style attribute would be refused by the CSP`);
        }
        const headers = [
          '',
          '# Written by site/integrations/securityHeaders.mjs at build: every page and asset.',
          '/*',
          `  Content-Security-Policy: ${pagePolicy([...scripts].sort(), [...styles].sort())}`,
          '  X-Frame-Options: DENY',
          '  X-Content-Type-Options: nosniff',
          '  Referrer-Policy: strict-origin-when-cross-origin',
          '',
          // A policy governs the document (or worker) it arrives with; on a script or stylesheet it does nothing, yet
          // its ~1 KB would go with each of a page's scripts over the slow networks shop links are opened on.
          '/_astro/*',
          '  Cache-Control: public, max-age=31536000, immutable',
          '  ! Content-Security-Policy',
          '  ! X-Frame-Options',
          '',
        ].join('\n');
        await appendFile(path.join(dist, '_headers'), headers);
        logger.info(`_headers: CSP with ${scripts.size} script and ${styles.size} style hashes`);
      },
    },
  };
}
