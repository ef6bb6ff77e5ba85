import { type ApiResult, api } from '../../lib/api';
import { loginUrl, type Role } from './roles';

/** What a console calls the API with; see `sessionApi`. */
export type SessionApi = <T>(path: string, options?: Parameters<typeof api>[1]) => Promise<ApiResult<T>>;

/**
 * `api` for a console signed in as `role`: a 401 (the session ended in another tab, or expired) sends the reader to
 * sign in again, back to where they were.
 */
export function sessionApi(role: Role): SessionApi {
  return async <T>(path: string, options?: Parameters<typeof api>[1]) => {
    const res = await api<T>(path, options);
    if (!res.ok && res.status === 401) location.replace(loginUrl(role, location.pathname + location.hash));
    return res;
  };
}
