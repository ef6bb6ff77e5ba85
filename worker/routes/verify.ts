import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { brandInfo } from '../../db/brandInfo';
import { productCard, raiseCrossRegionFlag, type VerifiedAgent, verifyCode } from '../../db/codes';
import { formatCode, normaliseCode, serialLabel } from '../domain/codes';
import { maskName } from '../domain/mask';
import { outsideRegion } from '../domain/regions';
import type { AppEnv } from '../env';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { clientIp, rateLimited } from '../lib/rateLimit';
import { requestRegion } from '../lib/region';
import { jsonBody, jsonResponse } from '../schemas';

const Verification = z
  .object({
    genuine: z.literal(true),
    code: z.string().openapi({ example: 'ABCD-EFGH-JKMN-PQRS' }),
    serialLabel: z.string().openapi({ example: '0000000001' }),
    product: z.object({
      id: z.string(),
      name: z.string(),
      retailFen: z.number().int(),
      image: z.string().nullable(),
    }),
    agent: z
      .object({
        name: z.string().openapi({ description: 'Masked, e.g. 张*丰' }),
        levelName: z.string(),
        region: z.string(),
        certificateNumber: z.string().nullable(),
        shopCode: z.string().openapi({ description: 'The agent’s public shop code (its /s/ link), e.g. to report it' }),
        status: z.enum(['valid', 'suspended', 'revoked']),
      })
      .nullable()
      .openapi({ description: 'The agent the unit was shipped to; null while it is still with the brand' }),
    verifyCount: z.number().int().openapi({ description: 'Verifications so far, this one included' }),
    firstVerifiedAt: z.number().int(),
    warning: z.boolean().openapi({ description: 'True from the second verification on: the code may be copied' }),
  })
  .openapi('CodeVerification');

// Generous: whatever a person pastes is answered CODE_MALFORMED rather than a schema error.
const VerifyBody = z.object({ code: z.string().max(4096) }).openapi('CodeVerifyRequest');

// Per client address, 20 a minute (wrangler.toml [[ratelimits]] VERIFY_LIMITER): a person checks a few labels; a
// script trying codes is stopped. Counted at the edge, so it costs no D1 row; over the limit every code, known or not,
// answers 429 and nothing is read or written.
const VERIFY_LIMIT_PERIOD_SECONDS = 60;

async function enforceVerifyLimit(c: Context<AppEnv>): Promise<void> {
  const { success } = await c.env.VERIFY_LIMITER.limit({ key: `verify:ip:${clientIp(c.req.raw.headers)}` });
  if (!success) throw rateLimited(VERIFY_LIMIT_PERIOD_SECONDS);
}

const statusOf = { active: 'valid', suspended: 'suspended', revoked: 'revoked' } as const;

// After the answer: a verification outside the bound agent's authorized provinces flags cross-selling (串货).
function flagIfOutside(c: Context<AppEnv>, agentId: string, agent: VerifiedAgent, code: string, productId: string) {
  const seen = requestRegion(c);
  if (!seen.province || !outsideRegion(seen.province, agent.region)) return;
  const flag = raiseCrossRegionFlag(c.var.db, {
    agentId,
    code,
    productId,
    regionSeen: seen.label ?? seen.province.zh,
    authorizedRegion: agent.region,
    at: Date.now(),
  });
  c.executionCtx.waitUntil(
    flag.then(
      () => undefined,
      (err: unknown) => console.error(JSON.stringify({ level: 'error', msg: 'cross-region flag', error: String(err) })),
    ),
  );
}

export const verifyRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/codes/verify',
    tags: ['codes'],
    summary: 'Public verification of an anti-counterfeit code (防伪查询); counts the verification',
    request: jsonBody(VerifyBody),
    responses: { 200: jsonResponse(Verification, 'The code is genuine'), ...errorResponses },
  }),
  async (c) => {
    // Checked before any database work: a mistyped code costs nothing.
    const code = normaliseCode(c.req.valid('json').code);
    if (!code) throw new AppError('CODE_MALFORMED', { field: 'code' });
    await enforceVerifyLimit(c);
    const db = c.var.db;
    const now = Date.now();
    const row = await verifyCode(db, code, now);
    if (!row) throw new AppError('CODE_NOT_FOUND', { field: 'code' });
    const [product, info] = await Promise.all([productCard(db, row.productId, now), brandInfo(db, now)]);
    const agent = row.agent;
    if (agent && row.agentId) flagIfOutside(c, row.agentId, agent, code, row.productId);
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        genuine: true as const,
        code: formatCode(code),
        serialLabel: serialLabel(row.serial),
        product,
        agent: agent
          ? {
              name: maskName(agent.name),
              levelName: info.levelNames.get(agent.level) ?? '',
              region: agent.region,
              certificateNumber: row.certNumber,
              shopCode: agent.shopCode,
              status: statusOf[agent.status],
            }
          : null,
        verifyCount: row.verifyCount,
        firstVerifiedAt: row.firstVerifiedAt ?? now,
        warning: row.verifyCount > 1,
      },
      200,
    );
  },
);
