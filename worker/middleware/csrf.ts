import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { AppError } from '../errors';

const safe = new Set(['GET', 'HEAD', 'OPTIONS']);

// Browsers send Origin (or Sec-Fetch-Site) with every state-changing request; one from another site is refused.
// Clients without either (curl, server-to-server, bearer tokens) carry no ambient cookie risk.
export const csrfGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!safe.has(c.req.method)) {
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const own = new URL(c.req.url).origin;
    if ((origin && origin !== own) || (site && site !== 'same-origin' && site !== 'none')) {
      throw new AppError('CSRF_REJECTED');
    }
  }
  await next();
};

// JSON bodies only: a form post from another site cannot reach a handler as JSON, and a body without a type is
// refused here rather than failing inside the validator.
export const jsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const hasBody = c.req.raw.body !== null && c.req.header('content-length') !== '0';
  if (!safe.has(c.req.method) && hasBody) {
    const type = c.req.header('content-type');
    if (type === undefined || !/^application\/json\b/i.test(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  }
  await next();
};
