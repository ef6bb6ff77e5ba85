/**
 * A `next` target honoured after signing in or up, only when it stays on this site. The string is parsed the way the
 * browser will parse it (tabs and newlines dropped, `\` read as `/`), so `/%09/evil.example`, `//evil`, `/\evil` and
 * `javascript:` all resolve to another origin and are refused; what passes is returned as the absolute URL the
 * parser made, so nothing can read it differently later.
 */
export function safeNext(next: string | null, origin: string = location.origin): string | null {
  if (!next) return null;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return null;
  }
  return url.origin === origin ? url.href : null;
}
