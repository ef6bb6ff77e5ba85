import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './env';
import { AppError, errorResponse } from './errors';
import { createRouter } from './http';
import { requestContext } from './middleware/context';
import { csrfGuard, jsonOnly } from './middleware/csrf';
import { securityHeaders } from './middleware/securityHeaders';
import { loadSession } from './middleware/session';
import { routes } from './routes';
import { pages } from './routes/pages';
import { shopRoutes } from './routes/shop';
import { UPLOAD_PATHS } from './routes/uploads';
import { runScheduled } from './scheduled';

const app = createRouter();

app.use('*', securityHeaders, requestContext);
const jsonLimit = bodyLimit({
  maxSize: 64 * 1024,
  onError: () => {
    throw new AppError('PAYLOAD_TOO_LARGE');
  },
});
// A picture upload's body is the file (its route checks type and size itself); every other body is JSON of ≤ 64 KB.
const notUpload =
  (check: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> =>
  async (c, next) =>
    UPLOAD_PATHS.has(c.req.path) ? next() : check(c, next);
app.use('/api/*', csrfGuard, notUpload(jsonOnly), notUpload(jsonLimit), loadSession);
app.route('/', routes);
app.route('/', pages);
app.route('/', shopRoutes);

app.doc31('/api/openapi.json', (c) => ({
  openapi: '3.1.0',
  info: {
    title: 'Agentry API',
    version: c.env.APP_VERSION,
    description: '微商 agent network: agents, placement, team, certificates.',
  },
}));
app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
  type: 'apiKey',
  in: 'cookie',
  name: 'agentry_sid',
});
app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

app.notFound((c) => {
  if (c.req.path.startsWith('/api/') || c.req.path === '/api') return errorResponse(c, new AppError('ROUTE_NOT_FOUND'));
  return c.env.ASSETS.fetch(c.req.raw);
});

app.onError((err, c) => {
  if (err instanceof AppError) return errorResponse(c, err);
  if (err instanceof HTTPException && err.status === 400) return errorResponse(c, new AppError('MALFORMED_JSON'));
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'unhandled',
      requestId: c.get('requestId'),
      error: String(err),
      stack: (err as Error)?.stack,
    }),
  );
  return errorResponse(c, new AppError('INTERNAL'));
});

export type App = typeof app;

// The browser tests' server (test/browser/server.mjs, never wrangler.toml) sets TEST_SCHEDULED: GET /__scheduled then
// runs the cron's work and answers once it is done, as `wrangler dev --test-scheduled` offers.
async function fetchHandler(request: Request, env: AppEnv['Bindings'], ctx: ExecutionContext): Promise<Response> {
  if (env.TEST_SCHEDULED === '1' && new URL(request.url).pathname === '/__scheduled') {
    await runScheduled(env, Date.now());
    return new Response('Ran scheduled event');
  }
  return app.fetch(request, env, ctx);
}

export default {
  fetch: fetchHandler,
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(
      runScheduled(env, controller.scheduledTime).catch((err: unknown) => {
        console.error(
          JSON.stringify({ level: 'error', msg: 'scheduled', error: String(err), stack: (err as Error)?.stack }),
        );
        throw err;
      }),
    );
  },
} satisfies ExportedHandler<AppEnv['Bindings']>;
