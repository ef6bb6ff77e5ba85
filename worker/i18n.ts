export type Lang = 'zh' | 'en';

// zh-CN unless the client asks for English first.
export function pickLang(acceptLanguage: string | undefined | null): Lang {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
