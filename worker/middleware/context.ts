import type { MiddlewareHandler } from 'hono';
import { createDb } from '../../db/client';
import { newMeter } from '../../db/metered';
import type { AppEnv } from '../env';
import { pickLang } from '../i18n';

// Per request: an id, the language, a metered database, one structured log line.
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  const requestId = crypto.randomUUID();
  const meter = newMeter();
  c.set('requestId', requestId);
  c.set('lang', pickLang(c.req.header('accept-language')));
  c.set('meter', meter);
  c.set('db', createDb(c.env.DB, meter));
  c.set('caller', null);
  await next();
  c.header('X-Request-Id', requestId);
  if (c.env.DB_METRICS === '1') {
    c.header('X-D1-Round-Trips', String(meter.roundTrips));
    c.header('X-D1-Rows-Read', String(meter.rowsRead));
    c.header('X-D1-Rows-Written', String(meter.rowsWritten));
  }
  if (c.env.LOG_REQUESTS === '0') return;
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? 'error' : 'info',
      msg: 'request',
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Date.now() - started,
      d1: meter,
    }),
  );
};
