import { readLang } from './i18n';

/** The error envelope every API error answers with; `message` is already in the requested language. */
export interface ApiError {
  code: string;
  message: string;
  field?: string;
  requestId?: string;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError };

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Options {
  method?: Method;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

const localErrors = {
  NETWORK: { zh: '网络连接失败，请检查网络后重试', en: 'Network error; check your connection and try again' },
  BAD_RESPONSE: { zh: '服务器开小差了，请稍后再试', en: 'Something went wrong; please try again' },
};

function localError(code: keyof typeof localErrors): ApiError {
  return { code, message: localErrors[code][readLang()] };
}

function isApiError(value: unknown): value is { error: ApiError } {
  const error = (value as { error?: Partial<ApiError> } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

/**
 * Calls the API under /api with the session cookie; `path` starts after /api (segments already encoded).
 * Never throws: a network failure or a non-JSON answer becomes an error in the same shape as the API's.
 */
export async function api<T>(path: string, options: Options = {}): Promise<ApiResult<T>> {
  const { method = 'GET', query, body } = options;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  const search = qs ? `?${qs}` : '';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': readLang() === 'en' ? 'en' : 'zh-CN',
    ...options.headers,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(`/api${path}${search}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, error: localError('NETWORK') };
  }

  let json: unknown;
  try {
    json = res.status === 204 ? undefined : await res.json();
  } catch {
    return { ok: false, status: res.status, error: localError('BAD_RESPONSE') };
  }
  if (res.ok) return { ok: true, status: res.status, data: json as T };
  return { ok: false, status: res.status, error: isApiError(json) ? json.error : localError('BAD_RESPONSE') };
}
