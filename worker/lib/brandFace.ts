import type { BrandInfo } from '../../db/brandInfo';
import type { BrandTheme } from '../../db/schema';

// The browser bar colour of each theme; the page colours of the same themes are in site/src/styles/global.css.
export const themeColors: Record<BrandTheme, string> = {
  teal: '#0f6e66',
  red: '#b3261e',
  rose: '#b4235a',
  orange: '#b5470b',
  gold: '#8a5a00',
  green: '#2b7a3b',
  blue: '#1d5fb4',
  purple: '#5b3cc4',
  black: '#222222',
};

const attrEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// setAttribute escapes only the quote (see worker/routes/shop.ts attrText).
const attrText = (text: string) => text.replace(/[&<>]/g, (ch) => attrEscapes[ch] ?? ch);

/**
 * Dresses a consumer page (built with Base.astro's `consumer`) in the brand: its name in the title and header, its
 * logo and theme. `titled` false leaves the title to the caller (the shop page writes its own).
 */
export function wearBrand(rewriter: HTMLRewriter, info: BrandInfo, titled = true): HTMLRewriter {
  const name = info.name;
  return rewriter
    .on('html', {
      element(el) {
        if (info.theme !== 'teal') el.setAttribute('data-theme', info.theme);
        const en = el.getAttribute('data-title-en');
        if (titled && name && en) el.setAttribute('data-title-en', attrText(`${en} · ${name}`));
      },
    })
    .on('title', {
      element(el) {
        if (titled && name) el.append(` · ${name}`);
      },
    })
    .on('meta[name="theme-color"]', {
      element(el) {
        el.setAttribute('content', themeColors[info.theme]);
      },
    })
    .on('.brand-name', {
      element(el) {
        if (name) el.setInnerContent(name);
      },
    })
    .on('.brand-logo', {
      element(el) {
        if (!info.logoUrl) {
          el.remove();
          return;
        }
        el.setAttribute('src', attrText(info.logoUrl));
        el.removeAttribute('hidden');
      },
    });
}
