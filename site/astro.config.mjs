import preact from '@astrojs/preact';
import { defineConfig } from 'astro/config';
import { preloadIslands } from './integrations/preloadIslands.mjs';
import { securityHeaders } from './integrations/securityHeaders.mjs';

// Static build served by the Worker through Workers Static Assets: `build.format: 'file'` writes join.html,
// which the assets binding serves at /join without a trailing-slash redirect (one round trip less on a slow network).
export default defineConfig({
  output: 'static',
  integrations: [preact(), preloadIslands(), securityHeaders()],
  // The stylesheet is small and most visits open a single page (a link shared in WeChat), so it is inlined.
  build: { format: 'file', inlineStylesheets: 'always' },
  trailingSlash: 'never',
  devToolbar: { enabled: false },
});
