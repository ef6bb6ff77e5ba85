// Islands load their component, which then imports Preact and shared chunks, which import more: a chain of round
// trips that a slow phone network makes long. After the build, each page gets <link rel="modulepreload"> for every
// module its islands import statically, so the browser fetches them all at once while it parses the page.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const islandUrl = /(?:component|renderer)-url="(\/_astro\/[^"]+\.js)"/g;
const staticImport = /\b(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["'](\.\/[^"']+\.js)["']/g;

/** @param {string} dist @param {string} url @param {Set<string>} seen */
async function collect(dist, url, seen) {
  if (seen.has(url)) return;
  seen.add(url);
  const code = await readFile(path.join(dist, url), 'utf8');
  for (const [, rel] of code.matchAll(staticImport)) {
    await collect(dist, path.posix.join(path.posix.dirname(url), rel), seen);
  }
}

/**
 * @param {{ skip?: string[] }} [options] pages (file names in dist) left without the preloads
 * @returns {import('astro').AstroIntegration}
 */
export function preloadIslands({ skip = [] } = {}) {
  return {
    name: 'agentry:preload-islands',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        const pages = (await readdir(dist, { recursive: true })).filter(
          (f) => f.endsWith('.html') && !skip.includes(f),
        );
        for (const page of pages) {
          const file = path.join(dist, page);
          const html = await readFile(file, 'utf8');
          const modules = new Set();
          for (const [, url] of html.matchAll(islandUrl)) await collect(dist, url, modules);
          if (modules.size === 0) continue;
          const links = [...modules].map((url) => `<link rel="modulepreload" href="${url}">`).join('');
          await writeFile(file, html.replace('</head>', `${links}</head>`));
          logger.info(`${page}: ${modules.size} modules preloaded`);
        }
      },
    },
  };
}
