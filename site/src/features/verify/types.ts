/** POST /api/codes/verify: a genuine code, with the agent it was shipped to (masked) and how often it was checked. */
export interface Verification {
  genuine: true;
  code: string;
  serialLabel: string;
  product: { id: string; name: string; retailFen: number; image: string | null };
  agent: {
    name: string;
    levelName: string;
    region: string;
    certificateNumber: string | null;
    /** The agent's public shop code (/s/<code>). */
    shopCode: string;
    status: 'valid' | 'suspended' | 'revoked';
  } | null;
  /** This verification included. */
  verifyCount: number;
  firstVerifiedAt: number;
  /** From the second verification on: the label may have been copied. */
  warning: boolean;
}

/** The code in /v/<code> (the URL printed in the label's QR code), or ?code=. */
export function codeFromLocation(): string | null {
  const fromPath = location.pathname.match(/^\/v\/([^/]+)\/?$/)?.[1];
  const raw = fromPath ? safeDecode(fromPath) : new URLSearchParams(location.search).get('code');
  const code = raw?.trim();
  return code ? code : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The price-breaking report form, with what this page knows filled in. */
export function reportUrl(productId: string | null, agentCode: string | null = null): string {
  const params = new URLSearchParams();
  if (agentCode) params.set('agent', agentCode);
  if (productId) params.set('product', productId);
  const query = params.toString();
  return query ? `/report?${query}` : '/report';
}
