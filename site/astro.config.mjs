import preact from '@astrojs/preact';
import { defineConfig } from 'astro/config';
import { preloadIslands } from './integrations/preloadIslands.mjs';
import { securityHeaders } from './integrations/securityHeaders.mjs';

/** @param {string} id */
function coreChunk(id) {
  if (/[\\/]node_modules[\\/]preact[\\/]/.test(id)) return 'core';
  if (/[\\/]site[\\/]src[\\/]lib[\\/](api|hooks|i18n|money)\.ts$/.test(id)) return 'core';
  if (id.includes('vite/preload-helper')) return 'core';
  // The cart and the shop's own types: the shop, product, cart, checkout and order pages all load them.
  if (/[\\/]site[\\/]src[\\/]features[\\/]shop[\\/](cart|cartStore|types)\.ts$/.test(id)) return 'shop';
  return undefined;
}

// Static build served by the Worker through Workers Static Assets: `build.format: 'file'` writes join.html,
// which the assets binding serves at /join without a trailing-slash redirect (one round trip less on a slow network).
export default defineConfig({
  output: 'static',
  // Not on the shop link's template: there the first row of pictures is the largest paint, and on a slow link the
  // island's modules, preloaded, would share the bandwidth with it; the island asks for them when it starts.
  integrations: [preact(), preloadIslands({ skip: ['shop-template.html'] }), securityHeaders()],
  // The stylesheet is small and most visits open a single page (a link shared in WeChat), so it is inlined.
  build: { format: 'file', inlineStylesheets: 'always' },
  trailingSlash: 'never',
  // Every script is one more request on a slow phone network, and its headers count: Preact and the helpers nearly
  // every island imports (API calls, language, money) go in one chunk rather than six small ones.
  vite: { build: { rollupOptions: { output: { manualChunks: coreChunk } } } },
  devToolbar: { enabled: false },
});
