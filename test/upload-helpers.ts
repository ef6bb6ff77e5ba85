import { workerFetch } from './helpers';

// Picture bytes for upload tests: the signature of the type, then random bytes, so every call is a new file.
const signatures = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  webp: [0x52, 0x49, 0x46, 0x46, 0x10, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
  gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
} as const;

export function picture(kind: keyof typeof signatures, size = 256): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 64 KB at a time.
  for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  bytes.set(signatures[kind]);
  return bytes;
}

export interface Uploaded {
  url: string;
  hash: string;
  contentType: string;
  size: number;
}

export interface UploadRes {
  status: number;
  body: Uploaded & { error?: { code: string; message: string; field?: string } };
  headers: Headers;
}

/** Posts the bytes as the body, as the site's file inputs do. */
export async function upload(
  bytes: Uint8Array<ArrayBuffer>,
  opts: { token?: string; path?: string; type?: string; headers?: Record<string, string> } = {},
): Promise<UploadRes> {
  const headers: Record<string, string> = { 'content-type': opts.type ?? 'image/png', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await workerFetch(opts.path ?? '/api/uploads', { method: 'POST', headers, body: bytes });
  return { status: res.status, body: (await res.json()) as UploadRes['body'], headers: res.headers };
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
