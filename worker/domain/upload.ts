// Picture uploads: what a file is (by its first bytes, never by its name or declared type), how big it may be, and
// the path it is served at. No I/O.

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);

/** The picture type the bytes are (JPEG, PNG or WebP), or null for anything else. */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF <size> WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    return 'image/webp';
  }
  return null;
}

export const FILE_PATH_PREFIX = '/api/files/';

/** Where an upload with this SHA-256 (64 hex digits) is served. */
export function filePath(hash: string): string {
  return `${FILE_PATH_PREFIX}${hash}`;
}

/** The hash an upload's path (or full URL on any host) names, or null when it is not one of ours. */
export function uploadHashIn(url: string): string | null {
  const match = /^(?:https?:\/\/[^/]+)?\/api\/files\/([0-9a-f]{64})$/.exec(url.trim());
  return match?.[1] ?? null;
}

/** Hex of a digest. */
export function toHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
