import { type ApiError, type ApiResult, api } from '../../lib/api';
import { loginUrl } from '../auth/roles';

/**
 * `api` for the brand console: a 401 (the session ended in another tab, or expired) sends the reader to sign in
 * again, back to where they were.
 */
export async function call<T>(path: string, options?: Parameters<typeof api>[1]): Promise<ApiResult<T>> {
  const res = await api<T>(path, options);
  if (!res.ok && res.status === 401) location.replace(loginUrl('admin', location.pathname + location.hash));
  return res;
}

/** A path segment for an id taken from the page. */
export const seg = encodeURIComponent;

/**
 * The message to show under the input an error names. A schema error reads "输入有误：freezeDays：…"; under the
 * input itself the field's code name adds nothing, so that prefix is dropped.
 */
export function fieldText(error: ApiError): string {
  if (error.code !== 'VALIDATION_FAILED' || !error.field) return error.message;
  for (const sep of ['：', ': ']) {
    const at = error.message.indexOf(`${error.field}${sep}`);
    if (at >= 0) return error.message.slice(at + error.field.length + sep.length);
  }
  return error.message;
}
