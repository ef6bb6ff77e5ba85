import type { ApiError } from '../../lib/api';
import { sessionApi } from '../auth/session';

/** `api` for the brand console (a 401 goes back to the brand sign-in). */
export const call = sessionApi('admin');

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
