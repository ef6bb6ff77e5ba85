import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env';
import { validationError } from './validationError';

// Every router validates through zod and answers a failure with the one error envelope.
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) throw validationError(result.error, c.get('lang'));
    },
  });
}
