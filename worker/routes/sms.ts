import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { smsPurposes } from '../../db/schema';
import { CODE_TTL_MS } from '../domain/smsCode';
import type { AppEnv } from '../env';
import { AppError, errorResponses, smsErrorResponses } from '../errors';
import { createRouter } from '../http';
import { clientIp } from '../lib/rateLimit';
import { simulatorOn } from '../lib/sms';
import { sendCode } from '../lib/sms/codes';
import { lastSimulated } from '../lib/sms/simulator';
import { jsonBody, jsonResponse, Phone } from '../schemas';

const CodeRequest = z
  .strictObject({
    phone: Phone,
    purpose: z.enum(smsPurposes).openapi({
      description: 'signup: member signup; reset: password reset (member or agent); orders: guest order lookup',
    }),
  })
  .openapi('SmsCodeRequest');

const CodeSent = z.object({
  ok: z.literal(true),
  expiresInSeconds: z.number().int(),
  resendAfterSeconds: z.number().int(),
});

const Simulated = z.object({
  phone: z.string(),
  purpose: z.enum(smsPurposes),
  code: z.string(),
  sentAt: z.number().int(),
});

// Before validation, so without the simulator the route looks like no route at all.
const simulatorOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!simulatorOn(c.env)) throw new AppError('ROUTE_NOT_FOUND');
  await next();
};

export const smsRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/sms/codes',
      tags: ['sms'],
      summary:
        'Text a 6-digit code to the phone (valid 5 minutes, 5 attempts; a new one replaces the last). The answer is ' +
        'the same whether or not the phone has an account. Limited per phone (1 a minute, 5 an hour) and per address',
      request: jsonBody(CodeRequest),
      responses: { 202: jsonResponse(CodeSent, 'Sent'), ...smsErrorResponses },
    }),
    async (c) => {
      const { phone, purpose } = c.req.valid('json');
      await sendCode(c.env, c.var.db, { phone, purpose, ip: clientIp(c.req.raw.headers) });
      return c.json({ ok: true as const, expiresInSeconds: CODE_TTL_MS / 1000, resendAfterSeconds: 60 }, 202);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/dev/sms',
      tags: ['sms'],
      summary: 'Local simulator only (npm start, tests): the last code texted to the phone. 404 everywhere else',
      middleware: [simulatorOnly] as const,
      request: { query: z.object({ phone: Phone }) },
      responses: { 200: jsonResponse(Simulated, 'The last simulated message'), ...errorResponses },
    }),
    async (c) => {
      const sent = await lastSimulated(c.var.db, c.req.valid('query').phone);
      if (!sent) throw new AppError('NOT_FOUND', { params: { what: 'sms' } });
      return c.json(sent, 200);
    },
  );
