export type CertificateStatus = 'valid' | 'suspended' | 'revoked' | 'expired';

/** GET /api/certificates/lookup: what the public may see (name and phone already masked). */
export interface PublicCertificate {
  number: string;
  brandName: string;
  name: string;
  phone: string;
  level: number;
  levelName: string;
  region: string;
  validFrom: number;
  validUntil: number;
  status: CertificateStatus;
}

export type LookupBy = 'number' | 'wechat' | 'phone';

export function certificatePageUrl(number: string): string {
  return `/c?n=${encodeURIComponent(number)}`;
}

export function certificateImageUrl(number: string): string {
  return `/api/certificates/${encodeURIComponent(number)}/image.svg`;
}
