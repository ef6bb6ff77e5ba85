import type { ApiError, ApiResult } from './api';
import { readLang } from './i18n';

export const MAX_PICTURE_BYTES = 2 * 1024 * 1024;
export const PICTURE_TYPES = 'image/jpeg,image/png,image/webp';

export interface Uploaded {
  url: string;
  hash: string;
  contentType: string;
  size: number;
}

const local = {
  big: { zh: '图片不能超过 2 MB', en: 'A picture may be at most 2 MB' },
  network: { zh: '网络连接失败，请检查网络后重试', en: 'Network error; check your connection and try again' },
  bad: { zh: '服务器开小差了，请稍后再试', en: 'Something went wrong; please try again' },
};

function fail(code: keyof typeof local, status = 0): ApiResult<Uploaded> {
  return { ok: false, status, error: { code, message: local[code][readLang()] } };
}

/**
 * Sends a picture file as the request body to an upload endpoint (`/uploads`, or `/reports/evidence` for anyone);
 * the server reads its type from its bytes. A file over the limit is refused here before it is sent.
 */
export async function uploadPicture(file: File, path = '/uploads'): Promise<ApiResult<Uploaded>> {
  if (file.size > MAX_PICTURE_BYTES) return fail('big', 413);
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Accept-Language': readLang() === 'en' ? 'en' : 'zh-CN',
        'Content-Type': file.type || 'application/octet-stream',
      },
      credentials: 'same-origin',
      body: file,
    });
  } catch {
    return fail('network');
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    return fail('bad', res.status);
  }
  if (res.ok) return { ok: true, status: res.status, data: json as Uploaded };
  const error = (json as { error?: ApiError } | null)?.error;
  return error?.message ? { ok: false, status: res.status, error } : fail('bad', res.status);
}
