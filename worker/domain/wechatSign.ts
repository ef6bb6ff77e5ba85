// WeChat JS-SDK signing rules (附录1 JS-SDK使用权限签名算法): what is signed, and which pages may be signed.

export interface JsSignInput {
  ticket: string;
  nonceStr: string;
  timestamp: number;
  url: string;
}

/** The string WeChat hashes with SHA-1: these four keys in this order, values raw (not URL-encoded). */
export function jsSignatureBase({ ticket, nonceStr, timestamp, url }: JsSignInput): string {
  return `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`;
}

/** The URL as WeChat signs it: everything before the #fragment. */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/**
 * The JS safe domains (JS接口安全域名) as configured: comma-separated, each a host or host/path as the Official
 * Account's settings take them (a scheme or trailing slash is tolerated).
 */
export function parseSafeDomains(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((d) =>
      d
        .trim()
        .toLowerCase()
        .replace(/^https?:\/\//, '')
        .replace(/\/+$/, ''),
    )
    .filter(Boolean);
}

/** Is the page on one of the safe domains (the domain itself or a subdomain, under the path when one is given)? */
export function onSafeDomain(url: URL, domains: string[]): boolean {
  const host = url.hostname.toLowerCase();
  return domains.some((entry) => {
    const slash = entry.indexOf('/');
    const domain = slash < 0 ? entry : entry.slice(0, slash);
    const path = slash < 0 ? '' : entry.slice(slash);
    const hostMatches = host === domain || host.endsWith(`.${domain}`);
    return hostMatches && (path === '' || url.pathname === path || url.pathname.startsWith(`${path}/`));
  });
}
