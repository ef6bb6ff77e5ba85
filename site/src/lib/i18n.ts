export type Lang = 'zh' | 'en';

// Also read by the inline scripts in layouts/Base.astro.
const KEY = 'agentry.lang';

export function readLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}
